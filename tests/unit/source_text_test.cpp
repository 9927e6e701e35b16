#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "analyzer/diag/source_text.h"
#include "analyzer/util/utf8.h"

using twinscan::diag::count_code_points;
using twinscan::diag::find_invalid_utf8;
using twinscan::diag::SourceText;

namespace {

constexpr auto npos = std::string_view::npos;

// Line and column of the first occurrence of `needle` in `source`.
std::pair<std::uint32_t, std::uint32_t> where(const SourceText& source, std::string_view needle) {
  const std::size_t offset = source.text().find(needle);
  REQUIRE(offset != std::string::npos);
  const auto loc = source.location(offset);
  return {loc.line, loc.column};
}

using LineCol = std::pair<std::uint32_t, std::uint32_t>;

}  // namespace

TEST_CASE("registry source text: location counts lines from 1 and columns in code points",
          "[registry]") {
  // "אשדוד" is 5 code points in 10 bytes; "武汉市" is 3 code points in 9 bytes.
  const SourceText source("doc.json",
                          "{\n"
                          "  \"name\": \"אשדוד\", \"x\": 1,\n"
                          "  \"zh\": \"武汉市\", \"y\": 2\n"
                          "}");
  CHECK(source.name() == "doc.json");
  CHECK(source.location(0).file == "doc.json");
  CHECK(where(source, "{") == LineCol{1, 1});
  CHECK(where(source, "\"name\"") == LineCol{2, 3});
  CHECK(where(source, "\"אשדוד\"") == LineCol{2, 11});
  // After the Hebrew: 10 bytes but 5 columns.
  CHECK(where(source, "\"x\"") == LineCol{2, 20});
  CHECK(where(source, "1,") == LineCol{2, 25});
  CHECK(where(source, "\"武汉市\"") == LineCol{3, 9});
  CHECK(where(source, "\"y\"") == LineCol{3, 16});
  CHECK(where(source, "2\n") == LineCol{3, 21});
  CHECK(where(source, "}") == LineCol{4, 1});
}

TEST_CASE("registry source text: the line index made on first use answers alike everywhere",
          "[registry]") {
  // Long lines (past the 4 KiB blocks of code points) and short ones, with text of two
  // bytes per character, so that a wrong index shows in lines and columns.
  std::string text;
  for (int line = 0; line < 400; ++line) {
    text += std::string(static_cast<std::size_t>(line % 7 == 0 ? 5000 : 3), 'a');
    text += "\u05d0\u05d1x";  // "אב" then an x
    text += '\n';
  }
  const SourceText original("doc.json", text);
  std::vector<std::size_t> offsets;
  for (std::size_t i = text.find('x'); i != npos; i = text.find('x', i + 1)) offsets.push_back(i);
  REQUIRE(offsets.size() == 400);
  // The expected place of every x, counted here by hand: line n, after its letters and
  // the two Hebrew letters.
  auto expected = [](std::size_t line) {
    return LineCol{static_cast<std::uint32_t>(line + 1),
                   static_cast<std::uint32_t>((line % 7 == 0 ? 5000 : 3) + 2 + 1)};
  };
  // Two threads ask first at once, each for every x; both answers are right.
  std::vector<LineCol> first(offsets.size()), second(offsets.size());
  auto locate_all = [&](std::vector<LineCol>& out) {
    for (std::size_t i = 0; i < offsets.size(); ++i) {
      const auto loc = original.location(offsets[i]);
      out[i] = {loc.line, loc.column};
    }
  };
  std::thread other([&] { locate_all(second); });
  locate_all(first);
  other.join();
  // A copy, and a source moved from another, make their own index.
  const SourceText copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  SourceText moved_from("doc.json", text);
  const SourceText moved = std::move(moved_from);
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    INFO("x number " << i);
    CHECK(first[i] == expected(i));
    CHECK(second[i] == expected(i));
    const auto c = copy.location(offsets[i]);
    CHECK(LineCol{c.line, c.column} == expected(i));
    const auto m = moved.location(offsets[i]);
    CHECK(LineCol{m.line, m.column} == expected(i));
  }
  CHECK(copy.line_text(2) == "aaa\u05d0\u05d1x");
  // The source moved from answers as an empty text does.
  CHECK(moved_from.location(0).line == 1);  // NOLINT(bugprone-use-after-move)
  CHECK(moved_from.location(0).column == 1);
  CHECK(moved_from.line_text(1).empty());
}

