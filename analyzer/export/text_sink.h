#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace twinscan::exports {

/// An export that could not be written (a full disk, a closed pipe): the message says why.
class ExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Buffered text for one output file: appends to a buffer that is handed to `flush`
/// whenever it passes 1 MiB, so that no export is held whole in memory. `flush` throws
/// ExportError when it cannot write.
class TextSink {
 public:
  using Flush = std::function<void(std::string_view)>;
  explicit TextSink(Flush flush) : flush_(std::move(flush)) {}
  TextSink(const TextSink&) = delete;
  TextSink& operator=(const TextSink&) = delete;

  void put(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kChunk) flush();
  }
  void put(char c) {
    buffer_.push_back(c);
    if (buffer_.size() >= kChunk) flush();
  }
  void put_int(std::int64_t value);
  /// The shortest text that reads back as the same double.
  void put_double(double value);
  /// The shortest text that reads back as the same float (locations are stored as floats).
  void put_float(float value);
  /// Hands what is buffered to the file.
  void flush();
  /// Bytes handed over so far and buffered.
  [[nodiscard]] std::uint64_t bytes() const { return flushed_ + buffer_.size(); }

 private:
  static constexpr std::size_t kChunk = std::size_t{1} << 20;
  Flush flush_;
  std::string buffer_;
  std::uint64_t flushed_ = 0;
};

/// XML character data or attribute value: & < > " ' escaped, tab, line feed and carriage
/// return as character references (so attribute values keep them), and the control
/// characters XML 1.0 cannot carry at all as U+FFFD.
void put_xml(TextSink& out, std::string_view text);
/// A JSON string, quotes included (control characters as \u escapes).
void put_json_string(TextSink& out, std::string_view text);
/// A Graphviz DOT quoted string, quotes included: " and \ escaped, a line feed as \n,
/// other control characters as U+FFFD.
void put_dot_string(TextSink& out, std::string_view text);
/// An RFC 4180 field: quoted (quotes doubled) when it holds a comma, a quote, a carriage
/// return or a line feed, or starts or ends with a space. With `guard`, a field a
/// spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return)
/// gets a leading apostrophe.
void put_csv_field(TextSink& out, std::string_view text, bool guard);

/// The number as shortest round-trip text (no locale, "1e+20" style for large values).
std::string double_text(double value);
std::string float_text(float value);

}  // namespace twinscan::exports
