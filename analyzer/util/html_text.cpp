#include "analyzer/util/html_text.h"

#include <cstdint>

#include "analyzer/util/utf8.h"

namespace twinscan::util {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default: {
        std::uint32_t cp = 0;
        const std::size_t n = decode_utf8(text, i, cp);
        if (n == 0) {
          out += "\xEF\xBF\xBD";
          ++i;
          continue;
        }
        if (n == 1 && (cp < 0x20 || cp == 0x7F) && c != '\t' && c != '\n') {
          ++i;
          continue;
        }
        out.append(text.substr(i, n));
        i += n;
        continue;
      }
    }
    ++i;
  }
  return out;
}

}  // namespace twinscan::util
