// The escaping every export format relies on, the streamed atomic writer, and the export
// page's coverage of the format table.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "analyzer/export/export_format.h"
#include "analyzer/export/text_sink.h"
#include "analyzer/util/atomic_file.h"

namespace {

using twinscan::exports::TextSink;

template <typename F>
std::string render(F&& f) {
  std::string out;
  TextSink sink([&](std::string_view s) { out.append(s); });
  f(sink);
  sink.flush();
  return out;
}

std::string csv(std::string_view text, bool guard = true) {
  return render([&](TextSink& s) { twinscan::exports::put_csv_field(s, text, guard); });
}

}  // namespace

TEST_CASE("csv fields are quoted by RFC 4180 and formulas guarded", "[export]") {
  CHECK(csv("plain") == "plain");
  CHECK(csv("a,b") == "\"a,b\"");
  CHECK(csv("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv("two\nlines") == "\"two\nlines\"");
  CHECK(csv("=1+1") == "'=1+1");
  CHECK(csv("+1") == "'+1");
  CHECK(csv("-1") == "'-1");
  CHECK(csv("@x") == "'@x");
  CHECK(csv("\tx") == "'\tx");
  CHECK(csv("\rx") == "\"'\rx\"");
  CHECK(csv("=HYPERLINK(\"u\",\"x\")") == "\"'=HYPERLINK(\"\"u\"\",\"\"x\"\")\"");
  CHECK(csv("=1", false) == "=1");
}

TEST_CASE("xml text escapes markup and carries no character XML 1.0 forbids", "[export]") {
  const auto xml = render([](TextSink& s) { twinscan::exports::put_xml(s, "a<&>\"'\n\t\x01z"); });
  CHECK(xml == "a&lt;&amp;&gt;&quot;&apos;&#10;&#9;\xEF\xBF\xBDz");
}

TEST_CASE("dot strings escape quotes, backslashes and line ends", "[export]") {
  const auto dot =
      render([](TextSink& s) { twinscan::exports::put_dot_string(s, "a\"b\\c\nd\x02"); });
  CHECK(dot == "\"a\\\"b\\\\c\\nd\xEF\xBF\xBD\"");
}

TEST_CASE("json strings escape quotes and control characters", "[export]") {
  const auto json =
      render([](TextSink& s) { twinscan::exports::put_json_string(s, "q\"\\\n\x1f"); });
  CHECK(json == "\"q\\\"\\\\\\n\\u001f\"");
}

TEST_CASE("numbers are written as the shortest text that reads back the same", "[export]") {
  CHECK(twinscan::exports::double_text(0.35) == "0.35");
  CHECK(twinscan::exports::double_text(1) == "1");
  CHECK(twinscan::exports::float_text(32.1F) == "32.1");
}

TEST_CASE("a streamed atomic file appears only when committed", "[export]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "twinscan-atomic-writer-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "out.txt").string();
  {
    std::ofstream(path) << "before";
    twinscan::util::AtomicFileWriter writer;
    std::string error;
    REQUIRE(writer.open(path, error));
    REQUIRE(writer.write("half", error));
  }  // abandoned: the file stays as it was and no temporary file is left
  {
    std::ifstream in(path);
    std::string text;
    std::getline(in, text);
    CHECK(text == "before");
  }
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  twinscan::util::AtomicFileWriter writer;
  std::string error;
  REQUIRE(writer.open(path, error));
  REQUIRE(writer.write("after", error));
  REQUIRE(writer.commit(error));
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  CHECK(text == "after");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  fs::remove_all(dir);
}

TEST_CASE("docs/export.md has a section for every export format", "[docs]") {
  std::ifstream in(std::string(TWINSCAN_SOURCE_DIR) + "/docs/export.md", std::ios::binary);
  std::ostringstream page;
  page << in.rdbuf();
  for (const auto& format : twinscan::exports::export_formats()) {
    INFO(format.name);
    CHECK(page.str().find(std::string("\n## `") + format.name + "`") != std::string::npos);
  }
}
