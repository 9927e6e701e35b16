#include "analyzer/cli/arguments.h"

#include <iostream>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "analyzer/io/json_tree.h"
#include "analyzer/query/query_engine.h"

namespace twinscan::cli {

bool parse_parameters(const std::vector<std::string>& params, query::Parameters& out) {
  for (const auto& p : params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "twinscan: error: --param takes NAME=VALUE, not '" << p << "'\n";
      return false;
    }
    out[p.substr(0, eq)] = query::parse_parameter_value(std::string_view(p).substr(eq + 1));
  }
  return true;
}

bool read_parameter_file(const std::string& path, query::Parameters& out) {
  io::SourceText source("", "");
  std::string error;
  if (io::SourceText::read_file(path, source, error) != io::SourceText::ReadStatus::kOk) {
    std::cerr << path << ": error: cannot read: " << error << '\n';
    return false;
  }
  io::JsonTree tree;
  std::size_t offset = 0;
  if (!tree.parse(source.text(), error, offset)) {
    std::cerr << io::Diagnostic{io::Severity::kError, source.location(offset), error, {}}.to_string() << '\n';
    return false;
  }
  if (!tree.root().value->IsObject()) {
    std::cerr << path << ":1:1: error: a parameter file is a JSON object {\"NAME\": value}\n";
    return false;
  }
  bool ok = true;
  tree.for_each_member(tree.root(), [&](std::string_view key, io::JsonTree::Node value) {
    if (value.value->IsObject() || value.value->IsNull()) {
      std::cerr << io::Diagnostic{io::Severity::kError, source.location(tree.offset(value)),
                                  "parameter '" + std::string(key) +
                                      "' must be a number, string, bool or list",
                                  {}}
                       .to_string()
                << '\n';
      ok = false;
      return;
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.value->Accept(writer);
    out[std::string(key)] = query::parse_parameter_value(buffer.GetString());
  });
  return ok;
}

bool parse_as_of(const std::string& text, model::Date& out) {
  if (text.empty()) {
    out = model::today_utc();
    return true;
  }
  const auto d = model::parse_date(text);
  if (!d || d->precision() != model::Date::Precision::kDay) {
    std::cerr << "twinscan: error: --as-of takes a full date such as 2024-05-01, not '" << text
              << "'\n";
    return false;
  }
  out = *d;
  return true;
}

}  // namespace twinscan::cli
