#include "analyzer/report/table_writer.h"

#include <cmath>
#include <ostream>

#include <rapidjson/writer.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include "analyzer/report/json_output_stream.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::report {
namespace {

using query::Type;
using query::Value;
using Writer = rapidjson::Writer<JsonOutputStream>;

void write_json_value(Writer& w, const model::Graph& graph, const Value& v) {
  switch (v.type) {
    case Type::kNull:
      w.Null();
      break;
    case Type::kBool:
      w.Bool(v.boolean);
      break;
    case Type::kInt:
      w.Int64(v.integer);
      break;
    case Type::kFloat:
      if (std::isfinite(v.number)) {
        w.Double(v.number);
      } else {
        w.Null();
      }
      break;
    case Type::kString:
      w.String(v.text.data(), static_cast<rapidjson::SizeType>(v.text.size()));
      break;
    case Type::kDate:
      w.String(v.date.to_string());
      break;
    case Type::kRange:  // a number known only within bounds (days_between of a partial date)
      w.StartObject();
      w.Key("min");
      w.Double(v.range().lo);
      w.Key("max");
      w.Double(v.range().hi);
      w.EndObject();
      break;
    case Type::kLocation:
      w.StartObject();
      // Locations are stored in single precision: print the digits that carry meaning.
      w.Key("lat");
      w.Double(std::round(static_cast<double>(v.location.lat) * 1e5) / 1e5);
      w.Key("lon");
      w.Double(std::round(static_cast<double>(v.location.lon) * 1e5) / 1e5);
      w.EndObject();
      break;
    case Type::kNode: {
      const auto id = graph.id(v.node);
      w.String(id.data(), static_cast<rapidjson::SizeType>(id.size()));
      break;
    }
    case Type::kRelation: {
      const auto id = graph.relation_id(v.relation);
      w.String(id.data(), static_cast<rapidjson::SizeType>(id.size()));
      break;
    }
    case Type::kList:
      w.StartArray();
      for (const auto& item : v.list()) write_json_value(w, graph, item);
      w.EndArray();
      break;
    case Type::kPath: {
      w.StartObject();
      w.Key("nodes");
      w.StartArray();
      for (auto n : v.path().nodes) write_json_value(w, graph, Value::of_node(n));
      w.EndArray();
      w.Key("relationships");
      w.StartArray();
      for (auto r : v.path().relations) write_json_value(w, graph, Value::of_relation(r));
      w.EndArray();
      w.EndObject();
      break;
    }
  }
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  std::int32_t i = 0;
  const auto n = static_cast<std::int32_t>(text.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (c < 0) {
      ++width;
      continue;
    }
    // Combining and enclosing marks, format characters (zero-width joiners) and
    // Hangul vowel and final jamo take no column of their own.
    const auto category = u_getIntPropertyValue(c, UCHAR_GENERAL_CATEGORY);
    if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK ||
        category == U_FORMAT_CHAR || (c >= 0x1160 && c <= 0x11FF)) {
      continue;
    }
    const int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    width += (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) ? 2 : 1;
  }
  return width;
}

void write_table(const query::ResultTable& table, const model::Graph& graph, TableFormat format,
                 std::ostream& out) {
  if (format == TableFormat::kJson) {
    JsonOutputStream stream(out);
    Writer w(stream);
    w.StartObject();
    w.Key("columns");
    w.StartArray();
    for (const auto& c : table.columns) w.String(c);
    w.EndArray();
    w.Key("rows");
    w.StartArray();
    for (const auto& row : table.rows) {
      w.StartArray();
      for (const auto& v : row) write_json_value(w, graph, v);
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
    stream.Flush();
    out << '\n';
    return;
  }
  std::vector<std::vector<std::string>> cells;
  cells.reserve(table.rows.size());
  for (const auto& row : table.rows) {
    std::vector<std::string> texts;
    texts.reserve(row.size());
    for (const auto& v : row) {
      // A table is read on a terminal: no value may break a row or reorder a line.
      std::string text = format == TableFormat::kTable
                             ? util::escape_for_terminal(query::to_display(graph, v))
                             : query::to_display(graph, v);
      // A text a spreadsheet would run as a formula (= + - @, a tab or a carriage return
      // first) gets a leading apostrophe, as in every CSV Twinscan writes; numbers stay
      // numbers.
      const bool number = v.type == query::Type::kInt || v.type == query::Type::kFloat ||
                          v.type == query::Type::kRange;
      if (format == TableFormat::kCsv && !number && !text.empty() &&
          std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos) {
        text.insert(text.begin(), '\'');
      }
      texts.push_back(std::move(text));
    }
    cells.push_back(std::move(texts));
  }
  if (format == TableFormat::kCsv) {
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      out << (i ? "," : "") << csv_field(table.columns[i]);
    }
    out << "\r\n";
    for (const auto& row : cells) {
      for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csv_field(row[i]);
      out << "\r\n";
    }
    return;
  }
  std::vector<std::string> columns;
  columns.reserve(table.columns.size());
  for (const auto& c : table.columns) columns.push_back(util::escape_for_terminal(c));
  std::vector<std::size_t> widths;
  widths.reserve(columns.size());
  for (const auto& c : columns) widths.push_back(display_width(c));
  for (const auto& row : cells) {
    for (std::size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  }
  auto write_row = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      out << row[i];
      if (i + 1 < row.size()) out << std::string(widths[i] - display_width(row[i]) + 2, ' ');
    }
    out << '\n';
  };
  write_row(columns);
  std::vector<std::string> rule;
  rule.reserve(widths.size());
  for (auto w : widths) rule.emplace_back(w, '-');
  write_row(rule);
  for (const auto& row : cells) write_row(row);
  out << "(" << table.rows.size() << " row" << (table.rows.size() == 1 ? "" : "s") << ")\n";
}

}  // namespace twinscan::report
