#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/outcome.h"
#include "analyzer/io/graph_image.h"
#include "analyzer/io/snapshot_codec.h"
#include "analyzer/model/graph.h"
#include "analyzer/rules/compiled_rule_cache.h"
#include "analyzer/rules/home_country.h"

namespace twinscan::engine {

/// What to open as a registry.
struct RegistrySpec {
  /// Registry documents or folders of `*.json`, merged in order; the first may be a
  /// snapshot (twinscan compile), which brings its own schema.
  std::vector<std::string> paths;
  std::vector<std::string> schema;  ///< Schema extensions over the built-in schema.
  /// The overseeing country given by the user (--home-country), already normalised
  /// (rules::normalise_country_code); empty: the one country of the municipalities.
  std::string home_country;
  bool keep_schema_sources = false;  ///< Keep the schema documents read, for write_snapshot().
  /// A request to merge after the registry (screen): it may refer to the registry's
  /// entities but not define them again. Empty: none.
  std::string request;
  /// A judgements file (--judgements): ids judged the same become one entity. Empty: none.
  std::string judgements;
  /// Keep the registry ready to be copied privately for each screening (a server that
  /// screens many requests against one registry; see Request::merge).
  bool private_copies = false;
};

/// An opened registry: the merged, validated graph and what the rules need to know of
/// it. Immutable once opened, so that one Registry serves any number of scans, screenings
/// and queries at once; a screening merges its request into a copy (engine::Request).
class Registry {
 public:
  /// Opens the registry of `spec`. Every problem goes to `diagnostics` (as soon as it is
  /// found when it streams); returns nothing on error, with the reason in `failure`.
  static std::optional<Registry> open(const RegistrySpec& spec, diag::Diagnostics& diagnostics,
                                      Outcome* failure = nullptr);

  [[nodiscard]] const model::Graph& graph() const { return *graph_; }
  [[nodiscard]] const std::shared_ptr<const model::Graph>& shared_graph() const { return graph_; }
  [[nodiscard]] const RegistrySpec& spec() const { return spec_; }
  /// The home country of spec().home_country, else of the registry's municipalities.
  [[nodiscard]] const rules::HomeCountry& home_country() const { return home_country_; }
  /// Documents read, a snapshot's included.
  [[nodiscard]] std::size_t documents() const { return documents_; }
  /// Bytes of JSON read (not counting a snapshot).
  [[nodiscard]] std::uint64_t bytes() const { return bytes_; }

  /// Whether the registry can be written as a snapshot: not when it was opened from a
  /// snapshot or without spec().keep_schema_sources.
  [[nodiscard]] bool can_write_snapshot() const { return !schema_sources_.empty(); }
  /// Gives the registry's snapshot bytes to `sink`, a block at a time
  /// (io::SnapshotCodec::write); false when it cannot be written or `sink` refused a block.
  bool write_snapshot(const io::SnapshotCodec::Sink& sink) const;

  /// What private copies of the graph are made from (spec().private_copies), or null:
  /// when it was not asked for, or the registry is a snapshot with documents after it.
  [[nodiscard]] const io::GraphImage* image() const { return image_.get(); }
  /// The groups of ids the judgements join (each group's ids name one entity), each led by
  /// the id the judgements name first.
  [[nodiscard]] const std::vector<std::vector<std::string>>& judged_same() const {
    return judged_same_;
  }
  /// The rules compiled for the registry whose private copy this is, shared by the
  /// screenings of every copy; null when the registry is not copied privately.
  [[nodiscard]] const std::shared_ptr<rules::CompiledRuleCache>& compiled_rules() const {
    return compiled_rules_;
  }
  /// `base` with `graph`, a private copy of base's graph with a request merged in, in
  /// place of its graph; `documents` is how many documents that graph holds.
  static Registry with_graph(const Registry& base, std::shared_ptr<const model::Graph> graph,
                             std::size_t documents);

 private:
  RegistrySpec spec_;
  std::shared_ptr<const model::Graph> graph_;
  rules::HomeCountry home_country_;
  std::size_t documents_ = 0;
  std::uint64_t bytes_ = 0;
  // Makes image_ (spec_.private_copies).
  void make_image(diag::Diagnostics& diagnostics);

  io::SchemaSources schema_sources_;
  std::shared_ptr<const io::GraphImage> image_;
  std::vector<std::vector<std::string>> judged_same_;
  std::shared_ptr<rules::CompiledRuleCache> compiled_rules_;
};

}  // namespace twinscan::engine
