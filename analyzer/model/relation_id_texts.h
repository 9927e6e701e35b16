// The texts "FROM-KIND->TO" that name relations given without an id, made ahead of the
// thread that interns them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "analyzer/model/graph_arrays.h"
#include "analyzer/model/schema.h"
#include "analyzer/util/hand_off.h"

namespace twinscan::model {

/// Makes, in order and a chunk at a time, the text each of `relations` is named by when it
/// has no id (its ends' ids and its kind: "firm:a-OWNED_BY->gov:b") and the text's
/// StringPool hash. Each text needs three reads at random places per end (the end's id
/// symbol, where its text lies, the text), so with many relations the texts are made on a
/// thread of their own while the caller interns the chunk before: the two halves of the
/// work then take a core each.
///
/// The texts of the ends are read from `graph.strings` while the caller interns into it:
/// the caller must have reserved room for every symbol it adds (StringPool::reserve), so
/// that the pool's index of texts never moves, and must add nothing else to `graph`.
class RelationIdTexts {
 public:
  /// The texts of some relations, one after another.
  struct Chunk {
    std::string text;                   ///< The texts end to end.
    std::vector<std::size_t> ends;      ///< Where each text ends in `text`.
    std::vector<std::uint64_t> hashes;  ///< StringPool::hash of each text.
    [[nodiscard]] std::size_t size() const { return ends.size(); }
    [[nodiscard]] std::string_view at(std::size_t i) const {
      const std::size_t begin = i == 0 ? 0 : ends[i - 1];
      return std::string_view(text).substr(begin, ends[i] - begin);
    }
    void clear() {
      text.clear();
      ends.clear();
      hashes.clear();
    }
  };

  /// Relations per chunk.
  static constexpr std::size_t kChunk = 4096;

  /// `on_a_thread`: made on a thread of their own (else, or when no thread is to be had,
  /// when asked for, on the caller's).
  RelationIdTexts(const GraphArrays& graph, const Schema& schema,
                  std::span<const RelationId> relations, bool on_a_thread);
  /// Stops the thread, if one is at work, and waits for it.
  ~RelationIdTexts();
  RelationIdTexts(const RelationIdTexts&) = delete;
  RelationIdTexts& operator=(const RelationIdTexts&) = delete;

  /// The next chunk, in the order of `relations`; nullptr after the last. Rethrows what
  /// stopped the thread that makes them (memory to be had, say).
  std::unique_ptr<Chunk> next();
  /// A chunk done with, to be filled again.
  void give_back(std::unique_ptr<Chunk> chunk);

 private:
  // Fills `chunk` with the texts of relations [first, first + count).
  void make(std::size_t first, std::size_t count, Chunk& chunk) const;
  void run();  // the thread's work

  const GraphArrays& graph_;
  const Schema& schema_;
  std::span<const RelationId> relations_;
  std::size_t made_ = 0;  // relations made so far (without a thread)

  // Chunks waiting for the caller besides the one each side works on: enough to ride out
  // an uneven stretch, few enough to stay in cache.
  util::HandOff<Chunk> chunks_{4};
  std::thread thread_;  // last: started once every member it uses is
};

}  // namespace twinscan::model
