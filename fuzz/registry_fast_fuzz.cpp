// libFuzzer target: one registry document through the loader's fast path (simdjson on
// demand) and through the full reader alone (RapidJSON tree). Both must give the same
// diagnostics and the same graph: the fast path either reads a document exactly as the
// full reader would, or gives it back to the full reader having added nothing. The fast
// path runs three times: on one thread; parsing on a second thread in batches of two
// statements (as it parses large documents), so that every batch boundary is tried; and
// in windows of a statement or so (as it parses a very large document), so that a cut is
// tried between statements, inside them and inside strings.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/model/graph.h"
#include "analyzer/model/schema.h"

namespace {

using namespace twinscan;

std::shared_ptr<const model::Schema> builtin_schema() {
  static const auto schema = [] {
    diag::Diagnostics diagnostics;
    bool missing = false;
    auto s = io::load_schema({}, diagnostics, missing);
    if (!s) __builtin_trap();  // the built-in schema must always load
    return s;
  }();
  return schema;
}

template <typename T>
void append(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void append_value(std::string& out, const model::Value& v) {
  append(out, v.type);
  switch (v.type) {
    case model::ValueType::kBool:
      append(out, v.boolean);
      break;
    case model::ValueType::kInt:
      append(out, v.integer);
      break;
    case model::ValueType::kNumber:
      append(out, v.number);
      break;
    case model::ValueType::kString:
      append(out, v.string);
      break;
    case model::ValueType::kDate:
      append(out, v.date.year);
      append(out, v.date.month);
      append(out, v.date.day);
      break;
    case model::ValueType::kLocation:
      append(out, v.location.lat);
      append(out, v.location.lon);
      break;
    case model::ValueType::kList:
      append(out, v.list.offset);
      append(out, v.list.count);
      break;
    default:
      break;
  }
}

// The graph's symbols, entities, relations, properties and positions as bytes.
std::string digest(const model::Graph& graph) {
  const model::GraphArrays& g = graph.arrays();
  std::string out;
  for (util::Sym s = 0; s < g.strings.size(); ++s) {
    out += g.strings.str(s);
    out += '\0';
  }
  for (const auto& s : g.sources) out += s.id + '\0' + s.name + '\0' + s.role + '\0';
  for (std::size_t v = 0; v < g.entity_id.size(); ++v) {
    append(out, g.entity_id[v]);
    append(out, g.entity_kind[v]);
    append(out, g.entity_name[v]);
    append(out, g.entity_source[v]);
    append(out, g.entity_sources[v]);
    append(out, g.entity_prop_start[v + 1]);
  }
  for (const auto& p : g.entity_props) {
    append(out, p.key);
    append(out, p.sources);
    append_value(out, p.value);
  }
  for (std::size_t r = 0; r < g.relation_id.size(); ++r) {
    append(out, g.relation_id[r]);
    append(out, g.relation_kind[r]);
    append(out, g.relation_from[r]);
    append(out, g.relation_to[r]);
    append(out, g.relation_source_ref[r]);
    append(out, g.relation_sources[r]);
    append(out, g.relation_prop_start[r + 1]);
  }
  for (const auto& p : g.relation_props) {
    append(out, p.key);
    append(out, p.sources);
    append_value(out, p.value);
  }
  for (const auto& v : g.list_pool) append_value(out, v);
  return out;
}

struct Outcome {
  std::vector<std::string> diagnostics;
  std::string graph;  // empty: no graph
};

enum class Reader { kFull, kFast, kFastOnTwoThreads, kFastInWindows };

Outcome load(const std::string& text, Reader reader) {
  diag::Diagnostics diagnostics;
  io::RegistryLoader loader(builtin_schema(), diagnostics);
  loader.set_fast_path(reader != Reader::kFull);
  if (reader == Reader::kFastOnTwoThreads) loader.set_parse_ahead(0, 2);
  if (reader == Reader::kFastInWindows) {
    // Windows of a statement or so: a cut is tried at every `},{` of the document.
    loader.set_parse_ahead(0, 2);
    loader.set_windows(1, 1 + text.size() % 64);
  }
  loader.add_source(diag::SourceText("fuzz.json", text));
  const auto graph = loader.finish();
  if (diagnostics.has_errors() == (graph != nullptr)) __builtin_trap();
  Outcome out;
  for (const auto& d : diagnostics.all()) out.diagnostics.push_back(d.to_string());
  if (graph) out.graph = digest(*graph);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const Outcome full = load(text, Reader::kFull);
  for (const Reader reader : {Reader::kFast, Reader::kFastOnTwoThreads, Reader::kFastInWindows}) {
    const Outcome fast = load(text, reader);
    if (fast.diagnostics != full.diagnostics) __builtin_trap();
    if (fast.graph != full.graph) __builtin_trap();
  }
  return 0;
}
