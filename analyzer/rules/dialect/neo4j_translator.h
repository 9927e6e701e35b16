// The rule catalogue in Neo4j Cypher (`twinscan rules export --dialect neo4j`): one
// statement per rule over the graph as `twinscan export --format neo4j` writes it.
#pragma once

#include <string>
#include <vector>

#include "analyzer/model/schema.h"
#include "analyzer/query/compiled_query.h"
#include "analyzer/rules/rule.h"

namespace twinscan::rules::dialect {

/// One rule in Neo4j Cypher: the statement, or why there is none.
struct Neo4jRule {
  std::string id;
  bool translated = false;
  std::vector<std::string> approximations;  ///< Where Neo4j's answer may differ, and how.
  std::string untranslatable;               ///< Why there is no statement (when !translated).
  std::string text;                         ///< Header comment, :param line, statement.
};

/// Values the user gave for the statements' :param lines, instead of the rules' defaults.
struct Neo4jSettings {
  query::Parameters parameters;  ///< By NAME or RULE-ID.NAME (RULE-ID.NAME wins).
  std::string as_of;             ///< ISO date of "today" in the rules; empty: Neo4j's date().
};

/// Translates one rule; the schema says which properties are dates, lists and locations.
Neo4jRule translate_rule_neo4j(const Rule& rule, const model::Schema& schema,
                               const Neo4jSettings& settings = {});

/// The whole file: a header on how to run it, then every rule in catalogue order (the
/// untranslatable ones as comments saying why).
std::string neo4j_catalogue(const std::vector<Rule>& rules, const model::Schema& schema,
                            const Neo4jSettings& settings = {});

/// The dialects `rules export` knows.
const std::vector<std::string>& export_dialects();

}  // namespace twinscan::rules::dialect
