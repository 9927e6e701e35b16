#include <iostream>
#include <string>
#include <vector>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <CLI/CLI.hpp>

#include "analyzer/cli/command.h"
#include "analyzer/cli/explore_options.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/explore/entity_lookup.h"
#include "analyzer/explore/shortest_paths.h"
#include "analyzer/explore/subgraph_formats.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::cli {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

/// `twinscan path FROM TO`: the shortest path (or every shortest path) between two entities.
class PathCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  ExploreOptions explore_;
  std::string from_, to_;
  unsigned max_hops_ = 0;
  bool directed_ = false;
  bool all_ = false;
  std::size_t max_paths_ = 100;
  std::string format_ = "text";
};

void PathCommand::configure(CLI::App& app) {
  registry_.add_to(app, false);
  app.add_option("from", from_, "Where the path starts: an entity id, name or alias")
      ->type_name("FROM");
  app.add_option("to", to_, "Where it ends: an entity id, name or alias")->type_name("TO");
  app.add_option("--max-hops", max_hops_,
                 "Look for paths of at most this many relations (0: any length)")
      ->default_val(0);
  explore_.add_relations(app);
  app.add_flag("--directed", directed_,
               "Follow relations from source to target only (default: either way)");
  app.add_flag("--all", all_, "Every shortest path, not one (at most --max-paths of them)");
  app.add_option("--max-paths", max_paths_, "With --all, list at most this many paths")
      ->default_val(100)
      ->check(CLI::Range(1, 100000));
  app.add_option("--format", format_, "Output format")
      ->check(CLI::IsMember({"text", "json", "dot"}))
      ->default_val("text");
  explore_.add_output(app);
  explore_.add_timeout(app, "the search");
}

std::string hop_text(const model::Graph& g, const std::vector<model::RelationId>& hop,
                     model::VertexId from) {
  std::string out;
  for (const auto r : hop) {
    const std::string& kind = g.schema().relation(g.relation_kind(r)).name;
    if (!out.empty()) out += " | ";
    out += g.relation_source(r) == from ? "-[" + kind + "]->" : "<-[" + kind + "]-";
  }
  return out;
}

void entity_json(Writer& w, const model::Graph& g, model::VertexId v) {
  w.StartObject();
  w.Key("id");
  w.String(g.id(v).data(), static_cast<rapidjson::SizeType>(g.id(v).size()));
  w.Key("kind");
  w.String(g.schema().kind(g.kind(v)).name.c_str());
  w.Key("name");
  w.String(g.name(v).data(), static_cast<rapidjson::SizeType>(g.name(v).size()));
  w.EndObject();
}

