#pragma once

#include <array>
#include <cstddef>
#include <ostream>

namespace twinscan::report {

/// A RapidJSON output stream that writes to a std::ostream in 64 KiB blocks. RapidJSON's
/// OStreamWrapper makes one ostream call per character, which dominated the time to
/// write a report of a hundred thousand findings.
class JsonOutputStream {
 public:
  using Ch = char;

  explicit JsonOutputStream(std::ostream& out) : out_(out) {}
  JsonOutputStream(const JsonOutputStream&) = delete;
  JsonOutputStream& operator=(const JsonOutputStream&) = delete;
  ~JsonOutputStream() { Flush(); }

  void Put(char c) {
    if (used_ == buffer_.size()) Flush();
    buffer_[used_++] = c;
  }
  void Flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(used_));
    used_ = 0;
  }

  // Unused by writers; required by the stream concept.
  [[nodiscard]] char Peek() const { return '\0'; }
  char Take() { return '\0'; }
  [[nodiscard]] std::size_t Tell() const { return 0; }
  char* PutBegin() { return nullptr; }
  std::size_t PutEnd(char*) { return 0; }

 private:
  std::ostream& out_;
  std::array<char, std::size_t{64} * 1024> buffer_{};
  std::size_t used_ = 0;
};

}  // namespace twinscan::report
