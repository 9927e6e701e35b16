#include "analyzer/report/report_context.h"

#include "analyzer/util/country_name.h"

namespace twinscan::report {

std::string describe_relation(const model::Graph& graph, model::RelationId r) {
  const auto from = graph.relation_source(r);
  const auto to = graph.relation_target(r);
  return std::string(graph.name(from)) + " (" + std::string(graph.id(from)) + ") -[" +
         graph.schema().relation(graph.relation_kind(r)).name + "]-> " +
         std::string(graph.name(to)) + " (" + std::string(graph.id(to)) + ")";
}

std::string home_country_label(const std::string& code) {
  if (code.empty()) return {};
  const std::string name = util::country_name(code);
  return name.empty() ? code : name + " (" + code + ")";
}

}  // namespace twinscan::report