TEST_CASE("registry source text: location treats CRLF as one line break", "[registry]") {
  const SourceText source("crlf.json", "{\r\n  \"a\": \"שלום\",\r\n  \"b\": 2\r\n}\r\n");
  CHECK(where(source, "{") == LineCol{1, 1});
  CHECK(where(source, "\r") == LineCol{1, 2});
  CHECK(where(source, "\"a\"") == LineCol{2, 3});
  CHECK(where(source, ",") == LineCol{2, 14});
  CHECK(where(source, "\"b\"") == LineCol{3, 3});
  CHECK(where(source, "2") == LineCol{3, 8});
  CHECK(where(source, "}") == LineCol{4, 1});
  CHECK(source.line_text(2) == "  \"a\": \"שלום\",");
  CHECK(source.line_text(4) == "}");
  CHECK(source.line_text(5).empty());
  CHECK(source.line_text(0).empty());
  CHECK(source.line_text(99).empty());
}

TEST_CASE("registry source text: location of the end of the text and past it", "[registry]") {
  const SourceText source("end.json", "ab\ncd");
  CHECK(source.location(5).line == 2);
  CHECK(source.location(5).column == 3);
  // Offsets past the end are clamped to the end.
  CHECK(source.location(500).line == 2);
  CHECK(source.location(500).column == 3);
  const SourceText empty("empty.json", "");
  CHECK(empty.location(0).line == 1);
  CHECK(empty.location(0).column == 1);
  // A text ending in a line break has an (empty) last line.
  const SourceText trailing("t.json", "ab\n");
  CHECK(trailing.location(3).line == 2);
  CHECK(trailing.location(3).column == 1);
}

TEST_CASE("registry source text: find_invalid_utf8 accepts valid text of every length",
          "[registry]") {
  CHECK(find_invalid_utf8("") == npos);
  CHECK(find_invalid_utf8("plain ASCII, longer than one eight-byte word") == npos);
  CHECK(find_invalid_utf8("é") == npos);                 // 2 bytes
  CHECK(find_invalid_utf8("אשדוד 武汉") == npos);        // 2 and 3 bytes
  CHECK(find_invalid_utf8("\xF0\x9F\x98\x80") == npos);  // U+1F600, 4 bytes
  CHECK(find_invalid_utf8("\xF4\x8F\xBF\xBF") == npos);  // U+10FFFF, the last code point
  CHECK(find_invalid_utf8("\xED\x9F\xBF") == npos);      // U+D7FF, just below the surrogates
  CHECK(find_invalid_utf8("\xEE\x80\x80") == npos);      // U+E000, just above them
  CHECK(find_invalid_utf8("\xC2\x80") == npos);          // U+0080, smallest 2-byte
  CHECK(find_invalid_utf8("\xE0\xA0\x80") == npos);      // U+0800, smallest 3-byte
  CHECK(find_invalid_utf8("\xF0\x90\x80\x80") == npos);  // U+10000, smallest 4-byte
  CHECK(find_invalid_utf8(std::string_view("a\0b", 3)) == npos);
}

