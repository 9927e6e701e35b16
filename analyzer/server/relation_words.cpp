#include "analyzer/server/relation_words.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <utility>

#include "analyzer/server/html.h"

namespace twinscan::server {
namespace {

/// One phrase per relation kind of data/schema.json, read from the relation's source to
/// its target.
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kPhrases{{
    {"TWINNED_WITH", "is twinned with"},
    {"PARTY_TO", "is a party to"},
    {"CONCERNS", "concerns"},
    {"LOCATED_IN", "is located in"},
    {"OWNED_BY", "is owned by"},
    {"CONTROLLED_BY", "is controlled by"},
    {"BIDDER_ON", "bid on"},
    {"CONTRACTOR_OF", "builds or supplies"},
    {"OPERATOR_OF", "operates"},
    {"FINANCIER_OF", "finances"},
    {"NOTIFIED", "was notified to"},
    {"REPRESENTS", "represents"},
    {"HELD_OFFICE", "held office at"},
    {"BROKERED", "brokered"},
}};

/// 0.45 as "45%", 0.125 as "12.5%".
std::string percentage(double fraction) {
  const double percent = fraction * 100.0;
  char text[32];
  if (std::fabs(percent - std::round(percent)) < 1e-9) {
    std::snprintf(text, sizeof text, "%.0f%%", percent);
  } else {
    std::snprintf(text, sizeof text, "%.1f%%", percent);
  }
  return text;
}

// An end known by its id alone is named by it once, not twice.
std::string shown_name(const std::string& name, const std::string& id) {
  if (name.empty() || name == id)
    return "<bdi dir=\"auto\" class=\"name\">" + escape_html(id) + "</bdi>";
  return "<bdi dir=\"auto\" class=\"name\">" + escape_html(name) + "</bdi> <span class=\"id\">" +
         escape_html(id) + "</span>";
}

}  // namespace

RelationInWords relation_in_words(const model::Graph& graph, model::RelationId r) {
  RelationInWords out;
  const auto from = graph.relation_source(r);
  const auto to = graph.relation_target(r);
  out.from_id = std::string(graph.id(from));
  out.from_name = std::string(graph.name(from));
  out.kind = graph.schema().relation(graph.relation_kind(r)).name;
  out.to_id = std::string(graph.id(to));
  out.to_name = std::string(graph.name(to));
  for (const auto& p : graph.relation_properties(r)) {
    if (graph.str(p.key) != "share") continue;
    if (p.value.type == model::ValueType::kNumber) out.share = percentage(p.value.number);
    if (p.value.type == model::ValueType::kInt) {
      out.share = percentage(static_cast<double>(p.value.integer));
    }
  }
  return out;
}

std::string relation_phrase(std::string_view kind) {
  for (const auto& [name, phrase] : kPhrases) {
    if (name == kind) return std::string(phrase);
  }
  std::string out;
  for (const char c : kind) {
    if (c == '_' || c == '-') {
      out += ' ';
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

std::string relation_verb(const RelationInWords& r) {
  if (r.kind == "OWNED_BY" && !r.share.empty()) return "is " + r.share + " owned by";
  return relation_phrase(r.kind);
}

std::string kind_html(std::string_view kind, std::string_view phrase) {
  return "<span class=\"verb\" title=\"" + escape_html(kind) + "\">" + escape_html(phrase) +
         "</span>";
}

namespace {

bool is_word_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// A schema's relation kinds are written in capitals, digits and underscores.
bool looks_like_kind(std::string_view text) {
  return !text.empty() && text[0] >= 'A' && text[0] <= 'Z' &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
         });
}

}  // namespace

std::string dot_relations_in_words(std::string_view dot) {
  constexpr std::string_view kLabel = "[label=\"";
  std::string out;
  out.reserve(dot.size() + dot.size() / 4);
  while (!dot.empty()) {
    const std::size_t end = dot.find('\n');
    const std::string_view line =
        dot.substr(0, end == std::string_view::npos ? dot.size() : end + 1);
    dot.remove_prefix(line.size());
    const std::size_t label = line.find(kLabel);
    const std::size_t start = label == std::string_view::npos ? label : label + kLabel.size();
    const std::size_t close = start == std::string_view::npos ? start : line.find('"', start);
    if (line.find("->") == std::string_view::npos || close == std::string_view::npos ||
        !looks_like_kind(line.substr(start, close - start))) {
      out += line;
      continue;
    }
    // A phrase holds only letters, digits and spaces, so it needs no quoting in DOT.
    const std::string_view kind = line.substr(start, close - start);
    out += line.substr(0, start);
    out += relation_phrase(kind) + "\", tooltip=\"" + std::string(kind);
    out += line.substr(close);
  }
  return out;
}

std::string text_with_relations_in_words(const model::Schema& schema, std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = i;
    while (j < text.size() && is_word_char(text[j])) ++j;
    if (j == i) {
      // Not a word: copied up to the next one.
      while (j < text.size() && !is_word_char(text[j])) ++j;
      out += escape_html(text.substr(i, j - i));
    } else if (const std::string_view word = text.substr(i, j - i);
               looks_like_kind(word) && schema.find_relation(word)) {
      out += "“" + kind_html(word, relation_phrase(word)) + "”";
    } else {
      out += escape_html(word);
    }
    i = j;
  }
  return out;
}

std::optional<RelationInWords> relation_of_derived_id(std::string_view id) {
  // The kind is the capitals between the last '-' before an "->" and that arrow.
  for (std::size_t arrow = id.find("->"); arrow != std::string_view::npos;
       arrow = id.find("->", arrow + 1)) {
    const std::size_t dash = id.rfind('-', arrow == 0 ? 0 : arrow - 1);
    if (dash == std::string_view::npos || dash == 0 || dash + 1 >= arrow) continue;
    const std::string_view kind = id.substr(dash + 1, arrow - dash - 1);
    if (!looks_like_kind(kind)) continue;
    std::string_view to = id.substr(arrow + 2);
    if (const std::size_t repeat = to.rfind('#');
        repeat != std::string_view::npos && repeat + 1 < to.size() &&
        std::all_of(to.begin() + static_cast<std::ptrdiff_t>(repeat) + 1, to.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      to = to.substr(0, repeat);
    }
    if (to.empty()) continue;
    RelationInWords out;
    out.from_id = std::string(id.substr(0, dash));
    out.kind = std::string(kind);
    out.to_id = std::string(to);
    return out;
  }
  return std::nullopt;
}

std::string relation_html(const RelationInWords& r) {
  return shown_name(r.from_name, r.from_id) + " <span class=\"verb\">" +
         escape_html(relation_verb(r)) + "</span> " + shown_name(r.to_name, r.to_id);
}

std::string relation_sentence(const RelationInWords& r) {
  return (r.from_name.empty() ? r.from_id : r.from_name) + " " + relation_verb(r) + " " +
         (r.to_name.empty() ? r.to_id : r.to_name);
}

}  // namespace twinscan::server
