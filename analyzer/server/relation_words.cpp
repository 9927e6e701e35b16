#include "analyzer/server/relation_words.h"

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

std::string shown_name(const std::string& name, const std::string& id) {
  return "<bdi dir=\"auto\" class=\"name\">" + escape_html(name.empty() ? id : name) +
         "</bdi> <span class=\"id\">" + escape_html(id) + "</span>";
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

namespace {
std::string phrase_of(const RelationInWords& r) {
  if (r.kind == "OWNED_BY" && !r.share.empty()) return "is " + r.share + " owned by";
  return relation_phrase(r.kind);
}
}  // namespace

std::string relation_html(const RelationInWords& r) {
  return shown_name(r.from_name, r.from_id) + " <span class=\"verb\">" + escape_html(phrase_of(r)) +
         "</span> " + shown_name(r.to_name, r.to_id);
}

std::string relation_sentence(const RelationInWords& r) {
  return (r.from_name.empty() ? r.from_id : r.from_name) + " " + phrase_of(r) + " " +
         (r.to_name.empty() ? r.to_id : r.to_name);
}

}  // namespace twinscan::server
