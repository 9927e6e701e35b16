#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/cli/command.h"
#include "analyzer/cli/explore_options.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/explore/entity_lookup.h"
#include "analyzer/history/timeline.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan timeline ID`: the dated events of an entity or a tie, oldest first.
class TimelineCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  ExploreOptions explore_;
  std::vector<std::string> ids_;
  std::string format_ = "text";
};

void TimelineCommand::configure(CLI::App& app) {
  registry_.add_to(app, false);
  app.add_option("id", ids_,
                 "An entity (its id, name or alias), a relation id (a tie such as "
                 "mun:ashdod-TWINNED_WITH->city:wuhan), or two entities (the tie between them)")
      ->type_name("ID [ID2]")
      ->expected(1, 2);
  app.add_option("--format", format_, "Output format")
      ->check(CLI::IsMember({"text", "json", "html"}))
      ->default_val("text");
  explore_.add_output(app);
  app.footer(
      "Events are the date properties the schema marks with \"event\" (agreement signed, "
      "twinned, notified, project started or frozen, office held, representation, ended); a "
      "schema extension (--schema) may mark its own. Partial dates keep their precision and "
      "sort before the full dates of their period. An entity's timeline holds its own dates, "
      "those of its relations, and those of the agreements and projects one relation away "
      "with their relations; a tie's, the relations between its two ends and the agreements "
      "and projects both deal with. Facts whose kind declares an event but that carry no date "
      "are listed apart as undated. An unknown id exits 65.");
}

int TimelineCommand::run(const GlobalOptions& global) {
  // An id or a tie's two ids, when --registry swallowed them.
  if (ids_.empty()) {
    ids_ = take_back_positionals(registry_, 2);
    if (!ids_.empty()) {
      if (const int status = refuse_stray_registry_values(registry_, "an id or a tie's two ids"))
        return status;
    }
  }
  if (ids_.empty()) {
    std::cerr << "twinscan: error: timeline needs ID, an entity or a relation id (or two "
                 "entities for the tie between them)\n(run 'twinscan timeline --help' for "
                 "usage)\n";
    return util::kExitUsage;
  }
  if (registry_.registry.empty()) {
    std::cerr << "twinscan: error: --registry is required\n(run 'twinscan timeline --help' "
                 "for usage)\n";
    return util::kExitUsage;
  }
  int status = 0;
  const auto registry = open_registry(registry_.spec(), global, status);
  if (!registry) return status;
  const model::Graph& g = registry->graph();
  diag::Diagnostics diagnostics = streaming_diagnostics(global);
  std::optional<history::Timeline> timeline;
  if (ids_.size() == 1) {
    if (const auto r = history::find_relation(g, ids_[0]); r && !g.find(ids_[0])) {
      timeline = history::tie_timeline(g, g.relation_source(*r), g.relation_target(*r));
      timeline->subject = ids_[0];
    } else if (const auto v = explore::lookup_entity(g, ids_[0], "ID", diagnostics)) {
      timeline = history::entity_timeline(g, *v);
    }
  } else {
    const auto a = explore::lookup_entity(g, ids_[0], "ID", diagnostics);
    const auto b = explore::lookup_entity(g, ids_[1], "ID2", diagnostics);
    if (a && b) timeline = history::tie_timeline(g, *a, *b);
  }
  print_diagnostics(diagnostics, global);
  if (!timeline) return util::kExitDataError;
  std::string text;
  if (format_ == "json") {
    text = history::timeline_json(g, *timeline);
  } else if (format_ == "html") {
    text = history::timeline_html(g, *timeline);
  } else {
    text = history::timeline_text(g, *timeline);
  }
  return explore_.write(text, "the timeline");
}

}  // namespace

std::unique_ptr<Command> make_timeline_command() {
  return std::make_unique<TimelineCommand>();
}

}  // namespace twinscan::cli
