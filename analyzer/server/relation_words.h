#pragma once

#include <string>
#include <string_view>

#include "analyzer/model/graph.h"

/// A relation of the registry said in words on the desk's pages: "Ashdod is twinned
/// with Wuhan", each name followed by its id. (The command-line reports keep their arrow
/// notation, report::describe_relation.)
namespace twinscan::server {

/// One relation, its two ends by id and name.
struct RelationInWords {
  std::string from_id;
  std::string from_name;
  std::string kind;  ///< TWINNED_WITH
  std::string to_id;
  std::string to_name;
  std::string share;  ///< OWNED_BY's share as a percentage ("45%"); empty when not given.
};

/// The relation `r` of `graph`.
RelationInWords relation_in_words(const model::Graph& graph, model::RelationId r);

/// The verb phrase of a relation kind: "is twinned with" for TWINNED_WITH. A kind the
/// table does not know (a schema extension) is its name in lower-case words
/// ("SUPPLIES_TO": "supplies to").
std::string relation_phrase(std::string_view kind);

/// `r` as an HTML fragment: each name isolated (<bdi dir="auto">), its id after it in the
/// grey id style, every text escaped.
std::string relation_html(const RelationInWords& r);

/// `r` in plain words: "Ashdod is twinned with Wuhan".
std::string relation_sentence(const RelationInWords& r);

}  // namespace twinscan::server
