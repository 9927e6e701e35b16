#include <catch2/catch.hpp>

#include <string>

#include "analyzer/followup/charts.h"

using twinscan::followup::Bar;
using twinscan::followup::bar_chart_svg;
using twinscan::followup::line_chart_svg;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("bar charts label every bar directly and isolate right-to-left names", "[followup]") {
  const std::string svg =
      bar_chart_svg("Agreements by municipality", {{"אשדוד", 4}, {"Eilat <&>", 2}, {"none", 0}});
  CHECK(count(svg, "<rect class=\"bar\"") == 3);
  CHECK(count(svg, "class=\"bar-label\"") == 3);
  CHECK(count(svg, "class=\"bar-value\"") == 3);
  // The Hebrew name sits whole inside U+2068 FIRST STRONG ISOLATE … U+2069.
  CHECK(svg.find("\xE2\x81\xA8\xD7\x90\xD7\xA9\xD7\x93\xD7\x95\xD7\x93\xE2\x81\xA9") !=
        std::string::npos);
  CHECK(svg.find("Eilat &lt;&amp;&gt;") != std::string::npos);
  CHECK(svg.find("<>") == std::string::npos);
  // The longest bar fills the bar area; a zero draws no bar but keeps its label.
  CHECK(svg.find("width=\"330.0\"") != std::string::npos);
  CHECK(svg.find("width=\"0.0\"") != std::string::npos);
}

TEST_CASE("charts draw without style attributes, for a policy that forbids inline style",
          "[followup]") {
  const std::string bars = bar_chart_svg("t", {{"a", 1}});
  const std::string line = line_chart_svg("t", {{"2018", 2}, {"2019", 1}});
  for (const auto& svg : {bars, line}) {
    CHECK(svg.find("style") == std::string::npos);
    CHECK(svg.find("<script") == std::string::npos);
  }
  CHECK(count(line, "<circle") == 2);
  CHECK(line.find("<polyline class=\"series\"") != std::string::npos);
}

TEST_CASE("a bar chart longer than its limit says how many more bars the table holds",
          "[followup]") {
  std::vector<Bar> bars;
  for (int i = 0; i < 35; ++i) bars.push_back({"m" + std::to_string(i), 1});
  const std::string svg = bar_chart_svg("many", bars, 30);
  CHECK(count(svg, "<rect class=\"bar\"") == 30);
  CHECK(svg.find("and 5 more (see the table)") != std::string::npos);
}
