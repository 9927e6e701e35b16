#include "analyzer/export/text_sink.h"

#include <charconv>

namespace twinscan::exports {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

void TextSink::put_int(std::int64_t value) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  put(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

void TextSink::put_double(double value) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  put(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

void TextSink::put_float(float value) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  put(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

void TextSink::flush() {
  if (buffer_.empty()) return;
  flush_(buffer_);
  flushed_ += buffer_.size();
  buffer_.clear();
}

std::string double_text(double value) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  return {buf, static_cast<std::size_t>(r.ptr - buf)};
}

std::string float_text(float value) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  return {buf, static_cast<std::size_t>(r.ptr - buf)};
}

void put_xml(TextSink& out, std::string_view text) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::string_view replacement;
    switch (c) {
      case '&':
        replacement = "&amp;";
        break;
      case '<':
        replacement = "&lt;";
        break;
      case '>':
        replacement = "&gt;";
        break;
      case '"':
        replacement = "&quot;";
        break;
      case '\'':
        replacement = "&apos;";
        break;
      case '\t':
        replacement = "&#9;";
        break;
      case '\n':
        replacement = "&#10;";
        break;
      case '\r':
        replacement = "&#13;";
        break;
      default:
        if (c < 0x20 || c == 0x7F) replacement = kReplacement;
        break;
    }
    // U+FFFE and U+FFFF are not XML characters either (the only others outside XML's
    // range are the controls above and surrogates, which UTF-8 text does not hold).
    std::size_t length = 1;
    if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xBE) {
      replacement = kReplacement;
      length = 3;
    }
    if (replacement.empty()) continue;
    out.put(text.substr(start, i - start));
    out.put(replacement);
    start = i + length;
    i += length - 1;
  }
  out.put(text.substr(start));
}

void put_json_string(TextSink& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.put('"');
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.put(text.substr(start, i - start));
    start = i + 1;
    switch (c) {
      case '"':
        out.put("\\\"");
        break;
      case '\\':
        out.put("\\\\");
        break;
      case '\n':
        out.put("\\n");
        break;
      case '\r':
        out.put("\\r");
        break;
      case '\t':
        out.put("\\t");
        break;
      default: {
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.put(std::string_view(escaped, sizeof escaped));
      }
    }
  }
  out.put(text.substr(start));
  out.put('"');
}

void put_dot_string(TextSink& out, std::string_view text) {
  // Graphviz's scanner refuses a quoted string longer than 16 KiB; a longer text is
  // written as pieces joined by DOT's `+` ("…" + "…"), cut between characters.
  constexpr std::size_t kPiece = 8192;
  out.put('"');
  std::size_t start = 0;
  std::size_t piece = 0;  // bytes of the piece open, escapes included
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (piece >= kPiece && (c & 0xC0U) != 0x80U) {
      out.put(text.substr(start, i - start));
      out.put("\" + \"");
      start = i;
      piece = 0;
    }
    std::string_view replacement;
    if (c == '"') {
      replacement = "\\\"";
    } else if (c == '\\') {
      replacement = "\\\\";
    } else if (c == '\n') {
      replacement = "\\n";
    } else if (c < 0x20 || c == 0x7F) {
      replacement = kReplacement;
    } else {
      ++piece;
      continue;
    }
    out.put(text.substr(start, i - start));
    out.put(replacement);
    piece += replacement.size();
    start = i + 1;
  }
  out.put(text.substr(start));
  out.put('"');
}

void put_csv_field(TextSink& out, std::string_view text, bool guard) {
  const bool formula = guard && !text.empty() &&
                       (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r');
  const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) {
    if (formula) out.put('\'');
    out.put(text);
    return;
  }
  out.put('"');
  if (formula) out.put('\'');
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '"') continue;
    out.put(text.substr(start, i + 1 - start));
    out.put('"');
    start = i + 1;
  }
  out.put(text.substr(start));
  out.put('"');
}

}  // namespace twinscan::exports