int PathCommand::run(const GlobalOptions& global) {
  // --registry takes several values, so it swallows FROM and TO when they follow it: take
  // them back from the end of its latest use, leaving it one registry at least.
  std::vector<std::string> given;
  for (auto* end : {&from_, &to_}) {
    if (!end->empty()) given.push_back(*end);
  }
  if (given.size() < 2) {
    const auto taken = take_back_positionals(registry_, 2 - given.size());
    given.insert(given.begin(), taken.begin(), taken.end());
    if (!taken.empty()) {
      if (const int status = refuse_stray_registry_values(registry_, "FROM and TO")) return status;
    }
  }
  if (given.size() != 2) {
    std::cerr << "twinscan: error: path needs FROM and TO, the entities to join (ids, names "
                 "or aliases)\n(run 'twinscan path --help' for usage)\n";
    return util::kExitUsage;
  }
  from_ = given[0];
  to_ = given[1];
  if (registry_.registry.empty()) {
    std::cerr << "twinscan: error: --registry is required\n(run 'twinscan path --help' for "
                 "usage)\n";
    return util::kExitUsage;
  }
  int status = 0;
  const auto registry = open_registry(registry_.spec(), global, status);
  if (!registry) return status;
  const model::Graph& g = registry->graph();
  diag::Diagnostics diagnostics = streaming_diagnostics(global);
  explore::PathOptions options;
  options.filter = explore::RelationFilter(g.schema(), explore_.relations, diagnostics);
  const auto from = explore::lookup_entity(g, from_, "FROM", diagnostics);
  const auto to = explore::lookup_entity(g, to_, "TO", diagnostics);
  print_diagnostics(diagnostics, global);
  if (!options.filter.ok()) return util::kExitUsage;
  if (!from || !to) return util::kExitDataError;
  options.directed = directed_;
  options.max_hops = max_hops_;
  options.max_paths = all_ ? max_paths_ : 1;
  options.deadline = explore_.deadline();
  const auto result = explore::shortest_paths(g, *from, *to, options);
  if (result.status == explore::PathResult::Status::kTimedOut) {
    std::cerr << "twinscan: error: path: the search ran past its deadline of "
              << explore_.timeout_ms << " ms after reaching " << result.visited
              << " entities; raise --timeout or narrow it with --max-hops or --relations\n";
    return util::kExitDataError;
  }
  const bool found = result.status == explore::PathResult::Status::kFound;
  const bool capped = all_ && result.capped;
  std::string way =
      directed_ ? "following relations from source to target" : "following relations either way";
  if (!explore_.relations.empty()) {
    way += " of the kinds ";
    for (std::size_t i = 0; i < explore_.relations.size(); ++i)
      way += (i ? ", " : "") + explore_.relations[i];
  }
  std::string text;
  if (format_ == "json") {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("from");
    entity_json(w, g, *from);
    w.Key("to");
    entity_json(w, g, *to);
    w.Key("directed");
    w.Bool(directed_);
    w.Key("max_hops");
    w.Uint(max_hops_);
    w.Key("found");
    w.Bool(found);
    w.Key("length");
    if (found) {
      w.Uint(result.length);
    } else {
      w.Null();
    }
    w.Key("paths");
    w.StartArray();
    for (const auto& p : result.paths) {
      w.StartObject();
      w.Key("entities");
      w.StartArray();
      for (const auto v : p.vertices) entity_json(w, g, v);
      w.EndArray();
      w.Key("hops");
      w.StartArray();
      for (const auto& hop : p.hops) {
        w.StartArray();
        for (const auto r : hop) {
          w.StartObject();
          w.Key("id");
          const std::string id = g.relation_id(r);
          w.String(id.data(), static_cast<rapidjson::SizeType>(id.size()));
          w.Key("kind");
          w.String(g.schema().relation(g.relation_kind(r)).name.c_str());
          w.Key("from");
          const auto source = g.id(g.relation_source(r));
          w.String(source.data(), static_cast<rapidjson::SizeType>(source.size()));
          w.Key("to");
          const auto target = g.id(g.relation_target(r));
          w.String(target.data(), static_cast<rapidjson::SizeType>(target.size()));
          w.EndObject();
        }
        w.EndArray();
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.Key("capped");
    w.Bool(capped);
    w.Key("max_paths");
    w.Uint64(all_ ? max_paths_ : 1);
    w.Key("entities_reached");
    w.Uint64(result.visited);
    w.EndObject();
    text = std::string(buffer.GetString(), buffer.GetSize()) + "\n";
  } else if (format_ == "dot") {
    std::vector<model::VertexId> vertices;
    std::vector<model::RelationId> relations;
    for (const auto& p : result.paths) {
      vertices.insert(vertices.end(), p.vertices.begin(), p.vertices.end());
      for (const auto& hop : p.hops) relations.insert(relations.end(), hop.begin(), hop.end());
    }
    if (!found) vertices = {*from, *to};
    const model::VertexId ends[] = {*from, *to};
    text = explore::subgraph_dot(
        explore::Subgraph::of(g, vertices, relations),
        std::string("path from ") + std::string(g.id(*from)) + " to " + std::string(g.id(*to)),
        ends);
  } else if (!found) {
    text = "No path from " + explore::describe_entity(g, *from) + " to " +
           explore::describe_entity(g, *to) +
           (max_hops_ ? " within " + std::to_string(max_hops_) + " hops" : std::string()) + ", " +
           way + ".\n";
  } else {
    const std::string hops =
        std::to_string(result.length) + (result.length == 1 ? " hop" : " hops");
    if (all_) {
      text = std::to_string(result.paths.size()) +
             (capped ? " shortest paths (of more; raise --max-paths to see them)"
              : result.paths.size() == 1 ? " shortest path"
                                         : " shortest paths") +
             " of " + hops + " from " + util::escape_for_terminal(g.id(*from)) + " to " +
             util::escape_for_terminal(g.id(*to)) + ", " + way + "\n";
    } else {
      text = "A shortest path of " + hops + " from " + util::escape_for_terminal(g.id(*from)) +
             " to " + util::escape_for_terminal(g.id(*to)) + ", " + way + "\n";
    }
    std::size_t number = 0;
    for (const auto& p : result.paths) {
      text += "\n";
      if (all_) text += "Path " + std::to_string(++number) + "\n";
      text += "  " + explore::describe_entity(g, p.vertices[0]) + "\n";
      for (std::size_t i = 0; i < p.hops.size(); ++i) {
        text += "    " + hop_text(g, p.hops[i], p.vertices[i]) + " " +
                explore::describe_entity(g, p.vertices[i + 1]) + "\n";
      }
    }
  }
  if (const int written = explore_.write(text, "the path"); written != 0) return written;
  return found ? util::kExitOk : util::kExitFindings;
}

}  // namespace

std::unique_ptr<Command> make_path_command() {
  return std::make_unique<PathCommand>();
}

}  // namespace twinscan::cli
