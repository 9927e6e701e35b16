#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/query/value.h"
#include "analyzer/rules/compiled_rule.h"
#include "analyzer/rules/finding_bindings.h"

namespace twinscan::rules {

/// What one named variable of a match holds: an entity, a relation, or nothing.
struct Bound {
  query::Type type = query::Type::kNull;
  std::uint32_t index = 0;
  bool operator==(const Bound&) const = default;

  /// What `value` binds (an entity, a relation, else nothing).
  static Bound of(const query::Value& value);
};

/// What a match binds, one Bound per named variable (in the order of the rule's
/// bindings, sorted by name), and its canonical key: the interned ids, sorted, under
/// which symmetric re-orderings of one match fall together.
struct MatchKey {
  std::vector<Bound> bound;
  std::vector<model::Sym> key;
};

/// The bindings of `frame`, a match of `rule`.
MatchKey key_of(const CompiledRule& rule, const model::Graph& graph,
                const std::vector<query::Value>& frame);
/// The same, written over `out` (whose room is reused: a search keys every match).
void key_of(const CompiledRule& rule, const model::Graph& graph,
            const std::vector<query::Value>& frame, MatchKey& out);

/// The bindings as (variable, id) text, as findings show them.
FindingBindings binding_text(const CompiledRule& rule, const model::Graph& graph,
                             const std::vector<Bound>& bound);

/// The kept id of an entity judged the same as others, to the id its fingerprints use.
using StableIds = std::unordered_map<std::string, std::string>;

/// The ids a finding's fingerprint is made of, one per binding, as binding_text gives
/// them; but an entity named in `stable`, or a relation whose id is made from such an end,
/// by the stable id (null: as binding_text).
std::vector<std::string> fingerprint_ids(const model::Graph& graph, const std::vector<Bound>& bound,
                                         const StableIds* stable);

/// Whether binding_text(rule, graph, a) < binding_text(rule, graph, b) (bindings of one
/// rule), without building either text.
bool bindings_less(const model::Graph& graph, const std::vector<Bound>& a,
                   const std::vector<Bound>& b);

}  // namespace twinscan::rules
