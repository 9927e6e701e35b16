// The export format table: each format is one file of this folder and one row here.
#include "analyzer/export/export_format.h"

namespace twinscan::exports {

const std::vector<ExportFormat>& export_formats() {
  static const std::vector<ExportFormat> kTable = {
      {"graphml", "GraphML: typed keys, for networkx, Gephi, yEd, igraph", false, write_graphml},
      {"gexf", "GEXF 1.3: typed attributes, for Gephi and networkx", false, write_gexf},
      {"dot", "Graphviz DOT: every property as an attribute", false, write_dot},
      {"ftm", "FollowTheMoney entities, one JSON object a line, for Aleph and nomenklatura", false,
       write_ftm},
      {"csv", "A folder with nodes.csv and edges.csv (RFC 4180, formulas guarded)", true,
       write_csv},
      {"neo4j", "A folder of typed CSV files and a README for neo4j-admin database import full",
       true, write_neo4j},
  };
  return kTable;
}

const ExportFormat* find_export_format(std::string_view name) {
  for (const auto& format : export_formats()) {
    if (name == format.name) return &format;
  }
  return nullptr;
}

}  // namespace twinscan::exports
