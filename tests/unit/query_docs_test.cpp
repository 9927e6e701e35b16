// The query-language reference, docs/query-language.md, is tested: every ```cypher
// example runs over the sample registry and prints exactly the ```text block under it
// (when there is one), every ```cypher-error example fails with exactly the messages
// under it, and the page's function table is the engine's.
#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/registry.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/model/date.h"
#include "analyzer/query/functions.h"
#include "analyzer/query/projection.h"
#include "analyzer/query/query_engine.h"
#include "analyzer/report/table_writer.h"

namespace {

using namespace twinscan;

const std::string kRoot = TWINSCAN_SOURCE_DIR;
const std::string kDocName = "docs/query-language.md";
/// The date the examples are run on: date() returns it.
constexpr const char* kAsOf = "2026-11-22";
constexpr std::size_t kMinExamples = 40;

/// One example of the page: a query, its parameters, and the output shown under it.
struct Example {
  std::size_t line = 0;    ///< Line of the opening fence, 1-based.
  bool must_fail = false;  ///< A ```cypher-error block: the query must fail.
  std::string query;       ///< The block's lines joined by newlines.
  std::vector<std::pair<std::string, std::string>> params;  ///< NAME, VALUE as for --param.
  bool has_expected = false;
  std::string expected;            ///< The ```text block right after it, each line ending in '\n'.
  std::size_t expected_open = 0;   ///< 0-based line of the ```text fence.
  std::size_t expected_close = 0;  ///< 0-based line of its closing fence.
};

/// What running an example printed, as `twinscan query` would print it.
struct Outcome {
  bool ok = false;  ///< Exit status 0.
  std::string out;  ///< stdout.
  std::string err;  ///< stderr.
};

std::string read_doc() {
  std::ifstream in(kRoot + "/" + kDocName, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + kDocName);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::string where(std::size_t line) {
  return kDocName + ":" + std::to_string(line);
}

/// `<!-- params: name=value name2=value2 -->`, or no parameters for any other line.
std::vector<std::pair<std::string, std::string>> parse_params(const std::string& line,
                                                              std::size_t line_number) {
  const std::string open = "<!-- params:";
  const std::string close = "-->";
  std::vector<std::pair<std::string, std::string>> params;
  if (line.rfind(open, 0) != 0) return params;
  if (line.size() < open.size() + close.size() ||
      line.compare(line.size() - close.size(), close.size(), close) != 0) {
    throw std::runtime_error(where(line_number) + ": a params comment ends with '-->'");
  }
  std::istringstream words(line.substr(open.size(), line.size() - open.size() - close.size()));
  std::string word;
  while (words >> word) {
    const auto eq = word.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw std::runtime_error(where(line_number) + ": parameter '" + word + "' is not NAME=VALUE");
    }
    params.emplace_back(word.substr(0, eq), word.substr(eq + 1));
  }
  return params;
}

/// Reads the lines of a fenced block opened at `open` (0-based) up to its closing
/// fence; returns the index of the closing fence.
std::size_t read_block(const std::vector<std::string>& lines, std::size_t open,
                       std::vector<std::string>& body) {
  for (std::size_t i = open + 1; i < lines.size(); ++i) {
    if (lines[i] == "```") return i;
    body.push_back(lines[i]);
  }
  throw std::runtime_error(where(open + 1) + ": the fenced block is not closed");
}

std::vector<Example> parse_examples(const std::string& text) {
  const std::vector<std::string> lines = split_lines(text);
  std::vector<Example> examples;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != "```cypher" && lines[i] != "```cypher-error") continue;
    Example example;
    example.line = i + 1;
    example.must_fail = lines[i] == "```cypher-error";
    if (i > 0) example.params = parse_params(lines[i - 1], i);
    std::vector<std::string> body;
    i = read_block(lines, i, body);
    for (std::size_t k = 0; k < body.size(); ++k) {
      if (k > 0) example.query += '\n';
      example.query += body[k];
    }
    if (i + 1 < lines.size() && lines[i + 1] == "```text") {
      std::vector<std::string> expected;
      example.expected_open = i + 1;
      i = read_block(lines, i + 1, expected);
      example.expected_close = i;
      example.has_expected = true;
      for (const auto& line : expected) example.expected += line + "\n";
    }
    examples.push_back(std::move(example));
  }
  return examples;
}

