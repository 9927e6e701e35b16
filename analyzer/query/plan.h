#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/query/ast.h"
#include "analyzer/query/functions.h"
#include "analyzer/query/value.h"

namespace re2 {
class RE2;
}

namespace twinscan::query {

using Slot = std::int32_t;  ///< Index of a variable in the evaluation frame.
inline constexpr Slot kNoSlot = -1;

struct SubPlan;

/// An expression with its variables resolved to frame slots, property keys interned
/// and functions looked up: evaluated by Evaluator without any name lookups.
struct CompiledExpr {
  enum class Op : std::uint8_t {
    kConstant,    ///< constant
    kSlot,        ///< slot
    kProperty,    ///< children[0].key (key_text when not interned in the graph)
    kList,        ///< children
    kUnary,       ///< unary_op, children[0]
    kBinary,      ///< binary_op, children[0..1]
    kCall,        ///< function, children
    kAggregate,   ///< aggregate_index: a value computed by the projection
    kExists,      ///< exists (`count`: COUNT { … }, the number of matches)
    kQuantifier,  ///< quantifier, slot (the bound variable), children[0] list, [1] predicate;
                  ///< kComprehension: [2] the projection
    kCase,        ///< case_subject: children[0] is the subject; then case_pairs WHEN, THEN
                  ///< pairs; then the ELSE when one child is left
  };
  enum class Quantifier : std::uint8_t { kAny, kAll, kNone, kSingle, kComprehension };

  Op op = Op::kConstant;
  SourceSpan span;
  Value constant;
  Slot slot = kNoSlot;
  model::Sym key = 0;
  bool key_interned = false;
  std::string key_text;
  /// kProperty: which built-in key `key_text` names, decided once when compiled rather
  /// than by comparing text at every read.
  enum class BuiltinKey : std::uint8_t { kNone, kId, kKind, kName };
  BuiltinKey builtin_key = BuiltinKey::kNone;
  UnaryOp unary_op = UnaryOp::kNot;
  BinaryOp binary_op = BinaryOp::kAnd;
  const FunctionSpec* function = nullptr;
  Quantifier quantifier = Quantifier::kAny;
  int aggregate_index = -1;
  bool count = false;  ///< kExists: COUNT { … }.
  bool case_subject = false;
  std::uint32_t case_pairs = 0;
  std::vector<std::unique_ptr<CompiledExpr>> children;
  std::unique_ptr<SubPlan> exists;
  std::shared_ptr<re2::RE2> regex;  ///< Precompiled when the pattern of =~ is constant.

