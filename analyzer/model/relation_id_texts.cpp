#include "analyzer/model/relation_id_texts.h"

#include <algorithm>
#include <system_error>
#include <utility>

#include "analyzer/util/prefetch.h"

namespace twinscan::model {
RelationIdTexts::RelationIdTexts(const GraphArrays& graph, const Schema& schema,
                                 std::span<const RelationId> relations, bool on_a_thread)
    : graph_(graph), schema_(schema), relations_(relations) {
  if (!on_a_thread) return;
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error&) {
    // no thread to be had (a system limit): the texts are made when asked for
  }
}

RelationIdTexts::~RelationIdTexts() {
  if (!thread_.joinable()) return;
  chunks_.stop();
  thread_.join();
}

std::unique_ptr<RelationIdTexts::Chunk> RelationIdTexts::next() {
  if (thread_.joinable()) return chunks_.take();
  if (made_ >= relations_.size()) return nullptr;
  std::unique_ptr<Chunk> chunk = chunks_.to_fill();  // none waits: it never blocks
  const std::size_t count = std::min(kChunk, relations_.size() - made_);
  make(made_, count, *chunk);
  made_ += count;
  return chunk;
}

void RelationIdTexts::give_back(std::unique_ptr<Chunk> chunk) {
  chunk->clear();
  chunks_.give_back(std::move(chunk));
}

void RelationIdTexts::run() {
  try {
    for (std::size_t first = 0; first < relations_.size(); first += kChunk) {
      std::unique_ptr<Chunk> chunk = chunks_.to_fill();
      if (!chunk) break;  // stopped: no one takes what follows
      make(first, std::min(kChunk, relations_.size() - first), *chunk);
      chunks_.put(std::move(chunk));
    }
    chunks_.finish(true);
  } catch (...) {
    chunks_.finish(false, std::current_exception());
  }
}

void RelationIdTexts::make(std::size_t first, std::size_t count, Chunk& chunk) const {
  const GraphArrays& g = graph_;
  // Three reads at random places per end: the end's id symbol, where the symbol's text
  // lies, the text. Each is asked for a stage ahead of the one that needs it (ids
  // 3 × kAhead relations ahead, their entries 2 × kAhead, their texts kAhead), so that
  // the misses overlap.
  constexpr std::size_t kAhead = 8;
  const std::size_t end = first + count;
  auto ask_ahead = [&](std::size_t i) {
    if (i + 3 * kAhead < end) {
      const RelationId r = relations_[i + 3 * kAhead];
      util::prefetch(g.entity_id.data() + g.relation_from[r]);
      util::prefetch(g.entity_id.data() + g.relation_to[r]);
    }
    if (i + 2 * kAhead < end) {
      const RelationId r = relations_[i + 2 * kAhead];
      g.strings.prefetch_entry(g.entity_id[g.relation_from[r]]);
      g.strings.prefetch_entry(g.entity_id[g.relation_to[r]]);
    }
    if (i + kAhead < end) {
      const RelationId r = relations_[i + kAhead];
      g.strings.prefetch_text(g.entity_id[g.relation_from[r]]);
      g.strings.prefetch_text(g.entity_id[g.relation_to[r]]);
    }
  };
  chunk.clear();
  chunk.ends.reserve(count);
  chunk.hashes.reserve(count);
  for (std::size_t i = first; i < end; ++i) {
    ask_ahead(i);
    const RelationId r = relations_[i];
    const std::size_t begin = chunk.text.size();
    // The ends' own ids: an end named by an id judged the same as another is the
    // entity's first id, so the relation's id is the same whichever id a source used.
    chunk.text += g.strings.str(g.entity_id[g.relation_from[r]]);
    chunk.text += '-';
    chunk.text += schema_.relation(g.relation_kind[r]).name;
    chunk.text += "->";
    chunk.text += g.strings.str(g.entity_id[g.relation_to[r]]);
    chunk.ends.push_back(chunk.text.size());
    chunk.hashes.push_back(util::StringPool::hash(std::string_view(chunk.text).substr(begin)));
  }
}

}  // namespace twinscan::model
