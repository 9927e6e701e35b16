#include "analyzer/gen/document_writer.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "analyzer/gen/json_text.h"

namespace twinscan::gen {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

DocumentWriter::DocumentWriter(std::string path, std::string scratch, std::string_view source_name,
                               std::string_view retrieved, std::string_view source_id,
                               std::string_view role)
    : path_(std::move(path)), scratch_path_(std::move(scratch)) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr) fail("create", path_);
  entity_buffer_.reserve(kEntityBuffer + (std::size_t{64} << 10));
  relation_buffer_.reserve(kRelationBuffer + (std::size_t{64} << 10));
  entity_buffer_ += "{\"format\":\"twinscan/1\",\n\"source\":{";
  if (!source_id.empty()) {
    entity_buffer_ += "\"id\":";
    JsonText::put_string(entity_buffer_, source_id);
    entity_buffer_ += ',';
  }
  if (!role.empty()) {
    entity_buffer_ += "\"role\":";
    JsonText::put_string(entity_buffer_, role);
    entity_buffer_ += ',';
  }
  entity_buffer_ += "\"name\":";
  JsonText::put_string(entity_buffer_, source_name);
  entity_buffer_ += ",\"retrieved\":";
  JsonText::put_string(entity_buffer_, retrieved);
  entity_buffer_ += "},\n\"entities\":[\n";
}

DocumentWriter::~DocumentWriter() {
  if (scratch_ != nullptr) std::fclose(scratch_);
  if (!scratch_path_.empty()) std::remove(scratch_path_.c_str());
  if (file_ != nullptr) std::fclose(file_);
  if (!finished_) std::remove(path_.c_str());
}

void DocumentWriter::write(std::FILE* file, std::string& buffer, const std::string& name) {
  if (buffer.empty()) return;
  if (std::fwrite(buffer.data(), 1, buffer.size(), file) != buffer.size()) fail("write", name);
  if (file == file_) bytes_ += buffer.size();
  buffer.clear();
}

void DocumentWriter::spill() {
  if (scratch_ == nullptr) {
    scratch_ = std::fopen(scratch_path_.c_str(), "w+b");
    if (scratch_ == nullptr) fail("create", scratch_path_);
  }
  spilled_ += relation_buffer_.size();
  write(scratch_, relation_buffer_, scratch_path_);
}

void DocumentWriter::finish() {
  entity_buffer_ += "\n],\n\"relations\":[\n";
  write(file_, entity_buffer_, path_);
  if (scratch_ != nullptr) {
    if (std::fflush(scratch_) != 0 || std::fseek(scratch_, 0, SEEK_SET) != 0) {
      fail("read back", scratch_path_);
    }
    std::string chunk(std::size_t{8} << 20, '\0');
    std::uint64_t left = spilled_;
    while (left > 0) {
      const std::size_t want = left < chunk.size() ? static_cast<std::size_t>(left) : chunk.size();
      if (std::fread(chunk.data(), 1, want, scratch_) != want) fail("read back", scratch_path_);
      if (std::fwrite(chunk.data(), 1, want, file_) != want) fail("write", path_);
      bytes_ += want;
      left -= want;
    }
    std::fclose(scratch_);
    scratch_ = nullptr;
    std::remove(scratch_path_.c_str());
  }
  relation_buffer_ += "\n]}\n";
  write(file_, relation_buffer_, path_);
  const bool failed = std::fflush(file_) != 0 || std::ferror(file_) != 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (failed || !closed) fail("write", path_);
  finished_ = true;
}

}  // namespace twinscan::gen
