#include "analyzer/followup/indicator_writers.h"

#include <algorithm>
#include <map>
#include <sstream>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "analyzer/followup/charts.h"
#include "analyzer/report/table_writer.h"
#include "analyzer/util/country_name.h"
#include "analyzer/util/html_text.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::followup {
namespace {

using util::escape_html;

constexpr const char* kKeyOrder[] = {"municipality", "country", "year",      "type",
                                     "status",       "sector",  "compliance"};
constexpr const char* kNotStated = "(not stated)";

// What a group value reads as for people: a municipality's name, a country's code and
// name, other values as they are.
std::string shown(const model::Graph& graph, const std::string& key,
                  const std::optional<std::string>& value) {
  if (!value) return kNotStated;
  if (key == "municipality") {
    if (const auto v = graph.find(*value)) return std::string(graph.name(*v));
  }
  if (key == "country") {
    const std::string name = util::country_name(*value);
    if (!name.empty()) return *value + " " + name;
  }
  if (key == "compliance" && *value == "within-period") return "within the period";
  if (key == "type" || key == "status" || key == "sector" || key == "compliance") {
    // Words, not codes: "letter of intent", "real estate", "cannot judge".
    std::string words = *value;
    std::replace_if(
        words.begin(), words.end(), [](char c) { return c == '_' || c == '-'; }, ' ');
    return words;
  }
  return *value;
}

// "1 agreement has no signing date and is left out of WHAT." (or "3 agreements have …").
std::string without_year_sentence(std::size_t n, const std::string& what) {
  return std::to_string(n) +
         (n == 1 ? " agreement has no signing date and is left out of "
                 : " agreements have no signing date and are left out of ") +
         what + ".";
}

// "Agreements", "Notifications coming due", … for an indicator's name.
std::string heading(const std::string& name) {
  if (name == "ties") return "Twin-city ties";
  if (name == "agreements") return "Agreements";
  if (name == "projects") return "Projects";
  if (name == "notification") return "Notification of agreements";
  if (name == "agreements-past-term") return "Agreements past their term, still in force";
  if (name == "notifications-coming-due") return "Notifications coming due";
  return name;
}

// The group keys of indicator `name`, in the order its groups give them.
std::vector<std::string> keys_of(const Indicators& in, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& i : in.indicators) {
    if (i.name != name) continue;
    for (const auto& [key, value] : i.group) {
      if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
    }
  }
  return out;
}

const std::optional<std::string>* value_of(const Indicator& i, const std::string& key) {
  for (const auto& [k, v] : i.group) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string by_text(const Indicators& in) {
  std::string out;
  for (const Dimension d : in.by) {
    if (!out.empty()) out += ", ";
    out += to_string(d);
  }
  return out;
}

void write_text(const model::Graph& graph, const Indicators& in, std::ostream& out) {
  out << "Indicators as of " << in.as_of;
  if (!in.home_country.empty()) out << " (home country " << in.home_country << ")";
  if (!in.by.empty()) out << ", grouped by " << by_text(in);
  out << "\n";
  for (const auto& name : indicator_names()) {
    std::vector<const Indicator*> rows;
    for (const auto& i : in.indicators) {
      if (i.name == name) rows.push_back(&i);
    }
    if (rows.empty()) {
      if (std::find(in.counted.begin(), in.counted.end(), name) != in.counted.end())
        out << "\n" << heading(name) << "\n  none\n";
      continue;
    }
    const auto keys = keys_of(in, name);
    std::vector<std::vector<std::string>> cells;
    cells.push_back(keys);
    cells.back().emplace_back("count");
    for (const Indicator* i : rows) {
      std::vector<std::string> row;
      for (const auto& key : keys) {
        const auto* v = value_of(*i, key);
        row.push_back(util::escape_for_terminal(v ? shown(graph, key, *v) : std::string()));
      }
      row.push_back(std::to_string(i->value));
      cells.push_back(std::move(row));
    }
    std::vector<std::size_t> width(keys.size() + 1, 0);
    for (const auto& row : cells) {
      for (std::size_t c = 0; c < row.size(); ++c)
        width[c] = std::max(width[c], report::display_width(row[c]));
    }
    out << "\n" << heading(name) << "\n";
    for (const auto& row : cells) {
      std::string line = " ";
      for (std::size_t c = 0; c < row.size(); ++c) {
        const std::size_t pad = width[c] - report::display_width(row[c]);
        if (c + 1 == row.size()) {
          line += " " + std::string(pad, ' ') + row[c];  // counts right-aligned
        } else {
          line += " " + row[c] + std::string(pad, ' ');
        }
      }
      out << line << "\n";
    }
  }
  if (in.agreements_without_year > 0) {
    out << "\n"
        << without_year_sentence(in.agreements_without_year, "counts by year of signing") << "\n";
  }
  for (const auto& note : in.notes) out << "\nnote: " << util::escape_for_terminal(note) << "\n";
}

// One JSON value, compact.
template <typename Fill>
std::string compact_json(Fill fill) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  fill(w);
  return {buffer.GetString(), buffer.GetSize()};
}

