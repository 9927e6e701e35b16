#include "analyzer/model/provenance.h"

#include <algorithm>
#include <cstdio>

namespace twinscan::model {

namespace {

bool contains(std::span<const std::uint32_t> set, std::uint32_t source) {
  return std::binary_search(set.begin(), set.end(), source);
}

std::optional<Value> stated_by(const Graph& graph, std::span<const Property> props,
                               std::span<const Disagreement> others, Sym key,
                               std::uint32_t source) {
  for (const auto& p : props) {
    if (p.key == key && contains(graph.source_set(p.sources), source)) return p.value;
  }
  for (const auto& d : others) {
    if (d.key == key && contains(graph.source_set(d.sources), source)) return d.value;
  }
  return std::nullopt;
}

std::vector<std::string> describe(const Graph& graph, std::span<const Property> props,
                                  std::span<const Disagreement> others) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < others.size(); ++i) {
    const Sym key = others[i].key;
    // Each key once, with every value stated for it.
    bool seen = false;
    for (std::size_t j = 0; j < i; ++j) seen = seen || others[j].key == key;
    if (seen) continue;
    std::string text(graph.str(key));
    text += ": ";
    for (const auto& p : props) {
      if (p.key != key) continue;
      text += value_text(graph, p.value) + " (" +
              source_ids_text(graph, graph.source_set(p.sources)) + ")";
    }
    for (std::size_t j = i; j < others.size(); ++j) {
      if (others[j].key != key) continue;
      text += " vs " + value_text(graph, others[j].value) + " (" +
              source_ids_text(graph, graph.source_set(others[j].sources)) + ")";
    }
    out.push_back(std::move(text));
  }
  return out;
}

}  // namespace

std::optional<Value> value_stated_by(const Graph& graph, VertexId v, Sym key,
                                     std::uint32_t source) {
  return stated_by(graph, graph.properties(v), graph.entity_disagreements(v), key, source);
}

std::optional<Value> relation_value_stated_by(const Graph& graph, RelationId r, Sym key,
                                              std::uint32_t source) {
  return stated_by(graph, graph.relation_properties(r), graph.relation_disagreements(r), key,
                   source);
}

std::string value_text(const Graph& graph, const Value& value) {
  char buffer[64];
  switch (value.type) {
    case ValueType::kNull:
      return "null";
    case ValueType::kBool:
      return value.boolean ? "true" : "false";
    case ValueType::kInt:
      return std::to_string(value.integer);
    case ValueType::kNumber:
      std::snprintf(buffer, sizeof buffer, "%g", value.number);
      return buffer;
    case ValueType::kString:
      return "'" + std::string(graph.str(value.string)) + "'";
    case ValueType::kDate:
      return value.date.to_string();
    case ValueType::kLocation:
      std::snprintf(buffer, sizeof buffer, "(%.4f, %.4f)", static_cast<double>(value.location.lat),
                    static_cast<double>(value.location.lon));
      return buffer;
    case ValueType::kList: {
      std::string out = "[";
      for (const auto& e : graph.list(value.list)) {
        if (out.size() > 1) out += ", ";
        out += value_text(graph, e);
      }
      return out + "]";
    }
  }
  return {};
}

std::string source_ids_text(const Graph& graph, std::span<const std::uint32_t> sources) {
  std::string out;
  for (const auto s : sources) {
    if (!out.empty()) out += ", ";
    out += graph.sources()[s].id;
  }
  return out;
}

std::vector<std::string> describe_disagreements(const Graph& graph, VertexId v) {
  return describe(graph, graph.properties(v), graph.entity_disagreements(v));
}

std::vector<std::string> describe_relation_disagreements(const Graph& graph, RelationId r) {
  return describe(graph, graph.relation_properties(r), graph.relation_disagreements(r));
}

}  // namespace twinscan::model
