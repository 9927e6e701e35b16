#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "analyzer/io/import/importer.h"
#include "analyzer/util/atomic_file.h"

namespace twinscan::imports {

/// Appends `text` as a JSON string (quoted, escaped) to `out`. Returns false when `text`
/// is not valid UTF-8 (each bad byte is then written as U+FFFD).
bool append_json_string(std::string& out, std::string_view text);

/// Streams one twinscan/1 document — format, source, entities, relations, one item a
/// line — to an output through util::AtomicFileWriter: nothing appears at the output
/// unless commit() is called (a regular file is written to a temporary file and renamed;
/// for standard output or a device the entities wait in a scratch file). Entities and
/// relations may come interleaved: relations wait in memory and spill to a scratch file,
/// and are appended after the entities.
class DocumentWriter : public RecordSink {
 public:
  DocumentWriter() = default;
  DocumentWriter(const DocumentWriter&) = delete;
  DocumentWriter& operator=(const DocumentWriter&) = delete;
  ~DocumentWriter() override;

  /// Opens `output` ("-": standard output) and writes the document's head. False with
  /// `error` set when it cannot be written.
  bool open(const std::string& output, const SourceInfo& source, std::string& error);

  bool entity(const Entity& entity) override;
  bool relation(const Relation& relation) override;
  void drop_record() override;
  void commit_record() override;

  /// Completes the document and puts it in place. False with `error` set.
  bool commit(std::string& error);

  [[nodiscard]] std::uint64_t entities() const { return entities_; }
  [[nodiscard]] std::uint64_t relations() const { return relations_; }

 private:
  bool write_entities(std::string_view text, std::string& error);
  bool spill_relations(std::string& error);

  util::AtomicFileWriter out_;
  std::FILE* entity_scratch_ = nullptr;  ///< when the output is not a regular file
  std::FILE* relation_scratch_ = nullptr;
  std::string entity_buffer_;
  std::string relation_buffer_;
  std::size_t entity_mark_ = 0;  ///< buffer sizes and counts at the record's start
  std::size_t relation_mark_ = 0;
  std::uint64_t entities_ = 0;
  std::uint64_t relations_ = 0;
  std::uint64_t entities_mark_ = 0;
  std::uint64_t relations_mark_ = 0;
  std::string failure_;  ///< a write error met while streaming, reported by commit()
  bool open_ = false;
};

}  // namespace twinscan::imports