void put_string(rapidjson::Writer<rapidjson::StringBuffer>& w, const std::string& text) {
  w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

// Pretty enough to read and to diff: one indicator per line.
void write_json(const Indicators& in, std::ostream& out) {
  using W = rapidjson::Writer<rapidjson::StringBuffer>;
  out << "{\n  \"as_of\": " << compact_json([&](W& w) { put_string(w, in.as_of); })
      << ",\n  \"by\": " << compact_json([&](W& w) {
           w.StartArray();
           for (const Dimension d : in.by) w.String(to_string(d));
           w.EndArray();
         })
      << ",\n  \"home_country\": " << compact_json([&](W& w) {
           if (in.home_country.empty()) {
             w.Null();
           } else {
             put_string(w, in.home_country);
           }
         })
      << ",\n  \"indicators\": [";
  for (std::size_t n = 0; n < in.indicators.size(); ++n) {
    const Indicator& i = in.indicators[n];
    out << (n == 0 ? "\n    " : ",\n    ") << compact_json([&](W& w) {
      w.StartObject();
      w.Key("name");
      put_string(w, i.name);
      w.Key("group");
      w.StartObject();
      for (const auto& [key, value] : i.group) {
        put_string(w, key);
        if (value) {
          put_string(w, *value);
        } else {
          w.Null();
        }
      }
      w.EndObject();
      w.Key("value");
      w.Uint64(i.value);
      w.EndObject();
    });
  }
  out << (in.indicators.empty() ? "]" : "\n  ]")
      << ",\n  \"agreements_per_year\": " << compact_json([&](W& w) {
           w.StartObject();
           for (const auto& [year, n] : in.agreements_per_year) {
             put_string(w, year);
             w.Uint64(n);
           }
           w.EndObject();
         })
      << ",\n  \"notes\": " << compact_json([&](W& w) {
           w.StartArray();
           for (const auto& note : in.notes) put_string(w, note);
           w.EndArray();
         })
      << "\n}\n";
}

std::string csv_field(const std::string& text) {
  // A leading = + - @ would be read as a formula by a spreadsheet.
  std::string t = text;
  if (!t.empty() && (t[0] == '=' || t[0] == '+' || t[0] == '-' || t[0] == '@')) t = "'" + t;
  if (t.find_first_of(",\"\r\n") == std::string::npos) return t;
  std::string out = "\"";
  for (const char c : t) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void write_csv(const Indicators& in, std::ostream& out) {
  std::vector<std::string> keys;
  for (const char* key : kKeyOrder) {
    for (const auto& i : in.indicators) {
      if (value_of(i, key) != nullptr) {
        keys.emplace_back(key);
        break;
      }
    }
  }
  out << "name";
  for (const auto& k : keys) out << ',' << k;
  out << ",value\r\n";
  for (const auto& i : in.indicators) {
    out << csv_field(i.name);
    for (const auto& k : keys) {
      out << ',';
      if (const auto* v = value_of(i, k); v != nullptr && *v) out << csv_field(**v);
    }
    out << ',' << i.value << "\r\n";
  }
}

// The sum of each indicator's values by one key's value.
std::vector<Bar> bars_by(const model::Graph& graph, const Indicators& in, const std::string& name,
                         const std::string& key) {
  std::map<std::optional<std::string>, std::uint64_t> sums;
  for (const auto& i : in.indicators) {
    if (i.name != name) continue;
    if (const auto* v = value_of(i, key)) sums[*v] += i.value;
  }
  std::vector<Bar> out;
  for (const auto& [value, n] : sums) {
    if (value) out.push_back({shown(graph, key, value), n});
  }
  const bool ordered = key == "year" || key == "compliance";
  if (!ordered) {
    std::stable_sort(out.begin(), out.end(),
                     [](const Bar& a, const Bar& b) { return a.value > b.value; });
  }
  if (const auto it = sums.find(std::nullopt); it != sums.end())
    out.push_back({kNotStated, it->second});
  return out;
}

}  // namespace

bool is_indicator_format(const std::string& format) {
  return format == "text" || format == "json" || format == "csv" || format == "html";
}

std::string indicator_sections_html(const model::Graph& graph, const Indicators& in) {
  std::string out = "<section class=\"indicator-charts\">\n";
  for (const auto& name : indicator_names()) {
    for (const auto& key : keys_of(in, name)) {
      const auto bars = bars_by(graph, in, name, key);
      if (bars.empty()) continue;
      out +=
          "<figure class=\"chart\">" +
          bar_chart_svg(heading(name) + " by " + (key == "compliance" ? "standing" : key), bars) +
          "</figure>\n";
    }
  }
  if (!in.agreements_per_year.empty()) {
    out += "<figure class=\"chart\">" +
           line_chart_svg("Agreements signed per year", in.agreements_per_year) + "</figure>\n";
  }
  out += "</section>\n";
  for (const auto& name : indicator_names()) {
    const auto keys = keys_of(in, name);
    std::string rows;
    for (const auto& i : in.indicators) {
      if (i.name != name) continue;
      rows += "<tr>";
      for (const auto& key : keys) {
        const auto* v = value_of(i, key);
        rows +=
            "<td><bdi>" + escape_html(v ? shown(graph, key, *v) : std::string()) + "</bdi></td>";
      }
      rows += "<td class=\"num\">" + std::to_string(i.value) + "</td></tr>\n";
    }
    if (rows.empty()) {
      if (std::find(in.counted.begin(), in.counted.end(), name) != in.counted.end())
        out += "<h2>" + escape_html(heading(name)) + "</h2>\n<p>None.</p>\n";
      continue;
    }
    out += "<h2>" + escape_html(heading(name)) + "</h2>\n<table class=\"indicators\"><thead><tr>";
    for (const auto& key : keys) out += "<th>" + escape_html(key) + "</th>";
    out += "<th class=\"num\">count</th></tr></thead>\n<tbody>\n" + rows + "</tbody></table>\n";
  }
  if (in.agreements_without_year > 0) {
    out += "<p>" +
           without_year_sentence(in.agreements_without_year, "the line of agreements per year") +
           "</p>\n";
  }
  for (const auto& note : in.notes) out += "<p class=\"note\">" + escape_html(note) + "</p>\n";
  return out;
}

std::string render_indicators(const model::Graph& graph, const Indicators& in,
                              const std::string& format) {
  std::ostringstream out;
  if (format == "json") {
    write_json(in, out);
  } else if (format == "csv") {
    write_csv(in, out);
  } else if (format == "html") {
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<title>Twinscan indicators as of "
        << escape_html(in.as_of)
        << "</title>\n<style>\nbody{font-family:sans-serif;margin:2em;color:#111827;max-width:"
           "72em}\nfigure.chart{display:inline-block;margin:0 2em 2em 0;vertical-align:top}\n"
           "table.indicators{border-collapse:collapse;margin-bottom:1.5em}\n"
           "table.indicators th,table.indicators td{border:1px solid #d1d5db;padding:.2em .6em;"
           "text-align:left}\ntd.num,th.num{text-align:right}\n.note{color:#92400e}\n</style>\n"
           "</head>\n<body>\n<h1>Indicators as of "
        << escape_html(in.as_of) << "</h1>\n<p>";
    if (!in.home_country.empty()) out << "Home country " << escape_html(in.home_country) << ". ";
    out << (in.by.empty() ? std::string("Totals.") : "Grouped by " + escape_html(by_text(in)) + ".")
        << " A tie is counted once however many sources state it; an agreement or project with "
           "several values of a group (two municipalities, partners of two countries) counts once "
           "in each.</p>\n"
        << indicator_sections_html(graph, in) << "</body>\n</html>\n";
  } else {
    write_text(graph, in, out);
  }
  return out.str();
}

}  // namespace twinscan::followup
