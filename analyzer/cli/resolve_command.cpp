#include <cstddef>
#include <string>
#include "analyzer/cli/command.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "analyzer/cli/registry_options.h"
#include "analyzer/identity/identity_clusters.h"
#include "analyzer/identity/judgements.h"
#include "analyzer/identity/resolver.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::cli {
namespace {

/// `twinscan resolve`: candidate pairs of entities that may be one, with the evidence.
class ResolveCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  double min_score_ = 0.6;
  std::size_t limit_ = 0;
  std::string format_ = "text";
};

using identity::Candidate;

std::string two_decimals(double x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

double one_decimal(double x) {
  return std::round(x * 10) / 10;
}

void write_json(const model::Graph& g, const std::vector<Candidate>& candidates) {
  rapidjson::OStreamWrapper out(std::cout);
  rapidjson::PrettyWriter<rapidjson::OStreamWrapper> w(out);
  w.SetMaxDecimalPlaces(2);
  auto string = [&w](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  w.Key("candidates");
  w.StartArray();
  for (const auto& c : candidates) {
    w.StartObject();
    w.Key("ids");
    w.StartArray();
    string(g.id(c.a));
    string(g.id(c.b));
    w.EndArray();
    w.Key("kind");
    string(g.schema().kind(g.kind(c.a)).name);
    w.Key("names");
    w.StartArray();
    string(g.name(c.a));
    string(g.name(c.b));
    w.EndArray();
    w.Key("score");
    w.Double(c.score);
    w.Key("features");
    w.StartObject();
    w.Key("name");
    w.StartObject();
    w.Key("similarity");
    w.Double(c.name.similarity);
    w.Key("how");
    string(c.name.how);
    w.Key("a");
    string(c.name.a);
    w.Key("a_is");
    string(c.name.a_alias ? "alias" : "name");
    w.Key("b");
    string(c.name.b);
    w.Key("b_is");
    string(c.name.b_alias ? "alias" : "name");
    w.Key("shared_by");
    w.Uint(c.name.shared_by);
    w.EndObject();
    w.Key("country");
    if (c.country_a.empty() || c.country_b.empty()) {
      w.Null();
    } else {
      w.StartObject();
      w.Key("a");
      string(c.country_a);
      w.Key("b");
      string(c.country_b);
      w.Key("agree");
      w.Bool(c.country_a == c.country_b);
      w.EndObject();
    }
    w.Key("distance_km");
    if (c.distance_km) {
      w.Double(one_decimal(*c.distance_km));
    } else {
      w.Null();
    }
    w.Key("shared_neighbours");
    w.StartArray();
    for (const auto n : c.shared_neighbours) string(g.id(n));
    w.EndArray();
    w.Key("same_source");
    w.Bool(c.same_source);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::cout << '\n';
}

std::string quoted(std::string_view text, bool alias) {
  return std::string(alias ? "alias " : "") + "\"" + util::escape_for_terminal(text) + "\"";
}

void write_text(const model::Graph& g, const std::vector<Candidate>& candidates, double min_score) {
  for (const auto& c : candidates) {
    std::cout << two_decimals(c.score) << "  " << util::escape_for_terminal(g.name(c.a)) << " ("
              << util::escape_for_terminal(g.id(c.a)) << ")  ~  "
              << util::escape_for_terminal(g.name(c.b)) << " ("
              << util::escape_for_terminal(g.id(c.b)) << ")  " << g.schema().kind(g.kind(c.a)).name
              << '\n';
    std::cout << "      name " << two_decimals(c.name.similarity) << ", " << c.name.how << ": "
              << quoted(c.name.a, c.name.a_alias) << " ~ " << quoted(c.name.b, c.name.b_alias);
    if (c.name.shared_by > 0) {
      std::cout << " (also the name of " << c.name.shared_by << " other"
                << (c.name.shared_by == 1 ? "" : "s") << ")";
    }
    std::cout << '\n';
    std::string evidence;
    if (!c.country_a.empty() && !c.country_b.empty()) {
      evidence += "country " + util::escape_for_terminal(c.country_a) +
                  (c.country_a == c.country_b ? " = " : " != ") +
                  util::escape_for_terminal(c.country_b);
    }
    if (c.distance_km) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f km apart", one_decimal(*c.distance_km));
      evidence += (evidence.empty() ? "" : "; ") + std::string(buf);
    }
    if (!c.shared_neighbours.empty()) {
      evidence += evidence.empty() ? "" : "; ";
      evidence += "both related to";
      for (std::size_t i = 0; i < c.shared_neighbours.size(); ++i) {
        evidence += (i ? ", " : " ") + util::escape_for_terminal(g.id(c.shared_neighbours[i]));
      }
    }
    if (c.same_source) {
      evidence += evidence.empty() ? "" : "; ";
      evidence += "both from " + util::escape_for_terminal(g.documents()[g.source(c.a).document]);
    }
    if (!evidence.empty()) std::cout << "      " << evidence << '\n';
  }
  if (candidates.empty()) {
    std::cout << "no candidate pairs scoring " << two_decimals(min_score) << " or more\n";
  } else {
    std::cout << candidates.size() << " candidate pair" << (candidates.size() == 1 ? "" : "s")
              << "; record a decision with 'twinscan judge --judgements FILE A B "
                 "same|different --by NAME'\n";
  }
}

}  // namespace

void ResolveCommand::configure(CLI::App& app) {
  registry_.add_to(app);
  app.add_option("--min-score", min_score_, "Offer only pairs scoring this much or more (0..1)")
      ->check(CLI::Range(0.0, 1.0))
      ->default_val(0.6);
  app.add_option("--limit", limit_, "At most this many candidates, best first (0: all)")
      ->default_val(0);
  app.add_option("--format", format_, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_val("text");
  app.footer(
      "Nothing is merged: the candidates are for a person to judge (twinscan judge). "
      "Exit status 0 whether or not there are candidates.");
}

int ResolveCommand::run(const GlobalOptions& global) {
  int open_status = 0;
  const auto registry = open_registry(registry_.spec(), global, open_status);
  if (!registry) return open_status;
  const model::Graph& g = registry->graph();
  identity::IdentityClusters clusters;
  if (!registry_.judgements.empty()) {
    diag::Diagnostics diagnostics;
    std::vector<identity::Judgement> judgements;
    const auto status = identity::read_judgements(registry_.judgements, judgements, diagnostics);
    if (status == identity::JudgementsStatus::kOk) {
      // The canonical id of a cluster is its member first in load order.
      clusters = identity::IdentityClusters::build(
          judgements,
          [&g](std::string_view id) -> std::uint64_t {
            const auto v = g.find(id);
            return v ? *v : UINT64_MAX;
          },
          diagnostics);
    }
    print_diagnostics(diagnostics, global);
    if (status == identity::JudgementsStatus::kMissing) return util::kExitNoInput;
    if (diagnostics.has_errors()) return util::kExitDataError;
  }
  identity::ResolveOptions options;
  options.min_score = min_score_;
  options.limit = limit_;
  options.judged = registry_.judgements.empty() ? nullptr : &clusters;
  identity::ResolveStats stats;
  const auto start = std::chrono::steady_clock::now();
  const auto candidates = identity::resolve(g, options, &stats);
  spdlog::debug(
      "resolve: {} keys, {} blocks ({} skipped as too common), {} pairs scored, {} judged "
      "pairs left out, {:.2f} s",
      stats.blocking.keys, stats.blocking.blocks, stats.blocking.skipped_blocks, stats.scored,
      stats.judged,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (format_ == "json") {
    write_json(g, candidates);
  } else {
    write_text(g, candidates, min_score_);
  }
  return util::kExitOk;
}

std::unique_ptr<Command> make_resolve_command() {
  return std::make_unique<ResolveCommand>();
}

}  // namespace twinscan::cli
