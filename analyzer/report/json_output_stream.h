#pragma once

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <vector>

namespace twinscan::report {

/// A RapidJSON output stream that writes to a std::ostream in 64 KiB blocks. RapidJSON's
/// OStreamWrapper makes one ostream call per character, which dominated the time to
/// write a report of a hundred thousand findings. RapidJSON's writers reserve room for
/// a whole value (PutReserve) and then put its characters without a check each
/// (PutUnsafe); the overloads below do so for this stream too.
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
  /// Makes room for `count` more characters: flushes when they do not fit, and grows
  /// the buffer for a value longer than it.
  void Reserve(std::size_t count) {
    if (buffer_.size() - used_ >= count) return;
    Flush();
    if (count > buffer_.size()) buffer_.resize(count);
  }
  /// Puts text rendered elsewhere (findings rendered on other threads): copied into the
  /// buffer when it fits, written straight through when it is larger.
  void Append(const char* text, std::size_t size) {
    if (buffer_.size() - used_ >= size) {
      std::copy(text, text + size, buffer_.data() + used_);
      used_ += size;
      return;
    }
    Flush();
    if (size >= buffer_.size()) {
      out_.write(text, static_cast<std::streamsize>(size));
    } else {
      std::copy(text, text + size, buffer_.data());
      used_ = size;
    }
  }
  /// Puts a character there is room for (after Reserve).
  void PutUnchecked(char c) { buffer_[used_++] = c; }
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
  std::vector<char> buffer_ = std::vector<char>(std::size_t{64} * 1024);
  std::size_t used_ = 0;
};

// Found by argument-dependent lookup from RapidJSON's writers, and preferred to its
// generic templates.
inline void PutReserve(JsonOutputStream& stream, std::size_t count) {
  stream.Reserve(count);
}
inline void PutUnsafe(JsonOutputStream& stream, char c) {
  stream.PutUnchecked(c);
}

}  // namespace twinscan::report
