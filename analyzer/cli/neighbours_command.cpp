#include <iostream>
#include <string>
#include <vector>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <CLI/CLI.hpp>

#include "analyzer/cli/command.h"
#include "analyzer/cli/explore_options.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"
#include "analyzer/explore/entity_lookup.h"
#include "analyzer/explore/subgraph.h"
#include "analyzer/explore/subgraph_formats.h"
#include "analyzer/export/export_format.h"
#include "analyzer/export/output_files.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::cli {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

/// `twinscan neighbours ID`: the entities within N relations of one, and the relations
/// among them.
class NeighboursCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  ExploreOptions explore_;
  std::string entity_;
  unsigned depth_ = 1;
  std::size_t max_entities_ = 10000;
  std::string format_ = "text";

  int write_exported(const explore::Subgraph& sub, const GlobalOptions& global) const;
};

void NeighboursCommand::configure(CLI::App& app) {
  registry_.add_to(app, false);
  app.add_option("entity", entity_, "The entity at the centre: its id, name or alias")
      ->type_name("ID");
  app.add_option("--depth", depth_, "How many relations away to look")
      ->default_val(1)
      ->check(CLI::Range(0, 64));
  explore_.add_relations(app);
  app.add_option("--max-entities", max_entities_,
                 "Stop after reaching this many entities (the output says it was cut short)")
      ->default_val(10000)
      ->check(CLI::Range(1, 100000000));
  app.add_option("--format", format_, "Output format")
      ->check(CLI::IsMember({"text", "json", "dot", "graphml", "gexf"}))
      ->default_val("text");
  explore_.add_output(app);
}

// The neighbourhood in GraphML or GEXF, written as `twinscan export` writes them (every
// property, typed), for Gephi and networkx.
int NeighboursCommand::write_exported(const explore::Subgraph& sub,
                                      const GlobalOptions& global) const {
  const exports::ExportFormat* format = exports::find_export_format(format_);
  exports::FileOutput file;
  std::string error;
  if (!format || !file.open_path(explore_.output, error)) {
    std::cerr << "twinscan: error: " << explore_.output << ": " << error << '\n';
    return util::kExitCantCreate;
  }
  exports::Progress progress(terminal_progress(global, "writing"),
                             sub.vertex_count() + sub.relation_count());
  try {
    format->write(sub, file, progress);
    file.commit();
  } catch (const exports::ExportError& e) {
    std::cerr << "twinscan: error: " << e.what() << '\n';
    return util::kExitCantCreate;
  }
  progress.finish();
  return util::kExitOk;
}

void string_member(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// Each reached entity's distance from `seed` in relations, walking only among the
// entities reached (so a neighbourhood cut short still gives each entity its hops).
std::vector<std::uint32_t> distances(const explore::Subgraph& sub, model::VertexId seed,
                                     const explore::RelationFilter& filter) {
  const model::Graph& g = sub.graph();
  constexpr std::uint32_t kOutside = UINT32_MAX, kUnreached = UINT32_MAX - 1;
  std::vector<std::uint32_t> dist(g.entity_count(), kOutside);
  sub.for_each_vertex([&](model::VertexId v) { dist[v] = kUnreached; });
  std::vector<model::VertexId> queue{seed};
  dist[seed] = 0;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const auto v = queue[i];
    auto visit = [&](std::span<const model::Adjacency> edges) {
      for (const auto& e : edges) {
        if (!filter.allows(e.kind) || dist[e.other] != kUnreached) continue;
        dist[e.other] = dist[v] + 1;
        queue.push_back(e.other);
      }
    };
    visit(g.out_edges(v));
    visit(g.in_edges(v));
  }
  return dist;
}

