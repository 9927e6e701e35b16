#include <algorithm>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <CLI/CLI.hpp>

#include "analyzer/cli/command.h"
#include "analyzer/cli/explore_options.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/explore/graph_metrics.h"
#include "analyzer/report/table_writer.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::cli {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

/// Above this many entities betweenness is sampled unless --betweenness-samples says.
constexpr std::size_t kExactBetweennessUpTo = 20000;
constexpr std::size_t kDefaultSamples = 200;

/// `twinscan metrics`: degree, betweenness, PageRank and components of every entity.
class MetricsCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  ExploreOptions explore_;
  std::vector<std::string> metrics_ = {"degree", "betweenness", "pagerank", "components"};
  bool directed_ = false;
  std::string format_ = "table";
  std::size_t top_ = 0;
  std::string sort_;
  long long samples_ = -1;
  std::uint64_t seed_ = 1;
};

void MetricsCommand::configure(CLI::App& app) {
  registry_.add_to(app);
  explore_.add_relations(app);
  app.add_option("--metrics", metrics_, "What to measure, comma-separated")
      ->delimiter(',')
      ->check(CLI::IsMember({"degree", "betweenness", "pagerank", "components"}))
      ->default_str("degree,betweenness,pagerank,components");
  app.add_flag("--directed", directed_,
               "Relations as directed edges (betweenness and PageRank follow them; strongly "
               "connected components too); default: undirected");
  app.add_option("--format", format_, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->default_val("table");
  app.add_option("--top", top_, "Only the N highest entities by --sort (0: every entity)")
      ->default_val(0);
  app.add_option("--sort", sort_,
                 "Order entities by this measure, highest first (default: pagerank, else "
                 "betweenness, else degree, else component)")
      ->check(CLI::IsMember({"degree", "betweenness", "pagerank", "component"}));
  app.add_option("--betweenness-samples", samples_,
                 "Betweenness from K source entities drawn at random (0: exact; default: "
                 "exact up to 20000 entities, else 200 sources)")
      ->type_name("K");
  app.add_option("--seed", seed_, "Seed of the betweenness sample")->default_val(1);
  explore_.add_output(app);
  explore_.add_timeout(app, "the measures");
}

bool wants(const std::vector<std::string>& list, const char* what) {
  return std::find(list.begin(), list.end(), what) != list.end();
}

std::string number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", x);
  return buffer;
}

