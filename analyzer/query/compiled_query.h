#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/query/plan.h"

namespace twinscan::query {

/// A problem found while checking a query against the schema, with its place in the text.
struct QueryMessage {
  diag::Severity severity = diag::Severity::kError;
  SourceSpan span;
  std::string message;
  int extra = -1;  ///< Index of the extra expression the span refers to; -1: the query.
};

/// An aggregate call of the RETURN clause.
struct AggregateSpec {
  Aggregate kind = Aggregate::kCount;
  bool distinct = false;
  bool star = false;                       ///< count(*)
  const CompiledExpr* argument = nullptr;  ///< Owned by the item expression.
};

struct CompiledReturn {
  bool distinct = false;
  std::vector<std::string> columns;
  std::vector<CompiledExprPtr> items;
  std::vector<bool> item_has_aggregate;
  std::vector<AggregateSpec> aggregates;
  /// ORDER BY: a column index, or an expression over the match (column -1).
  struct Order {
    int column = -1;
    CompiledExprPtr expr;
    bool descending = false;
  };
  std::vector<Order> order;
  std::int64_t skip = 0;
  std::int64_t limit = -1;  ///< -1: no limit.
};

/// A clause after the leading MATCH clauses (see Clause), run for each row that
/// reaches it; a WITH gathers every row that reaches it first.
struct Stage {
  Clause::Kind kind = Clause::Kind::kMatch;
  SubPlan plan;  ///< kMatch, kOptionalMatch: planned with every earlier slot bound.
  /// kOptionalMatch: the slots it binds (null when nothing matches); kUnwind: the
  /// variable; kWith: the slot of each item, in order.
  std::vector<Slot> slots;
  CompiledExprPtr expr;       ///< kUnwind: the list; kWith: the WHERE (may be null).
  CompiledReturn projection;  ///< kWith.
  Slot first_slot = 0;        ///< Slots from here on are declared by this clause or later.
};

/// Options that shape compilation.
struct CompileOptions {
  std::uint32_t default_max_hops = 8;  ///< The cap for `*` and `*n..` without an upper bound.
  bool allow_return = true;            ///< Rules' match queries have none.
  bool require_return = false;         ///< `twinscan query` needs one.
  /// Expressions evaluated over each match besides the query (a rule's message
  /// placeholders), compiled in the scope of the query's variables.
  std::vector<const Expr*> extra_expressions;
  /// Slots the caller binds before running (an anchored evaluation): the plan starts
  /// from them. Slots are numbered in the order variables appear, so they are the same
  /// in every compilation of one query.
  std::vector<Slot> prebound_slots;
  /// The caller keeps only the distinct bindings of the named variables (a rule's
  /// findings), so a walk nothing reads may be matched once per far end.
  bool distinct_matches = false;
};

/// A checked, compiled and planned query, ready to run on the graph it was compiled for.
struct CompiledQuery {
  std::vector<Variable> variables;  ///< One per frame slot.
  SubPlan plan;                     ///< The leading MATCH clauses.
  std::vector<Stage> stages;        ///< The clauses after them, in order.
  std::optional<CompiledReturn> returns;
  std::vector<CompiledExprPtr> extras;  ///< One per CompileOptions::extra_expressions.
  std::vector<QueryMessage> messages;
  std::set<std::string, std::less<>> parameters_read;  ///< Names of the $parameters used.
  /// Property keys read that the graph stores nowhere (read as null without a lookup):
  /// the query must be compiled again for a graph that stores one of them.
  std::vector<std::string> absent_keys;

  [[nodiscard]] bool ok() const {
    for (const auto& m : messages) {
      if (m.severity == diag::Severity::kError) return false;
    }
    return true;
  }
  /// The slot of the named variable, or kNoSlot.
  [[nodiscard]] Slot slot_of(std::string_view name) const {
    for (const auto& v : variables) {
      if (v.name == name) return v.slot;
    }
    return kNoSlot;
  }
};

using Parameters = std::map<std::string, Value, std::less<>>;

/// Checks `query` against the graph's schema, compiles it and plans it.
/// Problems are returned in CompiledQuery::messages (errors make ok() false).
CompiledQuery compile_query(const Query& query, const model::Graph& graph,
                            const Parameters& parameters, const CompileOptions& options);

}  // namespace twinscan::query