  CompiledExpr();
  ~CompiledExpr();
};

using CompiledExprPtr = std::unique_ptr<CompiledExpr>;

/// What a variable is.
enum class VariableKind : std::uint8_t { kNode, kRelation, kRelationList, kPath, kValue };

struct Variable {
  std::string name;  ///< Empty for anonymous pattern elements.
  VariableKind kind = VariableKind::kNode;
  model::KindMask kinds = 0;  ///< kNode: allowed entity kinds; 0 = any.
  Slot slot = kNoSlot;
};

/// One relation element of a pattern, between two node slots.
struct PatternEdge {
  Slot left = kNoSlot;      ///< Node slot written on the left.
  Slot right = kNoSlot;     ///< Node slot written on the right.
  Slot relation = kNoSlot;  ///< Relation slot (kRelation, or kRelationList when variable length).
  Slot segment = kNoSlot;   ///< Variable length: hidden slot holding the walked PathData.
  Direction direction = Direction::kBoth;  ///< As written, from left to right.
  std::vector<model::RelKindId> types;     ///< Empty: any kind.
  bool variable_length = false;
  std::uint32_t min_hops = 1;
  std::uint32_t max_hops = 1;
  std::vector<CompiledExprPtr>
      property_filters;       ///< Checked per relation walked (bound: `rel_cursor`).
  Slot rel_cursor = kNoSlot;  ///< Slot bound to the relation being checked by property_filters.
  /// Conditions the WHERE asks of every relation on this edge (see
  /// push_relation_conditions): a relation for which `condition`, with `variable` bound to
  /// it, is false (or null, not for a date's imprecision) is on no path that passes, and
  /// the walk does not go on through it. Not owned: the conjunct stays in the WHERE.
  struct RelationCondition {
    Slot variable = kNoSlot;
    const CompiledExpr* condition = nullptr;
    SourceSpan span;  ///< Of the whole all(…), for --explain.
  };
  std::vector<RelationCondition> relation_conditions;
  int clause = 0;  ///< Relations are unique within one MATCH clause.
  /// Matched once per far end rather than once per path: set when nothing reads the
  /// walk (no relation variable, no named path, no other relation of its clause of the
  /// same kinds, at most one hop at least) and the caller keeps distinct bindings only
  /// (inside EXISTS, or CompileOptions::distinct_matches). A breadth-first search then
  /// replaces the enumeration of every simple path, which can grow exponentially.
  bool endpoints_only = false;
  /// Written in shortestPath() (kOne) or allShortestPaths() (kAll): only the shortest
  /// walks between its ends, found breadth-first (from both ends when both are bound).
  Shortest shortest = Shortest::kNone;
};

/// A named path to assemble once all its elements are bound.
struct PathBinding {
  Slot slot = kNoSlot;
  std::vector<Slot> nodes;  ///< Node slots in written order.
  std::vector<int> edges;   ///< Indexes into SubPlan::edges, in written order.
};

/// A step of an execution plan.
struct Step {
  enum class Kind : std::uint8_t {
    kScan,         ///< bind `node` to each vertex of `kinds` (all when 0)
    kLookup,       ///< bind `node` to the vertex whose id is `lookup` (an expression)
    kNear,         ///< bind `node` to each located vertex of `kinds` within `radius` km of `center`
    kIndexed,      ///< bind `node` to each vertex whose property `key` equals `lookup`
    kDisagreeing,  ///< bind `node` to each vertex of `kinds` with a recorded disagreement
                   ///< (`on_relations`: an end of a relation with one)
    kExpand,       ///< from bound `from` along `edge`, binding `node` (or checking it when bound)
    kPath,         ///< assemble path `path`
    kFilter,       ///< evaluate `filter`; continue when true
    kCollect,      ///< SubPlan::steps_collecting_values: note the value of `filter` (the
                   ///< inner side of SubPlan::value_conjunct) for the match that follows
  };
  Kind kind = Kind::kScan;
  Slot node = kNoSlot;
  Slot from = kNoSlot;
  model::KindMask kinds = 0;
  int edge = -1;
  bool reversed = false;      ///< kExpand walks the edge from right to left.
  bool target_bound = false;  ///< kExpand: `node` was bound before; only check.
  bool on_relations = false;  ///< kDisagreeing: of the relations at `node`, not of `node`.
  int path = -1;
  const CompiledExpr* filter = nullptr;
  /// kFilter: the one slot `filter` reads, when its answer depends on nothing else (no
  /// other variable, no aggregate) and the same entity may come back to it: the matcher
  /// remembers the answer by that entity. kNoSlot: evaluated every time.
  Slot remembered_by = kNoSlot;
  const CompiledExpr* lookup = nullptr;
  model::Sym key = 0;                    ///< kIndexed: the property.
  const CompiledExpr* center = nullptr;  ///< kNear: an entity or a location.
  const CompiledExpr* radius = nullptr;  ///< kNear: kilometres.
  double estimate = 0;                   ///< Rows expected after the step, for --explain.
  /// kExpand up ownership chains (OWNED_BY, from the firm, matched once per far end, at
  /// least kMaxChainLinks hops) whose far ends a later filter keeps only where
  /// effective_share(firm, owner) is at least this much (a filter `> 0` keeps those at 0
  /// out too): where the run keeps each firm's shares for every owner (ChainShareCache),
  /// the far ends are the owners listed there at this share or more, read rather than
  /// walked (see mark_owner_share_walks). Nothing: walked.
  std::optional<double> owner_share_floor;
};

/// A planned pattern: the compiled pieces and the order to run them in.
struct SubPlan {
  std::vector<PatternEdge> edges;
  std::vector<PathBinding> paths;
  std::vector<CompiledExprPtr> conjuncts;  ///< WHERE conditions and pattern properties.
  std::vector<CompiledExprPtr> lookups;    ///< Id expressions of kLookup steps.
  std::vector<Step> steps;
  /// EXISTS whose first step walks from one outer entity while another outer entity
  /// stands in its pattern: the same subquery planned to start from that other one.
  /// The matcher takes whichever start has fewer relations to walk, so that a hub (a
  /// municipality with 20,000 agreements) is not walked once per partner. Empty: none.
  std::vector<Step> steps_from_other_end;
  std::vector<Slot> node_slots;   ///< Every node slot bound by this plan.
  std::vector<Slot> outer_slots;  ///< Slots bound before the plan runs (EXISTS: the outer ones).
  /// EXISTS: what its answer depends on, to remember it: the outer slots it reads as
  /// entities or relations, and the property reads of outer slots it reads only so.
  std::vector<Slot> memo_slots;
  std::vector<const CompiledExpr*> memo_properties;
  std::vector<Slot> pattern_outer_slots;  ///< Outer slots that stand in its patterns.
  /// EXISTS that reads one outer entity in its pattern and one outer property only in a
  /// conjunct `inner.p = outer.q` (`o.country = c.country`; plan_value_key): its answer
  /// for every value of outer.q is read from the texts inner.p takes over the matches of
  /// the subquery without that conjunct, collected once per outer entity. A firm asked
  /// whether a state of its partner city's country owns it walks its owners once, not
  /// once per country it is asked about. Null: not so.
  const CompiledExpr* value_conjunct = nullptr;
  /// `steps` with value_conjunct's filter replaced by a kCollect of its inner side.
  std::vector<Step> steps_collecting_values;
};

}  // namespace twinscan::query
