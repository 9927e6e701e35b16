#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "analyzer/io/import/csv_mapping.h"
#include "analyzer/io/import/csv_reader.h"
#include "analyzer/io/import/id_hash_set.h"

namespace twinscan::imports {

/// An entity or relation of a mapped row: its hash and strings (offsets in
/// RowBlock::text) and its JSON object as the document writer writes it.
struct MappedItem {
  std::uint64_t key = 0;            ///< the id's hash; for a relation, of its kind and ends
  std::uint32_t a = 0, a_size = 0;  ///< an entity's id, a relation's `from`
  std::uint32_t b = 0, b_size = 0;  ///< an entity's kind, a relation's `to`
  std::uint32_t json = 0, json_size = 0;
  std::uint64_t a_hash = 0, b_hash = 0;  ///< a relation's: id_hash() of `from` and `to`
  bool utf8 = true;                      ///< of its strings
  bool at_own = false;  ///< a relation at the row's own entity, whose id no other row has
};

/// A row as mapped ahead: what the writing thread needs to report its problems and
/// write what it makes.
struct MappedRow {
  const io::csv::Record* record = nullptr;
  std::uint64_t bytes_read = 0;  ///< of the input, once the row was read (for progress)
  bool mapped = false;           ///< the field count matched the header's: the row was mapped
  bool has_primary = false;
  std::vector<io::csv::RowError> errors;
  /// The ids of other entities the mapping took as written already (and did not map):
  /// [begin, end) of RowBlock::assumed.
  std::uint32_t assumed_begin = 0, assumed_end = 0;
  /// Its entities and relations, made when the row has no problem: [begin, end) of the
  /// block's.
  std::uint32_t entities_begin = 0, entities_end = 0;
  std::uint32_t relations_begin = 0, relations_end = 0;
};

/// Rows and what they make.
struct RowBlock {
  std::vector<MappedRow> rows;
  std::size_t count = 0;
  std::string text;
  std::vector<MappedItem> entities;
  std::vector<MappedItem> relations;
  std::vector<std::uint64_t> assumed;
  [[nodiscard]] std::string_view at(std::uint32_t offset, std::uint32_t size) const {
    return std::string_view(text).substr(offset, size);
  }
  void clear() {
    count = 0;
    text.clear();
    entities.clear();
    relations.clear();
    assumed.clear();
  }
};

/// Maps `record` (of `header_size` fields when whole) into `row` and, when it has no
/// problem, its entities and relations into `block`: what the writing thread needs.
/// `known` says which other entities were written already (they are not mapped; see
/// Mapping::map_row). False when a string of what it makes is not UTF-8.
bool map_into_block(const io::csv::Mapping& mapping, const io::csv::Record& record,
                    std::size_t header_size, io::csv::KnownIds known, io::csv::RowOutput& out,
                    RowBlock& block, MappedRow& row);

/// Reads and maps the rows of a CSV input on worker threads, a few blocks of rows ahead
/// of the thread that decides what is written (ids and relations seen before), writes it
/// and reports the problems. Each worker reads a block of records (one at a time, in
/// turn, as reading is sequential), then maps it and makes the JSON text of what it
/// makes while the others read and map theirs; the blocks are handed out in input
/// order. At most kBlocks blocks exist, so the input is still read as a stream.
///
/// A worker does not map again another entity of a row that it has seen written by a
/// row before, if none of them is dropped: it says which ids it took as written
/// (MappedRow::assumed_begin). The writing thread checks them against what was written,
/// and maps the row again itself when one was not (a row before was dropped), or when
/// the row has a problem (the worker may have mapped an entity that the rows before, in
/// another worker's block, wrote; its problems would then not be reported).
class RowPipeline {
 public:
  static constexpr std::size_t kBlockRows = 2048;
  static constexpr std::size_t kBlocks = 8;
  /// A block also ends once its records pass this many bytes of input (long records).
  static constexpr std::uint64_t kBlockBytes = std::uint64_t{1} << 20;

  /// Starts reading at the reader's next record with one worker per mapping (each bound
  /// like the writing thread's; a worker's mapping is its own).
  RowPipeline(io::csv::Reader& reader, std::vector<std::unique_ptr<io::csv::Mapping>> mappings,
              std::size_t header_size);
  RowPipeline(const RowPipeline&) = delete;
  RowPipeline& operator=(const RowPipeline&) = delete;
  /// Stops the workers (after the last row or early) and waits for them.
  ~RowPipeline();

  /// The next row in input order, or nullptr at the end (rethrows a worker's failure);
  /// its items are in block(). The row and its record are valid until the next call.
  const MappedRow* next();
  [[nodiscard]] const RowBlock& block() const { return *current_; }

 private:
  struct Slot {
    RowBlock block;
    std::vector<io::csv::Record> records;  // kBlockRows, never moved
    std::uint64_t sequence = 0;
    bool mapped = false;
  };
  void work(std::size_t worker);
  // Reads a block of records into `slot` (the caller holds the reader's turn); false
  // when the input ended.
  bool read_block(Slot& slot);
  void map_block(Slot& slot, std::size_t worker);

  io::csv::Reader& reader_;
  std::vector<std::unique_ptr<io::csv::Mapping>> mappings_;
  const std::size_t header_size_;
  std::vector<HashGuessSet> known_;  // per worker: the ids it saw written
  std::vector<io::csv::RowOutput> outputs_;
  std::vector<std::unique_ptr<Slot>> slots_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Slot*> free_;
  std::vector<Slot*> busy_;  // read or being mapped, in any order
  std::uint64_t next_read_ = 0;
  std::uint64_t next_out_ = 0;
  bool reading_ = false;  // a worker has the reader's turn
  bool input_done_ = false;
  bool stop_ = false;
  std::exception_ptr failure_;
  Slot* current_slot_ = nullptr;
  const RowBlock* current_ = nullptr;
  std::size_t at_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace twinscan::imports