/// The sample registry with its judgements (`--registry data/sample --judgements
/// data/sample/judgements.json`), loaded once for all examples.
const model::Graph& sample_graph() {
  static const std::shared_ptr<const model::Graph> graph = [] {
    diag::Diagnostics diagnostics;
    engine::RegistrySpec spec;
    spec.paths = {kRoot + "/data/sample"};
    spec.judgements = kRoot + "/data/sample/judgements.json";
    auto registry = engine::Registry::open(spec, diagnostics);
    if (!registry) {
      std::ostringstream out;
      diagnostics.print(out);
      throw std::runtime_error("cannot load data/sample:\n" + out.str());
    }
    return registry->shared_graph();
  }();
  return *graph;
}

/// Runs an example the way `twinscan query --as-of 2026-11-22 --format table` does.
Outcome run_example(const model::Graph& graph, const Example& example) {
  query::Parameters parameters;
  for (const auto& [name, value] : example.params) {
    parameters[name] = query::parse_parameter_value(value);
  }
  query::CompileOptions options;
  options.require_return = true;
  std::vector<query::QueryMessage> messages;
  auto compiled = query::prepare_query(example.query, graph, parameters, options, messages);
  diag::Diagnostics diagnostics;
  query::report_query_messages(messages, example.query, "<query>", diagnostics);
  std::ostringstream err;
  diagnostics.print(err);
  Outcome outcome;
  if (compiled) {
    try {
      const auto table = query::run_query(graph, *compiled,
                                          query::FunctionContext{graph, *model::parse_date(kAsOf)});
      std::ostringstream out;
      report::write_table(table, graph, report::TableFormat::kTable, out);
      outcome.out = out.str();
      outcome.ok = true;
    } catch (const query::LimitExceeded& e) {
      err << "twinscan: error: query stopped: " << e.what() << '\n';
    } catch (const query::EvaluationError& e) {
      err << "twinscan: error: query failed: " << e.what() << '\n';
    }
  }
  outcome.err = err.str();
  return outcome;
}

}  // namespace

TEST_CASE("every example of the query-language reference runs as shown", "[docs]") {
  const std::vector<Example> examples = parse_examples(read_doc());
  const model::Graph& graph = sample_graph();
  for (const auto& example : examples) {
    DYNAMIC_SECTION(where(example.line)) {
      INFO("query:\n" << example.query);
      const Outcome outcome = run_example(graph, example);
      if (example.must_fail) {
        INFO("stdout:\n" << outcome.out);
        REQUIRE_FALSE(outcome.ok);
        REQUIRE(example.has_expected);
        CHECK(outcome.err == example.expected);
      } else {
        INFO("stderr:\n" << outcome.err);
        REQUIRE(outcome.ok);
        if (example.has_expected) CHECK(outcome.out == example.expected);
      }
    }
  }
}

// Not run by default: `unit_tests "[.update-docs]"` writes what each example prints now
// under it, for a change to the sample or the engine whose effect has been reviewed.
TEST_CASE("the query-language reference's outputs are refreshed", "[.update-docs]") {
  const std::string text = read_doc();
  const std::vector<std::string> lines = split_lines(text);
  const std::vector<Example> examples = parse_examples(text);
  const model::Graph& graph = sample_graph();
  std::string out;
  std::size_t next = 0;
  for (const auto& example : examples) {
    if (!example.has_expected) continue;
    for (; next <= example.expected_open; ++next) out += lines[next] + "\n";
    const Outcome outcome = run_example(graph, example);
    out += example.must_fail ? outcome.err : outcome.out;
    next = example.expected_close;
  }
  for (; next < lines.size(); ++next) out += lines[next] + "\n";
  std::ofstream(kRoot + "/" + kDocName, std::ios::binary) << out;
  CHECK(read_doc() == out);
}

TEST_CASE("the query-language reference has at least 40 examples, most with output", "[docs]") {
  const std::vector<Example> examples = parse_examples(read_doc());
  CHECK(examples.size() >= kMinExamples);
  std::size_t with_output = 0;
  for (const auto& example : examples) {
    if (example.has_expected) ++with_output;
  }
  CHECK(with_output * 2 > examples.size());
}

TEST_CASE("the function table of the query-language reference is the engine's", "[docs]") {
  const std::string text = read_doc();
  const std::string begin = "<!-- functions:begin -->\n";
  const std::string end = "<!-- functions:end -->";
  const auto first = text.find(begin);
  REQUIRE(first != std::string::npos);
  const auto last = text.find(end, first);
  REQUIRE(last != std::string::npos);
  const std::string table = text.substr(first + begin.size(), last - first - begin.size());
  CHECK(table == query::functions_markdown());
}
