#include "analyzer/rules/shared_params.h"

#include <algorithm>
#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "analyzer/query/query_engine.h"
#include "analyzer/util/embedded_text.h"

namespace twinscan::rules {
namespace {

std::string json_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

std::vector<RuleParam> read_shared_params() {
  rapidjson::Document d;
  const std::string_view text = util::shared_params_text();
  d.Parse(text.data(), text.size());
  // The file is part of the build; a broken one is a fault of the build, not of input.
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("params") || !d["params"].IsObject())
    throw std::logic_error("data/shared-params.json is not a valid parameter file");
  std::vector<RuleParam> out;
  // Counted, not compared with MemberEnd(): RapidJSON's iterator comparison is ambiguous
  // under C++20's reversed operators.
  const rapidjson::Value& params = d["params"];
  auto next = params.MemberBegin();
  for (rapidjson::SizeType i = 0; i < params.MemberCount(); ++i, ++next) {
    const auto& member = *next;
    RuleParam p;
    p.name.assign(member.name.GetString(), member.name.GetStringLength());
    p.default_text = json_text(member.value["default"]);
    p.default_value = query::parse_parameter_value(p.default_text);
    p.description = member.value["description"].GetString();
    if (member.value.HasMember("type")) p.type = member.value["type"].GetString();
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

const std::vector<RuleParam>& shared_params() {
  static const std::vector<RuleParam> kParams = read_shared_params();
  return kParams;
}

std::vector<RuleParam> declared_params(const Rule& rule) {
  std::vector<RuleParam> out = rule.params;
  for (const auto& shared : shared_params()) {
    const bool own = std::any_of(out.begin(), out.end(),
                                 [&](const RuleParam& p) { return p.name == shared.name; });
    if (!own) out.push_back(shared);
  }
  return out;
}

}  // namespace twinscan::rules
