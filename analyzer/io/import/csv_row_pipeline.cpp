#include "analyzer/io/import/csv_row_pipeline.h"

#include <algorithm>

#include "analyzer/io/import/document_sink.h"
#include "analyzer/util/hash.h"
#include "analyzer/util/prefetch.h"

namespace twinscan::imports {
namespace {

std::uint32_t size32(std::size_t n) {
  return static_cast<std::uint32_t>(n);
}

void put(RowBlock& block, std::string_view text, std::uint32_t& at, std::uint32_t& size) {
  at = size32(block.text.size());
  size = size32(text.size());
  block.text += text;
}

}  // namespace

bool map_into_block(const io::csv::Mapping& mapping, const io::csv::Record& record,
                    std::size_t header_size, io::csv::KnownIds known, io::csv::RowOutput& out,
                    RowBlock& block, MappedRow& row) {
  row.record = &record;
  row.errors.clear();
  row.has_primary = false;
  row.mapped = record.size() == header_size;
  row.assumed_begin = row.assumed_end = size32(block.assumed.size());
  row.entities_begin = row.entities_end = size32(block.entities.size());
  row.relations_begin = row.relations_end = size32(block.relations.size());
  if (!row.mapped) return true;
  mapping.map_row(record, out, row.errors, known);
  row.assumed_end = size32(block.assumed.size());
  row.has_primary = out.has_primary;
  if (!row.errors.empty() || !record.errors().empty()) return true;  // the row is dropped
  bool utf8 = true;
  // Keeps an item's two strings and its JSON object (made by `render`) in the block.
  const auto keep = [&block, &utf8](MappedItem item, std::string_view a, std::string_view b,
                                    const auto& render, std::vector<MappedItem>& items) {
    put(block, a, item.a, item.a_size);
    put(block, b, item.b, item.b_size);
    item.json = size32(block.text.size());
    item.utf8 = render(block.text);
    item.json_size = size32(block.text.size() - item.json);
    utf8 &= item.utf8;
    items.push_back(item);
  };
  for (std::size_t i = 0; i < out.entity_count; ++i) {
    const Entity& entity = out.entities[i];
    MappedItem item;
    item.key = id_hash(entity.id);
    keep(
        item, entity.id, entity.kind,
        [&entity](std::string& text) { return render_entity(text, entity); }, block.entities);
  }
  const bool own_unique = out.has_primary && !mapping.keeps_first_of_repeated_ids();
  const std::string_view own = own_unique ? std::string_view(out.entities.front().id) : "";
  for (std::size_t i = 0; i < out.relation_count; ++i) {
    const Relation& relation = out.relations[i];
    MappedItem item;
    item.at_own = own_unique && (relation.from == own || relation.to == own);
    item.a_hash = id_hash(relation.from);
    item.b_hash = id_hash(relation.to);
    item.key = util::hash_mix(util::hash_mix(id_hash(relation.kind), item.a_hash), item.b_hash);
    keep(
        item, relation.from, relation.to,
        [&relation](std::string& text) { return render_relation(text, relation); },
        block.relations);
  }
  row.entities_end = size32(block.entities.size());
  row.relations_end = size32(block.relations.size());
  return utf8;
}

RowPipeline::RowPipeline(io::csv::Reader& reader,
                         std::vector<std::unique_ptr<io::csv::Mapping>> mappings,
                         std::size_t header_size)
    : reader_(reader),
      mappings_(std::move(mappings)),
      header_size_(header_size),
      known_(mappings_.size()),
      outputs_(mappings_.size()) {
  reader_.keep_records();
  for (std::size_t i = 0; i < kBlocks; ++i) {
    auto slot = std::make_unique<Slot>();
    slot->records.resize(kBlockRows);
    slot->block.rows.resize(kBlockRows);
    free_.push_back(slot.get());
    slots_.push_back(std::move(slot));
  }
  for (std::size_t w = 0; w < mappings_.size(); ++w) {
    threads_.emplace_back([this, w] { work(w); });
  }
}

RowPipeline::~RowPipeline() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  for (std::thread& t : threads_) t.join();
}

