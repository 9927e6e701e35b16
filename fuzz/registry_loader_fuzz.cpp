// libFuzzer target: one registry document through the whole loader (UTF-8 check, JSON
// tree, schema checks, reference resolution, adjacency). Any input must end in a graph
// or in diagnostics: never a crash, a hang, a leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/model/schema.h"

namespace {

std::shared_ptr<const twinscan::model::Schema> builtin_schema() {
  static const auto schema = [] {
    twinscan::diag::Diagnostics diagnostics;
    bool missing = false;
    auto s = twinscan::io::load_schema({}, diagnostics, missing);
    if (!s) __builtin_trap();  // the built-in schema must always load
    return s;
  }();
  return schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto schema = builtin_schema();
  twinscan::diag::Diagnostics diagnostics;
  twinscan::io::RegistryLoader loader(schema, diagnostics);
  loader.add_source(twinscan::diag::SourceText(
      "fuzz.json", std::string(reinterpret_cast<const char*>(data), size)));
  const auto graph = loader.finish();
  // Every error is reported, and a failed load yields no graph.
  if (diagnostics.has_errors() == (graph != nullptr)) __builtin_trap();
  if (graph) {
    // Touch the adjacency so that a bad index shows up under the sanitizers.
    std::size_t edges = 0;
    for (std::uint32_t v = 0; v < graph->entity_count(); ++v) {
      edges += graph->out_edges(v).size() + graph->in_edges(v).size();
    }
    if (edges != 2 * graph->relation_count()) __builtin_trap();
  }
  for (const auto& d : diagnostics.all()) {
    if (d.to_string().empty()) __builtin_trap();
  }
  return 0;
}