TEST_CASE("registry source text: find_invalid_utf8 finds the first bad byte", "[registry]") {
  // Overlong encodings.
  CHECK(find_invalid_utf8("\xC0\xAF") == 0);
  CHECK(find_invalid_utf8("\xC1\xBF") == 0);
  CHECK(find_invalid_utf8("\xE0\x80\xAF") == 0);
  CHECK(find_invalid_utf8("\xE0\x9F\xBF") == 0);
  CHECK(find_invalid_utf8("\xF0\x80\x80\xAF") == 0);
  CHECK(find_invalid_utf8("\xF0\x8F\xBF\xBF") == 0);
  // UTF-16 surrogates.
  CHECK(find_invalid_utf8("\xED\xA0\x80") == 0);  // U+D800
  CHECK(find_invalid_utf8("\xED\xBF\xBF") == 0);  // U+DFFF
  // Truncated sequences, at the end and before an ASCII byte.
  CHECK(find_invalid_utf8("ab\xE6\xAD") == 2);
  CHECK(find_invalid_utf8("ab\xE6\xAD"
                          "c") == 2);
  CHECK(find_invalid_utf8("\xF0\x9F\x98") == 0);
  CHECK(find_invalid_utf8("\xC3") == 0);
  // Past U+10FFFF.
  CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0);  // U+110000
  CHECK(find_invalid_utf8("\xF5\x80\x80\x80") == 0);
  CHECK(find_invalid_utf8("\xF7\xBF\xBF\xBF") == 0);
  // Bytes that never start a sequence.
  CHECK(find_invalid_utf8("\x80") == 0);
  CHECK(find_invalid_utf8("\xBF") == 0);
  CHECK(find_invalid_utf8("\xF8\x88\x80\x80\x80") == 0);
  CHECK(find_invalid_utf8("\xFE") == 0);
  CHECK(find_invalid_utf8("\xFF") == 0);
  // Latin-1 text saved as such: "Café" with a bare 0xE9.
  CHECK(find_invalid_utf8("Caf\xE9") == 3);
}

TEST_CASE("registry source text: find_invalid_utf8 reports the offset after long valid runs",
          "[registry]") {
  // Offsets on both sides of the eight-byte fast path.
  for (std::size_t prefix = 0; prefix < 20; ++prefix) {
    std::string text(prefix, 'a');
    text += "\xFF";
    text += "tail of more than eight bytes";
    INFO("prefix " << prefix);
    CHECK(find_invalid_utf8(text) == prefix);
  }
  const std::string mixed = "אשדוד 武汉 \xF0\x9F\x98\x80 ok \xED\xA0\x80 after";
  CHECK(find_invalid_utf8(mixed) == mixed.find("\xED"));
}

TEST_CASE("registry source text: count_code_points counts characters, not bytes", "[registry]") {
  CHECK(count_code_points("") == 0);
  CHECK(count_code_points("abc") == 3);
  CHECK(count_code_points("אשדוד") == 5);
  CHECK(count_code_points("武汉") == 2);
  CHECK(count_code_points("\xF0\x9F\x98\x80!") == 2);
}

TEST_CASE("registry source text: caret_excerpt shows the line with a caret under the column",
          "[registry]") {
  const SourceText source("doc.json", "{\n  \"kind\": \"Frim\",\n}\n");
  CHECK(source.caret_excerpt(source.text().find("\"Frim\"")) ==
        "  "
        "  \"kind\": \"Frim\",\n"
        "  "
        "          ^");
  CHECK(source.caret_excerpt(0) == "  {\n  ^");
}

TEST_CASE("registry source text: caret_excerpt aligns the caret by terminal columns and keeps tabs",
          "[registry]") {
  const SourceText hebrew("he.json", "\"אשדוד\": oops");
  CHECK(hebrew.caret_excerpt(hebrew.text().find("oops")) ==
        "  \"אשדוד\": oops\n"
        "           ^");
  const SourceText chinese("zh.json", "\t\"武汉\" x\r\nnext");
  CHECK(chinese.caret_excerpt(chinese.text().find('x')) ==
        "  \t\"武汉\" x\n"
        "  \t       ^");  // each Han character takes two columns
}

TEST_CASE("registry source text: caret_excerpt is empty for overlong or invalid lines",
          "[registry]") {
  const std::string long_line(200, 'x');
  const SourceText minified("min.json", long_line);
  CHECK(minified.caret_excerpt(100).empty());
  const SourceText latin1("l1.json", "ok\n\"Caf\xE9\"\n");
  CHECK(latin1.caret_excerpt(latin1.text().find('\xE9')).empty());
  CHECK(latin1.caret_excerpt(0) == "  ok\n  ^");
}

