#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/io/import/importer.h"
#include "analyzer/util/atomic_file.h"

namespace twinscan::imports {

/// Appends `text` as a JSON string (quoted, escaped) to `out`. Returns false when `text`
/// is not valid UTF-8 (each bad byte is then written as U+FFFD).
bool append_json_string(std::string& out, std::string_view text);

/// Appends the JSON object of an entity or relation (`{"id": …, "kind": …, …}`) as the
/// document writer writes it. False when a string of it is not valid UTF-8.
bool render_entity(std::string& out, const Entity& entity);
bool render_relation(std::string& out, const Relation& relation);

/// Streams one twinscan/1 document — format, source, entities, relations, one item a
/// line — to an output through util::AtomicFileWriter: nothing appears at the output
/// unless commit() is called (a regular file is written to a temporary file and renamed;
/// for standard output or a device the entities wait in a scratch file). Entities and
/// relations may come interleaved: relations wait in memory (up to 16 MiB), then far
/// ahead in the output's temporary file (util::AtomicFileWriter::open_tail()), which
/// commit() joins up to the entities, or, when the output cannot hold them so, in a
/// scratch file appended after the entities by the kernel. A document whose relations
/// were joined up may hold a run of spaces after `"relations": [`, up to the file
/// system's block (JSON ignores it), where the join took nothing to copy.
class DocumentWriter : public RecordSink {
 public:
  /// How relations wait: set aside in blocks of `relation_block` bytes, held in memory
  /// up to `relations_held` bytes, then at the output's tail (when `output_tail` and the
  /// output allows it) or in a scratch file (copied into the output by the kernel at the
  /// end).
  struct Limits {
    std::size_t relation_block = std::size_t{1} << 18;  ///< small: copied from the cache
    std::size_t relations_held = std::size_t{16} << 20;
    bool output_tail = true;
  };
  DocumentWriter() = default;
  explicit DocumentWriter(Limits limits) : limits_(limits) {}
  DocumentWriter(const DocumentWriter&) = delete;
  DocumentWriter& operator=(const DocumentWriter&) = delete;
  ~DocumentWriter() override;

  /// Opens `output` ("-": standard output) and writes the document's head. False with
  /// `error` set when it cannot be written.
  bool open(const std::string& output, const SourceInfo& source, std::string& error);

  bool entity(const Entity& entity) override;
  bool relation(const Relation& relation) override;
  void entity_text(std::string_view json) override;
  void relation_text(std::string_view json) override;
  [[nodiscard]] std::uint64_t relations_written() const override { return relations_; }
  void leave_out_relations(std::vector<std::uint64_t> ordinals) override;
  void drop_record() override;
  void commit_record() override;

  /// Completes the document and puts it in place. False with `error` set.
  bool commit(std::string& error);

  [[nodiscard]] std::uint64_t entities() const { return entities_; }
  [[nodiscard]] std::uint64_t relations() const { return relations_; }

 private:
  bool write_entities(std::string_view text, std::string& error);
  /// Writes the relations' text (held, then the scratch file's or the tail's, then the
  /// buffer's),
  /// leaving out those of left_out_ and mending the commas between the others.
  bool write_relations_leaving_out(std::string& error);
  /// Moves the relations' buffer to those held in memory or, past a limit, to the
  /// scratch file.
  bool set_relations_aside(std::string& error);

  Limits limits_;
  util::AtomicFileWriter out_;
  std::FILE* entity_scratch_ = nullptr;  ///< when the output is not a regular file
  std::FILE* relation_scratch_ = nullptr;
  std::string entity_buffer_;
  std::string relation_buffer_;
  /// Blocks of relations set aside before the scratch file's (copied, so that the buffer's
  /// memory serves again).
  std::vector<std::vector<char>> held_relations_;
  std::size_t held_bytes_ = 0;
  std::size_t entity_mark_ = 0;  ///< buffer sizes and counts at the record's start
  std::size_t relation_mark_ = 0;
  std::uint64_t entities_ = 0;
  std::uint64_t relations_ = 0;
  std::vector<std::uint64_t> left_out_;  ///< ordinals of relations not to write, ascending
  std::uint64_t entities_mark_ = 0;
  std::uint64_t relations_mark_ = 0;
  std::string failure_;  ///< a write error met while streaming, reported by commit()
  bool open_ = false;
};

}  // namespace twinscan::imports
