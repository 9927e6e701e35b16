#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "analyzer/model/graph.h"
#include "analyzer/rules/finding_list.h"
#include "analyzer/server/relation_words.h"

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
  /// The relations said in words for the pages; empty for a finding read back from a
  /// stored screening (only its relation ids are known).
  std::vector<RelationInWords> relation_words;
  std::int64_t screening = 0;  ///< The screening that found it; 0: the registry scan.
  std::string svg;             ///< The evidence drawing; empty when there is none.
  /// The evidence in DOT, laid out into `svg` when the finding is first shown: neither
  /// the start-up scan nor a screening waits for Graphviz, which runs one at a time.
  std::function<std::string()> evidence_dot;
};

/// Graphviz is not thread-safe: every layout of the desk takes this mutex.
std::mutex& graphviz_mutex();

/// `dot` laid out as inline SVG (report::dot_to_svg), holding graphviz_mutex().
std::string dot_to_svg_in_turn(const std::string& dot);

/// How long the graph a finding was found in lives, which decides when its evidence is
/// put in DOT: at view time (the registry's graph, kept by the desk), or now (a
/// screening's merged graph, gone once it is answered).
enum class GraphLife : std::uint8_t { kOutlivesDesk, kEndsNow };

/// A finding of `graph` in words, with its evidence to draw when first shown.
FindingRecord record_of(const model::Graph& graph, const rules::Finding& finding,
                        std::int64_t screening, GraphLife life);

/// The member of a stored screening result that keeps what the pages say of its
/// findings: once the desk restarts, the request is in no graph the desk holds.
inline constexpr const char* kEvidenceWords = "desk_evidence";

/// Adds kEvidenceWords to a screening's JSON result: the request's agreement, the name of
/// every entity and the words of every relation its findings involve, and each finding's
/// evidence in DOT.
void add_evidence_words(rapidjson::Document& result, const model::Graph& graph,
                        const rules::FindingList& findings, const std::string& agreement);

/// The agreement kEvidenceWords records, or "" (a result stored before it was kept).
std::string agreement_of(const rapidjson::Value& result);

/// A finding as `twinscan screen --format json` writes it, named from `words` (a stored
/// result's kEvidenceWords, or null) or else from `names` where it knows the ids.
FindingRecord record_from_json(const rapidjson::Value& finding, const model::Graph& names,
                               std::int64_t screening, const rapidjson::Value* words = nullptr);

/// Safe to read and add from several threads.
class FindingIndex {
 public:
  /// Keeps `record` unless its fingerprint is known (the registry scan's record wins).
  void add(FindingRecord record);
  [[nodiscard]] bool contains(const std::string& fingerprint) const;
  /// The finding with its evidence drawn for the desk's pages, relations in words (laid
  /// out now if it was not yet).
  [[nodiscard]] std::optional<FindingRecord> find(const std::string& fingerprint);
  /// The finding with this fingerprint as it is, its evidence not drawn: for lists and the
  /// API, which show no drawing.
  [[nodiscard]] std::optional<FindingRecord> find_undrawn(const std::string& fingerprint) const;
  /// The registry scan's findings, in report order.
  [[nodiscard]] std::vector<FindingRecord> registry_findings() const;
  /// Every finding: the registry scan's in report order, then those of screenings, the
  /// newest screening first (each in its report's order).
  [[nodiscard]] std::vector<FindingRecord> all_findings() const;
  /// The registry scan's findings whose entities include `id`, in report order.
  [[nodiscard]] std::vector<FindingRecord> registry_findings_involving(const std::string& id) const;
  [[nodiscard]] std::size_t size() const;

 private:
  mutable std::shared_mutex mutex_;
  std::vector<FindingRecord> records_;
  std::unordered_map<std::string, std::size_t> by_fingerprint_;
};

}  // namespace twinscan::server
