// The list of report formats in docs/reports.md is the format table's, so that the
// page cannot fall behind the formats `--format` accepts.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "analyzer/report/format_table.h"

namespace {

const std::string kPage = std::string(TWINSCAN_SOURCE_DIR) + "/docs/reports.md";
const std::string kBegin = "<!-- formats:begin -->\n";
const std::string kEnd = "<!-- formats:end -->";

std::string read_page() {
  std::ifstream in(kPage, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("the format list of docs/reports.md is the format table's", "[docs]") {
  const std::string text = read_page();
  const auto first = text.find(kBegin);
  REQUIRE(first != std::string::npos);
  const auto last = text.find(kEnd, first);
  REQUIRE(last != std::string::npos);
  INFO("refresh it with: unit_tests \"[.update-docs]\"");
  CHECK(text.substr(first + kBegin.size(), last - first - kBegin.size()) ==
        twinscan::report::formats_markdown());
}

// Not run by default: `unit_tests "[.update-docs]"` writes the table into the page.
TEST_CASE("the format list of docs/reports.md is refreshed", "[.update-docs]") {
  std::string text = read_page();
  const auto first = text.find(kBegin);
  REQUIRE(first != std::string::npos);
  const auto last = text.find(kEnd, first);
  REQUIRE(last != std::string::npos);
  text.replace(first + kBegin.size(), last - first - kBegin.size(),
               twinscan::report::formats_markdown());
  std::ofstream(kPage, std::ios::binary) << text;
  CHECK(read_page() == text);
}

TEST_CASE("every report format has a name, a one-line summary and a writer", "[report]") {
  const auto& table = twinscan::report::format_table();
  REQUIRE_FALSE(table.empty());
  for (const auto& spec : table) {
    INFO(spec.name);
    CHECK(std::string(spec.summary).find('\n') == std::string::npos);
    CHECK(std::string(spec.summary).find('|') == std::string::npos);
    CHECK(spec.write != nullptr);
    CHECK(twinscan::report::find_format(spec.name) == &spec);
  }
  CHECK(twinscan::report::find_format("no-such-format") == nullptr);
}