TEST_CASE("source text: columns on a very long line are counted in code points", "[source]") {
  // A one-line document of several blocks mixing 1- to 4-byte characters: every offset's
  // column must be what counting from the start of the line gives.
  std::string text = "{\n";
  const std::string pieces[] = {"a", "é", "ש", "上", "😀", ",", " "};
  for (std::size_t i = 0; text.size() < 40000; ++i) text += pieces[(i * 7 + i / 3) % 7];
  text += "\nlast";
  const SourceText source("long.json", text);
  const std::size_t line_start = 2;
  for (std::size_t offset = line_start; offset < text.size(); offset += 997) {
    // Only offsets at the start of a character are asked for.
    while ((static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) ++offset;
    if (text[offset] == '\n') break;
    const auto loc = source.location(offset);
    INFO("offset " << offset);
    CHECK(loc.line == 2);
    CHECK(loc.column ==
          count_code_points(std::string_view(text).substr(line_start, offset - line_start)) + 1);
  }
  const auto last = source.location(text.find("last"));
  CHECK(last.line == 3);
  CHECK(last.column == 1);
}

TEST_CASE("source text: count_code_points counts word by word as byte by byte", "[source]") {
  CHECK(count_code_points("") == 0);
  CHECK(count_code_points("abcdefghij") == 10);
  CHECK(count_code_points("ééééééééé") == 9);
  CHECK(count_code_points("a上😀bcdefgh上") == 11);
}

TEST_CASE("utf8: holds_surrogate finds a surrogate after any run of ASCII or other characters",
          "[registry]") {
  const std::string surrogate = "\xED\xB0\x80";  // U+DC00, as a lone \uDC00 escape decodes
  const std::string hangul = "\xED\x9F\xBF";     // U+D7FF: starts with ED, not a surrogate
  for (std::size_t before = 0; before < 20; ++before) {
    const std::string ascii(before, 'a');
    CHECK(twinscan::util::holds_surrogate(ascii + surrogate));
    CHECK(twinscan::util::holds_surrogate(ascii + surrogate + ascii));
    CHECK(twinscan::util::holds_surrogate(ascii + "\xC3\xA9" + ascii + surrogate));
    CHECK_FALSE(twinscan::util::holds_surrogate(ascii));
    CHECK_FALSE(twinscan::util::holds_surrogate(ascii + hangul + ascii));
    CHECK_FALSE(twinscan::util::holds_surrogate(ascii + "\xC3\xA9" + ascii));
    CHECK_FALSE(twinscan::util::holds_surrogate(ascii + "\xED"));  // cut short: no second byte
  }
}

TEST_CASE("source text: advance_position moves line and column as location() counts them",
          "[registry]") {
  // Every start and end within a text of ASCII, two- and three-byte characters, CRLF and
  // LF line breaks, with runs of ASCII long enough for the sixteen- and eight-bytes-at-a-
  // time paths.
  std::string text;
  for (int i = 0; i < 12; ++i) {
    text += "abc d\xC3\xA9\xE2\x82\xAC xyz";
    if (i % 2 == 0) text += std::string(static_cast<std::size_t>(17 + 5 * i), 'k');
    text += i % 3 == 0 ? "\r\n" : (i % 3 == 1 ? "\n" : "");
  }
  const SourceText source("t.json", text);
  for (std::size_t from = 0; from <= text.size(); from += 3) {
    if (from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) continue;
    const auto start = source.location(from);
    for (std::size_t to = from; to <= text.size(); ++to) {
      if (to < text.size() && (static_cast<unsigned char>(text[to]) & 0xC0) == 0x80) continue;
      std::uint32_t line = start.line, column = start.column;
      twinscan::diag::advance_position(std::string_view(text).substr(from, to - from), line,
                                       column);
      const auto expected = source.location(to);
      INFO("from " << from << " to " << to);
      REQUIRE(line == expected.line);
      REQUIRE(column == expected.column);
    }
  }
}
