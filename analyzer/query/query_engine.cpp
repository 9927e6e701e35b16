#include "analyzer/query/query_engine.h"

#include <rapidjson/document.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>

#include "analyzer/diag/caret.h"
#include "analyzer/query/parser.h"
#include "analyzer/util/bounded_json.h"

namespace twinscan::query {

std::optional<CompiledQuery> prepare_query(std::string_view text, const model::Graph& graph,
                                           const Parameters& parameters,
                                           const CompileOptions& options,
                                           std::vector<QueryMessage>& messages) {
  Query ast;
  try {
    ast = parse_query(text);
  } catch (const SyntaxError& e) {
    messages.push_back({diag::Severity::kError, e.span, e.what()});
    return std::nullopt;
  }
  CompiledQuery compiled = compile_query(ast, graph, parameters, options);
  messages.insert(messages.end(), compiled.messages.begin(), compiled.messages.end());
  if (!compiled.ok()) return std::nullopt;
  return compiled;
}

void report_query_messages(const std::vector<QueryMessage>& messages, std::string_view text,
                           const std::string& file, diag::Diagnostics& diagnostics,
                           std::uint32_t first_line, std::uint32_t first_column) {
  for (const auto& m : messages) {
    auto [line, column] = diag::line_and_column(text, m.span.begin);
    diag::Diagnostic d;
    d.severity = m.severity;
    d.where.file = file;
    d.where.line = first_line + line - 1;
    d.where.column = line == 1 ? first_column + column - 1 : column;
    d.message = m.message;
    std::string caret = diag::render_caret(text, m.span.begin, m.span.end);
    while (!caret.empty() && caret.back() == '\n') caret.pop_back();
    // Indent the excerpt so it reads as part of the diagnostic above it.
    std::string excerpt = "  ";
    for (char c : caret) {
      excerpt += c;
      if (c == '\n') excerpt += "  ";
    }
    d.excerpt = excerpt;
    diagnostics.report(std::move(d));
  }
}

namespace {

Value from_json(const rapidjson::Value& v) {
  if (v.IsNull()) return Value::null();
  if (v.IsBool()) return Value::of_bool(v.GetBool());
  if (v.IsInt64()) return Value::of_int(v.GetInt64());
  if (v.IsNumber()) return Value::of_float(v.GetDouble());
  if (v.IsString()) return Value::of_string(std::string(v.GetString(), v.GetStringLength()));
  if (v.IsArray()) {
    ValueList items;
    for (const auto& e : v.GetArray()) items.push_back(from_json(e));
    return Value::of_list(std::move(items));
  }
  return Value::null();
}

}  // namespace

Value parse_parameter_value(std::string_view text) {
  rapidjson::Document doc;
  rapidjson::MemoryStream bytes(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(bytes);
  // Bounded: the value is converted recursively. Text that is not JSON (or nests too
  // deep) is a string.
  if (!util::parse_bounded<rapidjson::kParseDefaultFlags>(doc, in).ok() || doc.IsObject()) {
    return Value::of_string(std::string(text));
  }
  return from_json(doc);
}

}  // namespace twinscan::query
