#include "analyzer/followup/charts.h"

#include <algorithm>

#include "analyzer/util/html_text.h"

namespace twinscan::followup {
namespace {

using util::escape_html;

// First-strong isolate around a label: its direction is its own, its place the chart's.
std::string isolated(std::string_view text) {
  return "\xE2\x81\xA8" + escape_html(text) + "\xE2\x81\xA9";
}

// At most `max` code points of `text`, with an ellipsis when cut.
std::string shortened(std::string_view text, std::size_t max) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) == 0x80U) continue;
    if (points == max) return std::string(text.substr(0, i)) + "\xE2\x80\xA6";
    ++points;
  }
  return std::string(text);
}

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

}  // namespace

std::string bar_chart_svg(std::string_view title, const std::vector<Bar>& bars,
                          std::size_t max_bars) {
  constexpr double kLabelWidth = 230;
  constexpr double kBarArea = 330;
  constexpr double kRow = 22;
  constexpr double kTop = 28;
  const std::size_t shown = std::min(bars.size(), max_bars);
  const bool more = bars.size() > shown;
  const double height = kTop + kRow * static_cast<double>(shown + (more ? 1 : 0)) + 8;
  const double width = kLabelWidth + kBarArea + 70;
  std::uint64_t top = 1;
  for (std::size_t i = 0; i < shown; ++i) top = std::max(top, bars[i].value);
  std::string out =
      "<svg class=\"chart bars\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
      "width=\"" +
      num(width) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) + " " +
      num(height) + "\" aria-label=\"" + escape_html(title) +
      "\" font-family=\"sans-serif\" font-size=\"13\">\n<title>" + escape_html(title) +
      "</title>\n<text class=\"chart-title\" x=\"0\" y=\"16\" " +
      "font-weight=\"bold\" font-size=\"14\" fill=\"#111827\">" + escape_html(title) + "</text>\n";
  for (std::size_t i = 0; i < shown; ++i) {
    const double y = kTop + kRow * static_cast<double>(i);
    const double w = bars[i].value == 0
                         ? 0
                         : std::max(1.0, kBarArea * static_cast<double>(bars[i].value) /
                                             static_cast<double>(top));
    out += "<g class=\"bar-row\"><text class=\"bar-label\" x=\"" + num(kLabelWidth - 8) +
           "\" y=\"" + num(y + 15) + "\" text-anchor=\"end\" fill=\"#1f2937\">" +
           isolated(shortened(bars[i].label, 34)) + "</text><rect class=\"bar\" x=\"" +
           num(kLabelWidth) + "\" y=\"" + num(y + 3) + "\" width=\"" + num(w) + "\" height=\"" +
           num(kRow - 6) + "\" fill=\"#2563eb\"><title>" + escape_html(bars[i].label) + ": " +
           std::to_string(bars[i].value) + "</title></rect><text class=\"bar-value\" x=\"" +
           num(kLabelWidth + w + 6) + "\" y=\"" + num(y + 15) + "\" fill=\"#111827\">" +
           std::to_string(bars[i].value) + "</text></g>\n";
  }
  if (more) {
    out += "<text class=\"more\" x=\"" + num(kLabelWidth) + "\" y=\"" +
           num(kTop + kRow * static_cast<double>(shown) + 15) + "\" fill=\"#4b5563\">and " +
           std::to_string(bars.size() - shown) + " more (see the table)</text>\n";
  }
  return out + "</svg>";
}

std::string line_chart_svg(std::string_view title,
                           const std::vector<std::pair<std::string, std::uint64_t>>& points) {
  constexpr double kLeft = 40;
  constexpr double kTop = 40;
  constexpr double kPlotHeight = 160;
  const double step = points.size() > 24 ? 22 : 40;
  const double width =
      kLeft + step * static_cast<double>(std::max<std::size_t>(points.size(), 1)) + 30;
  const double height = kTop + kPlotHeight + 50;
  std::uint64_t top = 1;
  for (const auto& [year, n] : points) top = std::max(top, n);
  const auto x_of = [&](std::size_t i) { return kLeft + step / 2 + step * static_cast<double>(i); };
  const auto y_of = [&](std::uint64_t n) {
    return kTop + kPlotHeight - kPlotHeight * static_cast<double>(n) / static_cast<double>(top);
  };
  std::string out =
      "<svg class=\"chart line\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
      "width=\"" +
      num(width) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) + " " +
      num(height) + "\" aria-label=\"" + escape_html(title) +
      "\" font-family=\"sans-serif\" font-size=\"12\">\n<title>" + escape_html(title) +
      "</title>\n<text class=\"chart-title\" x=\"0\" y=\"16\" " +
      "font-weight=\"bold\" font-size=\"14\" fill=\"#111827\">" + escape_html(title) +
      "</text>\n<line x1=\"" + num(kLeft) + "\" y1=\"" + num(kTop + kPlotHeight) + "\" x2=\"" +
      num(width - 10) + "\" y2=\"" + num(kTop + kPlotHeight) + "\" stroke=\"#6b7280\"/>\n";
  std::string line;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!line.empty()) line += ' ';
    line += num(x_of(i)) + "," + num(y_of(points[i].second));
  }
  if (points.size() > 1) {
    out += "<polyline class=\"series\" points=\"" + line +
           "\" fill=\"none\" stroke=\"#2563eb\" stroke-width=\"2\"/>\n";
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& [year, n] = points[i];
    const double x = x_of(i);
    const double y = y_of(n);
    out += "<g class=\"point\"><circle cx=\"" + num(x) + "\" cy=\"" + num(y) +
           "\" r=\"3.5\" fill=\"#2563eb\"><title>" + escape_html(year) + ": " + std::to_string(n) +
           "</title></circle><text class=\"point-value\" x=\"" + num(x) + "\" y=\"" + num(y - 8) +
           "\" text-anchor=\"middle\" fill=\"#111827\">" + std::to_string(n) +
           "</text><text class=\"point-year\" x=\"" + num(x) + "\" y=\"" +
           num(kTop + kPlotHeight + 16) + "\" text-anchor=\"middle\" fill=\"#374151\"" +
           (points.size() > 12
                ? " transform=\"rotate(45 " + num(x) + " " + num(kTop + kPlotHeight + 16) + ")\""
                : std::string()) +
           ">" + escape_html(year) + "</text></g>\n";
  }
  return out + "</svg>";
}

}  // namespace twinscan::followup
