#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace twinscan::followup {

/// One bar: its label (plain text, escaped when drawn) and its value.
struct Bar {
  std::string label;
  std::uint64_t value = 0;
};

/// A horizontal bar chart as an inline SVG element: one bar per entry, in the order
/// given, each labelled directly with its name on the left and its value at its end, so
/// no legend is needed. Labels are isolated (U+2068 … U+2069) so that a right-to-left
/// name keeps its place. Drawn with presentation attributes only (no style attribute),
/// so it shows under a Content-Security-Policy that forbids inline style. At most
/// `max_bars` bars are drawn; a last line says how many more there are.
std::string bar_chart_svg(std::string_view title, const std::vector<Bar>& bars,
                          std::size_t max_bars = 30);

/// A line of values per year (oldest first) as an inline SVG element, each point
/// labelled with its value and every year written under the axis.
std::string line_chart_svg(std::string_view title,
                           const std::vector<std::pair<std::string, std::uint64_t>>& points);

}  // namespace twinscan::followup