int NeighboursCommand::run(const GlobalOptions& global) {
  const bool given = !entity_.empty();
  reclaim_positional(entity_, {{&registry_.registry, &registry_.registry_runs}}, true);
  if (!given && !entity_.empty()) {
    if (const int status = refuse_stray_registry_values(registry_, "one entity")) return status;
  }
  if (entity_.empty()) {
    std::cerr << "twinscan: error: neighbours needs ID, the entity at the centre (an id, name "
                 "or alias)\n(run 'twinscan neighbours --help' for usage)\n";
    return util::kExitUsage;
  }
  if (registry_.registry.empty()) {
    std::cerr << "twinscan: error: --registry is required\n(run 'twinscan neighbours --help' "
                 "for usage)\n";
    return util::kExitUsage;
  }
  int status = 0;
  const auto registry = open_registry(registry_.spec(), global, status);
  if (!registry) return status;
  const model::Graph& g = registry->graph();
  diag::Diagnostics diagnostics = streaming_diagnostics(global);
  const explore::RelationFilter filter(g.schema(), explore_.relations, diagnostics);
  const auto seed = explore::lookup_entity(g, entity_, "ID", diagnostics);
  print_diagnostics(diagnostics, global);
  if (!filter.ok()) return util::kExitUsage;
  if (!seed) return util::kExitDataError;
  bool truncated = false;
  const model::VertexId seeds[] = {*seed};
  const auto sub = explore::neighbourhood(g, seeds, depth_, filter, max_entities_, &truncated);
  if (truncated && global.verbosity >= 0) {
    std::cerr << "twinscan: warning: the neighbourhood was cut short at " << max_entities_
              << " entities; raise --max-entities or lower --depth\n";
  }
  if (format_ == "graphml" || format_ == "gexf") return write_exported(sub, global);
  const auto dist = distances(sub, *seed, filter);
  std::string text;
  if (format_ == "json") {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    string_member(w, "centre", g.id(*seed));
    w.Key("depth");
    w.Uint(depth_);
    w.Key("truncated");
    w.Bool(truncated);
    w.Key("entities");
    w.StartArray();
    sub.for_each_vertex([&](model::VertexId v) {
      w.StartObject();
      string_member(w, "id", g.id(v));
      string_member(w, "kind", g.schema().kind(g.kind(v)).name);
      string_member(w, "name", g.name(v));
      w.Key("hops");
      w.Uint(dist[v]);
      w.EndObject();
    });
    w.EndArray();
    w.Key("relations");
    w.StartArray();
    sub.for_each_relation([&](model::RelationId r) {
      w.StartObject();
      string_member(w, "id", g.relation_id(r));
      string_member(w, "kind", g.schema().relation(g.relation_kind(r)).name);
      string_member(w, "from", g.id(g.relation_source(r)));
      string_member(w, "to", g.id(g.relation_target(r)));
      w.EndObject();
    });
    w.EndArray();
    w.EndObject();
    text = std::string(buffer.GetString(), buffer.GetSize()) + "\n";
  } else if (format_ == "dot") {
    text = explore::subgraph_dot(sub, "neighbours of " + std::string(g.id(*seed)), seeds);
  } else {
    text = explore::describe_entity(g, *seed) + ": " + std::to_string(sub.vertex_count() - 1) +
           (sub.vertex_count() == 2 ? " entity" : " entities") + " within " +
           std::to_string(depth_) + (depth_ == 1 ? " relation" : " relations") + ", " +
           std::to_string(sub.relation_count()) +
           (sub.relation_count() == 1 ? " relation" : " relations") + " among them" +
           (truncated ? " (cut short at --max-entities)" : "") + "\n";
    // Entities by distance, then id.
    std::vector<model::VertexId> order;
    sub.for_each_vertex([&](model::VertexId v) { order.push_back(v); });
    std::stable_sort(order.begin(), order.end(), [&](model::VertexId a, model::VertexId b) {
      return dist[a] != dist[b] ? dist[a] < dist[b] : g.id(a) < g.id(b);
    });
    text += "\nEntities (hops away)\n";
    for (const auto v : order) {
      text += "  " + std::to_string(dist[v]) + "  " + explore::describe_entity(g, v) + "\n";
    }
    text += "\nRelations\n";
    sub.for_each_relation([&](model::RelationId r) {
      text += "  " + util::escape_for_terminal(g.id(g.relation_source(r))) + " -[" +
              g.schema().relation(g.relation_kind(r)).name + "]-> " +
              util::escape_for_terminal(g.id(g.relation_target(r))) + "\n";
    });
  }
  return explore_.write(text, "the neighbourhood");
}

}  // namespace

std::unique_ptr<Command> make_neighbours_command() {
  return std::make_unique<NeighboursCommand>();
}

}  // namespace twinscan::cli