// RFC 4180, with text that a spreadsheet would read as a formula prefixed by '.
std::string csv_field(std::string_view text, bool guard = true) {
  std::string out(text);
  if (guard && !out.empty() && std::string_view("=+-@\t\r").find(out[0]) != std::string::npos)
    out.insert(out.begin(), '\'');
  if (out.find_first_of(",\"\r\n") == std::string::npos) return out;
  std::string quoted = "\"";
  for (const char c : out) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

int MetricsCommand::run(const GlobalOptions& global) {
  int status = 0;
  const auto registry = open_registry(registry_.spec(), global, status);
  if (!registry) return status;
  const model::Graph& g = registry->graph();
  diag::Diagnostics diagnostics = streaming_diagnostics(global);
  explore::MetricsOptions options;
  options.filter = explore::RelationFilter(g.schema(), explore_.relations, diagnostics);
  print_diagnostics(diagnostics, global);
  if (!options.filter.ok()) return util::kExitUsage;
  options.directed = directed_;
  options.degree = wants(metrics_, "degree");
  options.betweenness = wants(metrics_, "betweenness");
  options.pagerank = wants(metrics_, "pagerank");
  options.components = wants(metrics_, "components");
  options.seed = seed_;
  options.deadline = explore_.deadline();
  if (samples_ >= 0) {
    options.betweenness_samples = static_cast<std::size_t>(samples_);
  } else {
    options.betweenness_samples = g.entity_count() > kExactBetweennessUpTo ? kDefaultSamples : 0;
  }
  const auto m = explore::compute_metrics(g, options);
  if (m.timed_out) {
    std::cerr << "twinscan: error: metrics: the measures ran past their deadline of "
              << explore_.timeout_ms
              << " ms; raise --timeout, sample betweenness (--betweenness-samples K) or "
                 "leave it out (--metrics)\n";
    return util::kExitDataError;
  }
  if (options.pagerank && !m.pagerank_converged && !m.pagerank.empty() && global.verbosity >= 0) {
    std::cerr << "twinscan: warning: PageRank did not converge in "
              << options.pagerank_max_iterations << " iterations; the figures are the last ones\n";
  }
  const std::size_t n = m.vertices.size();
  std::string sort = sort_;
  if (sort.empty()) {
    sort = options.pagerank      ? "pagerank"
           : options.betweenness ? "betweenness"
           : options.degree      ? "degree"
                                 : "component";
  }
  const bool sort_ok =
      (sort == "pagerank" && options.pagerank) || (sort == "betweenness" && options.betweenness) ||
      (sort == "degree" && options.degree) || (sort == "component" && options.components);
  if (!sort_ok) {
    std::cerr << "twinscan: error: --sort " << sort << " is not among the measures asked for; "
              << "add it to --metrics\n";
    return util::kExitUsage;
  }
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0U);
  auto key = [&](std::uint32_t i) -> double {
    if (sort == "pagerank") return m.pagerank[i];
    if (sort == "betweenness") return m.betweenness[i];
    if (sort == "degree") return m.degree[i];
    return -static_cast<double>(m.component[i]);  // largest component first
  };
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const double ka = key(a), kb = key(b);
    return ka != kb ? ka > kb : g.id(m.vertices[a]) < g.id(m.vertices[b]);
  });
  if (top_ != 0 && order.size() > top_) order.resize(top_);

  std::string betweenness_how;
  if (options.betweenness) {
    betweenness_how = m.betweenness_sampled
                          ? "sampled from " + std::to_string(m.betweenness_sources) + " of " +
                                std::to_string(n) + " entities (seed " + std::to_string(seed_) +
                                "), scaled by n/k"
                          : "exact";
  }
  std::string text;
  if (format_ == "json") {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.SetMaxDecimalPlaces(17);
    auto str = [&](std::string_view s) {
      w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    };
    w.StartObject();
    w.Key("graph");
    w.StartObject();
    w.Key("directed");
    w.Bool(directed_);
    w.Key("multigraph");
    w.Bool(true);
    w.Key("entities");
    w.Uint64(n);
    w.Key("relations");
    w.Uint64(m.edges);
    w.Key("relation_kinds");
    if (explore_.relations.empty()) {
      w.Null();
    } else {
      w.StartArray();
      for (const auto& k : explore_.relations) str(k);
      w.EndArray();
    }
    w.EndObject();
    if (options.betweenness) {
      w.Key("betweenness");
      w.StartObject();
      w.Key("normalized");
      w.Bool(true);
      w.Key("sampled");
      w.Bool(m.betweenness_sampled);
      w.Key("sources");
      w.Uint64(m.betweenness_sources);
      w.Key("seed");
      w.Uint64(seed_);
      w.EndObject();
    }
    if (options.pagerank) {
      w.Key("pagerank");
      w.StartObject();
      w.Key("alpha");
      w.Double(options.damping);
      w.Key("tolerance");
      w.Double(options.pagerank_tolerance);
      w.Key("iterations");
      w.Uint(m.pagerank_iterations);
      w.Key("converged");
      w.Bool(m.pagerank_converged);
      w.EndObject();
    }
    if (options.components) {
      w.Key("components");
      w.StartObject();
      w.Key("count");
      w.Uint64(m.component_sizes.size());
      w.Key("sizes");
      w.StartArray();
      for (const auto s : m.component_sizes) w.Uint64(s);
      w.EndArray();
      w.EndObject();
      if (directed_) {
        w.Key("strong_components");
        w.StartObject();
        w.Key("count");
        w.Uint64(m.strong_component_sizes.size());
        w.Key("sizes");
        w.StartArray();
        for (const auto s : m.strong_component_sizes) w.Uint64(s);
        w.EndArray();
        w.EndObject();
      }
    }
    w.Key("entities");
    w.StartArray();
    for (const auto i : order) {
      const auto v = m.vertices[i];
      w.StartObject();
      w.Key("id");
      str(g.id(v));
      w.Key("kind");
      str(g.schema().kind(g.kind(v)).name);
      w.Key("name");
      str(g.name(v));
      if (options.degree) {
        w.Key("degree");
        w.Uint(m.degree[i]);
        w.Key("in_degree");
        w.Uint(m.in_degree[i]);
        w.Key("out_degree");
        w.Uint(m.out_degree[i]);
      }
      if (options.betweenness) {
        w.Key("betweenness");
        w.Double(m.betweenness[i]);
      }
      if (options.pagerank) {
        w.Key("pagerank");
        w.Double(m.pagerank[i]);
      }
      if (options.components) {
        w.Key("component");
        w.Uint(m.component[i]);
        if (directed_) {
          w.Key("strong_component");
          w.Uint(m.strong_component[i]);
        }
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    text = std::string(buffer.GetString(), buffer.GetSize()) + "\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header = {"id", "kind", "name"};
    if (options.degree) header.insert(header.end(), {"degree", "in", "out"});
    if (options.betweenness) header.push_back("betweenness");
    if (options.pagerank) header.push_back("pagerank");
    if (options.components) {
      header.push_back("component");
      if (directed_) header.push_back("strong_component");
    }
    const bool csv = format_ == "csv";
    auto real = [&](double x) {
      if (!csv) return number(x);
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.17g", x);
      return std::string(buffer);
    };
    for (const auto i : order) {
      const auto v = m.vertices[i];
      std::vector<std::string> row = {std::string(g.id(v)), g.schema().kind(g.kind(v)).name,
                                      std::string(g.name(v))};
      if (options.degree) {
        row.push_back(std::to_string(m.degree[i]));
        row.push_back(std::to_string(m.in_degree[i]));
        row.push_back(std::to_string(m.out_degree[i]));
      }
      if (options.betweenness) row.push_back(real(m.betweenness[i]));
      if (options.pagerank) row.push_back(real(m.pagerank[i]));
      if (options.components) {
        row.push_back(std::to_string(m.component[i]));
        if (directed_) row.push_back(std::to_string(m.strong_component[i]));
      }
      rows.push_back(std::move(row));
    }
    if (csv) {
      auto line = [&](const std::vector<std::string>& r) {
        for (std::size_t c = 0; c < r.size(); ++c) {
          text += (c ? "," : "") + csv_field(r[c], c < 3);
        }
        text += "\r\n";
      };
      line(header);
      for (const auto& r : rows) line(r);
    } else {
      text = std::to_string(n) + " entities, " + std::to_string(m.edges) + " relations (" +
             (directed_ ? "directed" : "undirected") + ", parallel relations kept)\n";
      if (options.components) {
        text +=
            std::to_string(m.component_sizes.size()) +
            (directed_ ? " weakly connected components" : " connected components") +
            (m.component_sizes.empty() ? std::string()
                                       : " (largest " + std::to_string(m.component_sizes[0]) + ")");
        if (directed_) {
          text += ", " + std::to_string(m.strong_component_sizes.size()) +
                  " strongly connected components" +
                  (m.strong_component_sizes.empty()
                       ? std::string()
                       : " (largest " + std::to_string(m.strong_component_sizes[0]) + ")");
        }
        text += "\n";
      }
      if (options.betweenness) text += "Betweenness: normalised, " + betweenness_how + "\n";
      if (options.pagerank) {
        // With no entity there is nothing to iterate, and nothing failed to converge.
        text += n == 0
                    ? "PageRank: alpha 0.85, no entity to rank\n"
                    : "PageRank: alpha 0.85, " + std::to_string(m.pagerank_iterations) +
                          " iterations" + (m.pagerank_converged ? "" : " (not converged)") + "\n";
      }
      if (top_ != 0 && n > top_) {
        text += "The " + std::to_string(top_) + " highest by " + sort + " of " + std::to_string(n) +
                "\n";
      }
      text += "\n";
      // Ids and names come from the registry's sources: on a terminal they are shown
      // with their control characters escaped (a line break would split the row).
      for (auto& r : rows) {
        r[0] = util::escape_for_terminal(r[0]);
        r[2] = util::escape_for_terminal(r[2]);
      }
      std::vector<std::size_t> width(header.size());
      for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
      for (const auto& r : rows) {
        for (std::size_t c = 0; c < r.size(); ++c)
          width[c] = std::max(width[c], report::display_width(r[c]));
      }
      auto line = [&](const std::vector<std::string>& r) {
        std::string out;
        for (std::size_t c = 0; c < r.size(); ++c) {
          const std::size_t pad = width[c] - report::display_width(r[c]);
          const bool right = c >= 3;
          if (c) out += "  ";
          if (right) out += std::string(pad, ' ');
          out += r[c];
          if (!right && c + 1 < r.size()) out += std::string(pad, ' ');
        }
        text += out + "\n";
      };
      line(header);
      std::vector<std::string> rule;
      for (const auto wdt : width) rule.emplace_back(wdt, '-');
      line(rule);
      for (const auto& r : rows) line(r);
    }
  }
  return explore_.write(text, "the metrics");
}

}  // namespace

std::unique_ptr<Command> make_metrics_command() {
  return std::make_unique<MetricsCommand>();
}

}  // namespace twinscan::cli
