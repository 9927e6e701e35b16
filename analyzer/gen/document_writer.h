#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace twinscan::gen {

/// Streams one registry document to disk: `{"format", "source", "entities": [...],
/// "relations": [...]}`, one item per line. Entities and relations are produced
/// together but the document lists all entities first, so relations wait in a
/// buffer that spills to a scratch file when it grows; memory stays bounded by the
/// buffer sizes whatever the document's size. Throws std::runtime_error when a
/// file cannot be written.
class DocumentWriter {
 public:
  /// Writes to `path`; `scratch` holds the relations that do not fit in memory. The
  /// document's source is `source_name`, with `source_id` and `role` when not empty.
  DocumentWriter(std::string path, std::string scratch, std::string_view source_name,
                 std::string_view retrieved, std::string_view source_id = {},
                 std::string_view role = {});
  DocumentWriter(const DocumentWriter&) = delete;
  DocumentWriter& operator=(const DocumentWriter&) = delete;
  /// Closes the files; the scratch file is removed, and `path` too unless finished.
  ~DocumentWriter();

  /// The buffer to append the next entity (or relation) object to.
  std::string& entity() {
    if (entities_ > 0) entity_buffer_.append(",\n", 2);
    ++entities_;
    return entity_buffer_;
  }
  std::string& relation() {
    if (relations_ > 0) relation_buffer_.append(",\n", 2);
    ++relations_;
    return relation_buffer_;
  }
  /// Writes out or spills the buffers once they are large; call between items.
  void flush_if_full() {
    if (entity_buffer_.size() >= kEntityBuffer) write(file_, entity_buffer_, path_);
    if (relation_buffer_.size() >= kRelationBuffer) spill();
  }
  /// Completes the document and closes it.
  void finish();

  [[nodiscard]] std::uint64_t entities() const { return entities_; }
  [[nodiscard]] std::uint64_t relations() const { return relations_; }
  [[nodiscard]] std::uint64_t bytes() const { return bytes_; }

 private:
  static constexpr std::size_t kEntityBuffer = std::size_t{4} << 20;
  static constexpr std::size_t kRelationBuffer = std::size_t{32} << 20;

  void write(std::FILE* file, std::string& buffer, const std::string& name);
  void spill();

  std::string path_;
  std::string scratch_path_;
  std::FILE* file_ = nullptr;
  std::FILE* scratch_ = nullptr;
  std::string entity_buffer_;
  std::string relation_buffer_;
  std::uint64_t entities_ = 0;
  std::uint64_t relations_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t spilled_ = 0;
  bool finished_ = false;
};

}  // namespace twinscan::gen