const MappedRow* RowPipeline::next() {
  while (current_slot_ == nullptr || at_ == current_->count) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (current_slot_ != nullptr) {
      busy_.erase(std::find(busy_.begin(), busy_.end(), current_slot_));
      free_.push_back(current_slot_);
      current_slot_ = nullptr;
      current_ = nullptr;
      ++next_out_;
      changed_.notify_all();
    }
    Slot* found = nullptr;
    changed_.wait(lock, [&] {
      if (failure_) return true;
      for (Slot* s : busy_) {
        if (s->sequence == next_out_ && s->mapped) {
          found = s;
          return true;
        }
      }
      return input_done_ && !reading_ && next_out_ == next_read_;
    });
    if (failure_) std::rethrow_exception(failure_);
    if (found == nullptr) return nullptr;
    current_slot_ = found;
    current_ = &found->block;
    at_ = 0;
  }
  // The row was written on another processor: the next one is asked for ahead.
  if (at_ + 1 < current_->count) util::prefetch(&current_->rows[at_ + 1]);
  return &current_->rows[at_++];
}

void RowPipeline::work(std::size_t worker) {
  try {
    for (;;) {
      Slot* slot = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock,
                      [this] { return stop_ || input_done_ || (!reading_ && !free_.empty()); });
        if (stop_ || input_done_) return;
        reading_ = true;
        slot = free_.back();
        free_.pop_back();
        slot->sequence = next_read_++;
        slot->mapped = false;
        busy_.push_back(slot);
      }
      bool more = true;
      try {
        more = read_block(*slot);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mutex_);
        reading_ = false;
        throw;
      }
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        reading_ = false;
        if (!more) input_done_ = true;
      }
      changed_.notify_all();
      map_block(*slot, worker);
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        slot->mapped = true;
      }
      changed_.notify_all();
    }
  } catch (...) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
      input_done_ = true;
    }
    changed_.notify_all();
  }
}

bool RowPipeline::read_block(Slot& slot) {
  RowBlock& block = slot.block;
  block.clear();
  const std::uint64_t start = reader_.bytes_read();
  while (block.count < kBlockRows && reader_.bytes_read() - start < kBlockBytes) {
    io::csv::Record& record = slot.records[block.count];
    if (!reader_.next(record)) return false;
    MappedRow& row = block.rows[block.count++];
    row.record = &record;
    row.bytes_read = reader_.bytes_read();
  }
  return true;
}

void RowPipeline::map_block(Slot& slot, std::size_t worker) {
  RowBlock& block = slot.block;
  const io::csv::Mapping& mapping = *mappings_[worker];
  HashGuessSet& known = known_[worker];
  const auto taken_as_written = [&block, &known](std::string_view id) {
    const std::uint64_t h = id_hash(id);
    if (!known.contains(h)) return false;
    block.assumed.push_back(h);
    return true;
  };
  const auto fetch = [&known](std::string_view id) { known.prefetch(id_hash(id)); };
  const io::csv::KnownIds known_ids(taken_as_written, fetch);
  const bool keep_first = mapping.keeps_first_of_repeated_ids();
  const bool own_apart = mapping.own_ids_apart();
  for (std::size_t r = 0; r < block.count; ++r) {
    MappedRow& row = block.rows[r];
    const bool utf8 =
        map_into_block(mapping, *row.record, header_size_, known_ids, outputs_[worker], block, row);
    if (!utf8 || !row.mapped || !row.errors.empty() || !row.record->errors().empty()) continue;
    // What the writing thread remembers of the row when it keeps it.
    for (std::uint32_t i = row.entities_begin; i < row.entities_end; ++i) {
      const bool primary = row.has_primary && i == row.entities_begin && !keep_first;
      if (!primary || !own_apart) known.insert(block.entities[i].key);
    }
  }
}

}  // namespace twinscan::imports
