// Test helpers: a registry loaded from JSON text, and the rows a query returns over it,
// each value as `twinscan query` shows it.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/model/date.h"
#include "analyzer/query/planner.h"
#include "analyzer/query/projection.h"
#include "analyzer/query/query_engine.h"

namespace twinscan::testing {

/// The graph of one registry document, or a test failure listing its errors.
inline std::shared_ptr<const model::Graph> load_registry_text(const std::string& name,
                                                              const std::string& text) {
  diag::Diagnostics diagnostics;
  bool missing = false;
  auto schema = io::load_schema({}, diagnostics, missing);
  REQUIRE(schema);
  io::RegistryLoader loader(schema, diagnostics);
  loader.add_source(diag::SourceText(name, text));
  auto loaded = loader.finish();
  if (!loaded) {
    std::string errors;
    for (const auto& d : diagnostics.all()) errors += d.to_string() + "\n";
    FAIL("the registry does not load:\n" << errors);
  }
  return loaded;
}

/// The rows of a query over `graph` run as of `as_of`, values joined by " | ".
inline std::vector<std::string> query_rows(const model::Graph& graph, const std::string& text,
                                           model::Date as_of = {2026, 11, 22}) {
  std::vector<query::QueryMessage> messages;
  query::CompileOptions options;
  options.require_return = true;
  const auto compiled = query::prepare_query(text, graph, {}, options, messages);
  if (!compiled) {
    std::string errors;
    for (const auto& m : messages) errors += m.message + "\n";
    FAIL("the query does not compile: " << text << "\n" << errors);
  }
  const auto table = query::run_query(graph, *compiled, {graph, as_of});
  std::vector<std::string> out;
  for (const auto& values : table.rows) {
    std::string line;
    for (std::size_t i = 0; i < values.size(); ++i)
      line += (i == 0 ? "" : " | ") + query::to_display(graph, values[i]);
    out.push_back(line);
  }
  return out;
}

/// The plan `--explain` prints for a query over `graph`.
inline std::string query_plan(const model::Graph& graph, const std::string& text) {
  std::vector<query::QueryMessage> messages;
  query::CompileOptions options;
  options.require_return = true;
  const auto compiled = query::prepare_query(text, graph, {}, options, messages);
  REQUIRE(compiled);
  return query::explain_query(*compiled, graph, text);
}

}  // namespace twinscan::testing
