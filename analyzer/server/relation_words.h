#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "analyzer/model/graph.h"
#include "analyzer/model/schema.h"

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

/// The verb phrase of `r`, its share said when known: "is 45% owned by".
std::string relation_verb(const RelationInWords& r);

/// A relation kind as HTML: its phrase, the kind's own name in the title for those who
/// know the schema: <span class="verb" title="OWNED_BY">is owned by</span>.
std::string kind_html(std::string_view kind, std::string_view phrase);

/// A Graphviz drawing whose edges are labelled by relation kind (`a -> b
/// [label="OWNED_BY"]`, as the evidence drawings are) with each label said in words, the
/// kind kept as the edge's tooltip. Other lines are kept as they are.
std::string dot_relations_in_words(std::string_view dot);

/// `text` (a rule's rationale, a finding's message) as escaped HTML, each relation kind of
/// `schema` in it said as its quoted phrase: "chains of OWNED_BY relations" reads "chains
/// of “is owned by” relations".
std::string text_with_relations_in_words(const model::Schema& schema, std::string_view text);

/// The relation a derived relation id names ("mun:a-TWINNED_WITH->city:b", "…#2" for a
/// repeat), its ends by id only; nothing for an id of another form. For a relation known
/// by its id alone, such as one of a screening stored before its words were kept.
std::optional<RelationInWords> relation_of_derived_id(std::string_view id);

/// `r` as an HTML fragment: each name isolated (<bdi dir="auto">), its id after it in the
/// grey id style, every text escaped.
std::string relation_html(const RelationInWords& r);

/// `r` in plain words: "Ashdod is twinned with Wuhan".
std::string relation_sentence(const RelationInWords& r);

}  // namespace twinscan::server
