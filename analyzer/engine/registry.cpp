#include "analyzer/engine/registry.h"

#include <utility>

#include "analyzer/identity/identity_clusters.h"
#include "analyzer/identity/judgements.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"

namespace twinscan::engine {

std::optional<Registry> Registry::open(const RegistrySpec& spec, diag::Diagnostics& diagnostics,
                                       Outcome* failure) {
  auto fail = [&](Outcome why) -> std::optional<Registry> {
    if (failure) *failure = why;
    return std::nullopt;
  };
  Registry out;
  out.spec_ = spec;
  // Judgements are read first: a contradiction is reported before any document is read.
  std::vector<identity::Cluster> same;
  if (!spec.judgements.empty()) {
    std::vector<identity::Judgement> judgements;
    switch (identity::read_judgements(spec.judgements, judgements, diagnostics)) {
      case identity::JudgementsStatus::kOk:
        break;
      case identity::JudgementsStatus::kMissing:
        return fail(Outcome::kMissingInput);
      case identity::JudgementsStatus::kInvalid:
        return fail(Outcome::kBadInput);
    }
    const auto clusters = identity::IdentityClusters::build(judgements, {}, diagnostics);
    if (diagnostics.has_errors()) return fail(Outcome::kBadInput);
    same = clusters.clusters();
    for (const auto& cluster : same) {
      // The id the judgements name first leads: what fingerprints call the entity.
      std::vector<std::string> ids{cluster.first_judged};
      for (const auto& id : cluster.members) {
        if (id != cluster.first_judged) ids.push_back(id);
      }
      out.judged_same_.push_back(std::move(ids));
    }
  }
  std::vector<std::string> paths = spec.paths;
  // A snapshot (twinscan compile) comes first and brings its own schema; JSON documents
  // after it are merged into it.
  std::unique_ptr<model::Graph> base;
  if (!paths.empty() && io::SnapshotCodec::is_snapshot(paths.front())) {
    if (!spec.schema.empty()) {
      diagnostics.error({}, "a snapshot carries its schema; --schema applies when it is compiled");
      return fail(Outcome::kBadUsage);
    }
    base = io::SnapshotCodec::open(paths.front(), diagnostics);
    if (!base) return fail(Outcome::kBadInput);
    paths.erase(paths.begin());
    out.documents_ = base->documents().size();
    // A snapshot compiled with these judgements has joined their ids already; one that
    // has not cannot be joined now.
    for (const auto& cluster : same) {
      const std::string* first = nullptr;
      std::optional<model::VertexId> joined;
      for (const auto& id : cluster.members) {
        const auto v = base->find(std::string_view(id));
        if (!v) continue;
        if (!joined) {
          first = &id;
          joined = v;
        } else if (*joined != *v) {
          diagnostics.error({spec.judgements, 0, 0},
                            "the snapshot keeps '" + *first + "' and '" + id +
                                "' apart, which these judgements join; judgements apply as a "
                                "registry is loaded (compile the snapshot again with "
                                "--judgements)");
          return fail(Outcome::kBadUsage);
        }
      }
    }
    if (paths.empty() && spec.request.empty()) out.graph_ = std::move(base);
  }
  if (!out.graph_) {
    bool missing = false;
    std::shared_ptr<const model::Schema> schema;
    if (!base) {
      // Private copies are made from a snapshot of the registry, which holds its schema.
      const bool keep_schema = spec.keep_schema_sources || spec.private_copies;
      schema = io::load_schema(spec.schema, diagnostics, missing,
                               keep_schema ? &out.schema_sources_ : nullptr);
      if (!schema) return fail(missing ? Outcome::kMissingInput : Outcome::kBadInput);
    }
    auto loader = base ? std::make_unique<io::RegistryLoader>(std::move(base), diagnostics)
                       : std::make_unique<io::RegistryLoader>(schema, diagnostics);
    // Paths are read together (each file read while the one before is parsed); a snapshot
    // among them is reported where it stands.
    std::vector<std::string> documents;
    for (const auto& path : paths) {
      if (io::SnapshotCodec::is_snapshot(path)) {
        loader->add_paths(std::exchange(documents, {}));
        diagnostics.error({path, 0, 0}, "only the first registry path may be a snapshot");
        continue;
      }
      documents.push_back(path);
    }
    loader->add_paths(documents);
    if (!spec.request.empty()) {
      loader->begin_request();
      loader->add_path(spec.request);
    }
    for (const auto& cluster : same) loader->join_ids(cluster.members);
    out.graph_ = loader->finish();
    out.bytes_ = loader->bytes_read();
    out.documents_ = loader->document_count();
    if (loader->missing_input()) return fail(Outcome::kMissingInput);
    if (!out.graph_) return fail(Outcome::kBadInput);
  }
  out.home_country_ = rules::resolve_home_country(*out.graph_, spec.home_country);
  if (spec.private_copies && spec.request.empty()) out.make_image(diagnostics);
  if (out.image_) out.compiled_rules_ = std::make_shared<rules::CompiledRuleCache>(out.graph_);
  return out;
}

void Registry::make_image(diag::Diagnostics& diagnostics) {
  if (spec_.paths.size() == 1 && io::SnapshotCodec::is_snapshot(spec_.paths.front())) {
    image_ = io::GraphImage::of_file(spec_.paths.front(), diagnostics);
    return;
  }
  // A snapshot with documents after it keeps no schema documents to encode again; its
  // screenings read it again (Request::merge).
  if (schema_sources_.empty()) return;
  image_ = io::GraphImage::encode(*graph_, schema_sources_, diagnostics);
  if (!image_) return;
  // The registry itself becomes a copy of its image: one set of pages serves it and
  // every screening, instead of the loaded graph beside its image.
  if (auto copy = image_->copy(diagnostics)) graph_ = std::move(copy);
  if (!spec_.keep_schema_sources) schema_sources_.clear();
}

Registry Registry::with_graph(const Registry& base, std::shared_ptr<const model::Graph> graph,
                              std::size_t documents) {
  Registry out;
  out.spec_ = base.spec_;
  out.spec_.private_copies = false;
  out.graph_ = std::move(graph);
  // The copy holds the registry's entities under the same numbers, the request's after
  // them: only a request that adds a municipality can change the home country.
  const auto municipality = out.graph_->schema().find_kind("Municipality");
  bool adds_municipality = false;
  for (auto v = base.graph_->entity_count(); v < out.graph_->entity_count(); ++v) {
    adds_municipality =
        adds_municipality ||
        (municipality && out.graph_->kind(static_cast<model::VertexId>(v)) == *municipality);
  }
  out.home_country_ = adds_municipality
                          ? rules::resolve_home_country(*out.graph_, out.spec_.home_country)
                          : base.home_country_;
  out.documents_ = documents;
  out.judged_same_ = base.judged_same_;
  out.compiled_rules_ = base.compiled_rules_;
  return out;
}

bool Registry::write_snapshot(const io::SnapshotCodec::Sink& sink) const {
  if (!can_write_snapshot()) return false;
  return io::SnapshotCodec::write(*graph_, schema_sources_, sink);
}

}  // namespace twinscan::engine
