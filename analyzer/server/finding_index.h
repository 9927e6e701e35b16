#pragma once

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "analyzer/model/graph.h"
#include "analyzer/rules/finding.h"

/// The findings the desk knows by fingerprint: those of the registry scan made at start
/// and those of every screening, in words as the pages show them.
namespace twinscan::server {

struct FindingRecord {
  std::string fingerprint;
  std::string rule;
  std::string category;
  std::string severity;
  std::string precision;
  std::string title;
  std::string message;
  std::vector<std::pair<std::string, std::string>> bindings;   ///< Variable, entity id.
  std::vector<std::pair<std::string, std::string>> entities;   ///< Id, name.
  std::vector<std::pair<std::string, std::string>> relations;  ///< Id, in words.
  std::int64_t screening = 0;  ///< The screening that found it; 0: the registry scan.
  std::string svg;             ///< The evidence drawing; empty when there is none.
};

/// A finding of `graph` in words (the drawing when `draw`; Graphviz runs one at a time).
FindingRecord record_of(const model::Graph& graph, const rules::Finding& finding,
                        std::int64_t screening, bool draw);

/// A finding as `twinscan screen --format json` writes it, named from `names` where it
/// knows the ids.
FindingRecord record_from_json(const rapidjson::Value& finding, const model::Graph& names,
                               std::int64_t screening);

/// Safe to read and add from several threads.
class FindingIndex {
 public:
  /// Keeps `record` unless its fingerprint is known (the registry scan's record wins).
  void add(FindingRecord record);
  [[nodiscard]] std::optional<FindingRecord> find(const std::string& fingerprint) const;
  /// The registry scan's findings, in report order.
  [[nodiscard]] std::vector<FindingRecord> registry_findings() const;
  [[nodiscard]] std::size_t size() const;

 private:
  mutable std::shared_mutex mutex_;
  std::vector<FindingRecord> records_;
  std::unordered_map<std::string, std::size_t> by_fingerprint_;
};

}  // namespace twinscan::server
