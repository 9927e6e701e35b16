// Diagnostics: at most a limited number of one kind of problem are shown, the rest are
// counted in one line; text echoed from the input is escaped for the terminal.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/util/terminal_text.h"

using twinscan::diag::Diagnostics;
using twinscan::util::escape_for_terminal;

namespace {

std::size_t count_lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n' ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("diagnostics: problems of one kind are capped, and the rest counted in one line",
          "[diagnostics]") {
  Diagnostics d;
  for (int i = 0; i < 150; ++i) {
    d.error({"r.json", 1, static_cast<std::uint32_t>(10 + i)},
            "relation target 'x" + std::to_string(i) + "' names no entity");
  }
  d.error({"r.json", 2, 1}, "property 'share' must be a number, not a string");
  d.warning({"r.json", 3, 1}, "unusual value 'x'");
  CHECK(d.error_count() == 151);  // every error counts, shown or not
  CHECK(d.left_out() == 50);
  CHECK(d.all().size() == 102);
  std::ostringstream out;
  d.print(out);
  CHECK(count_lines(out.str()) == 103);
  CHECK(out.str().find("twinscan: note: 50 more errors of this kind left out (100 are shown "
                       "per kind), the first at r.json:1:110: relation target 'x100' names no "
                       "entity\n") != std::string::npos);
  std::ostringstream errors_only;
  d.print(errors_only, false);
  CHECK(count_lines(errors_only.str()) == 102);
}

TEST_CASE("diagnostics: streamed diagnostics are written as they come, capped the same way",
          "[diagnostics]") {
  std::ostringstream out;
  Diagnostics d;
  d.set_limit_per_kind(2);
  d.stream_to(out, false);
  d.error({"a.json", 1, 1}, "duplicate entity id 'a'");
  CHECK(out.str() == "a.json:1:1: error: duplicate entity id 'a'\n");
  d.warning({"a.json", 1, 2}, "a warning, not shown when quiet");
  d.error({"a.json", 2, 1}, "duplicate entity id 'b'");
  d.error({"a.json", 3, 1}, "duplicate entity id 'c'");
  d.error({"a.json", 4, 1}, "duplicate entity id 'd'");
  CHECK(d.all().empty());
  CHECK(d.error_count() == 4);
  d.print(out, false);
  CHECK(out.str() ==
        "a.json:1:1: error: duplicate entity id 'a'\n"
        "a.json:2:1: error: duplicate entity id 'b'\n"
        "twinscan: note: 2 more errors of this kind left out (2 are shown per kind), the first "
        "at a.json:3:1: duplicate entity id 'c'\n");
}

TEST_CASE("diagnostics: the kind of a problem ignores quoted text and numbers", "[diagnostics]") {
  CHECK(Diagnostics::kind_of("relation target 'a' names no entity") ==
        Diagnostics::kind_of("relation target 'bb:1' names no entity"));
  CHECK(Diagnostics::kind_of("duplicate entity id 'a'; first defined at r.json:5:5") ==
        Diagnostics::kind_of("duplicate entity id 'b'; first defined at r.json:17:2"));
  CHECK(Diagnostics::kind_of("property 'x' must be a bool") !=
        Diagnostics::kind_of("property 'x' must be a date"));
}

TEST_CASE("terminal text: control and bidi characters are escaped, the rest kept",
          "[diagnostics]") {
  CHECK(escape_for_terminal("Ashdod אשדוד 上海 é") == "Ashdod אשדוד 上海 é");
  CHECK(escape_for_terminal("a\x1b[2Jb") == "a\\u{1b}[2Jb");
  CHECK(escape_for_terminal("line\nforged\r\t") == "line\\u{0a}forged\\u{0d}\\u{09}");
  CHECK(escape_for_terminal(std::string("nul\0x", 5)) == "nul\\u{00}x");
  CHECK(escape_for_terminal("del\x7f c1\u0085\u009b") == "del\\u{7f} c1\\u{85}\\u{9b}");
  CHECK(escape_for_terminal("\u202aa\u202e\u2066b\u2069") ==
        "\\u{202a}a\\u{202e}\\u{2066}b\\u{2069}");
  CHECK(escape_for_terminal("bad \xff byte") == "bad \\x{ff} byte");
  // A diagnostic's file and message are escaped when printed.
  twinscan::diag::Diagnostic d{twinscan::diag::Severity::kError, {}, "id 'x\ny'", {}};
  d.where.file = "f\x1b.json";
  d.where.line = 1;
  d.where.column = 2;
  CHECK(d.to_string() == "f\\u{1b}.json:1:2: error: id 'x\\u{0a}y'");
}
