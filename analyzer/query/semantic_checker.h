// Semantic checking: what the compilers ask of names. Variables (their slots, scopes and
// kinds), the schema (entity kinds, relation kinds, properties, whether a relation
// pattern can match at all), parameters and functions, each with a did-you-mean
// suggestion when a name is unknown; and the compilation's messages.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "analyzer/query/compiled_query.h"
#include "analyzer/query/scope.h"

namespace twinscan::query {

/// Resolves and checks the names of one compilation, and records its messages in
/// CompiledQuery::messages (and its variables in CompiledQuery::variables).
class SemanticChecker {
 public:
  SemanticChecker(const model::Graph& graph, const Parameters& parameters, CompiledQuery& out);

  void error(SourceSpan span, std::string message);
  void warning(SourceSpan span, std::string message);
  /// Messages from now on are about extra expression `index` (-1: the query itself).
  void set_extra(int index) { extra_ = index; }
  /// No error so far.
  [[nodiscard]] bool ok() const { return out_.ok(); }

  /// A new frame slot for a variable (the caller puts named ones in a scope).
  Slot declare(std::string name, VariableKind kind, model::KindMask kinds = 0);
  Variable& variable(Slot slot) { return out_.variables[slot]; }
  /// The slot `name` refers to in `scope`, or kNoSlot after an error.
  Slot resolve(const Scope& scope, const std::string& name, SourceSpan span);
  /// Notes a name that a WITH does not carry on, to say so when it is read later.
  void note_dropped(const std::string& name) { dropped_.insert(name); }
  /// An error when `name` (unless empty) is bound already; `why` ends the message.
  void check_unbound(const Scope& scope, const std::string& name, SourceSpan span,
                     const std::string& why = "");
  /// False, after an error, when `v` is not an entity and so cannot stand in a node pattern.
  bool check_entity(const Variable& v, const NodePattern& node);
  /// The kinds an entity variable of kinds `v.kinds` may take once `node` also requires
  /// `mask`: an error when none.
  model::KindMask merge_kinds(const Variable& v, model::KindMask mask, const NodePattern& node);

  /// The entity kinds a node pattern names (0: any), with an error for each unknown one.
  model::KindMask entity_kinds(const NodePattern& node);
  /// The relation kinds a relation pattern names, sorted (empty: any), likewise.
  std::vector<model::RelKindId> relation_kinds(const RelPattern& rel);
  /// An error when a variable-length relation allows more hops than the matcher walks.
  void check_hops(const PatternEdge& edge, SourceSpan span);
  /// A warning when no relation kind of the pattern can join the kinds at its ends.
  void check_endpoints(const PatternEdge& edge, SourceSpan span);
  /// Whether property `key` of variable `v` can exist: an error when it is unknown, a
  /// warning when the schema says it is always null there.
  void check_property(const Variable& v, const std::string& key, SourceSpan span);

  /// The value of $name (noted as read), or nullptr after an error.
  const Value* parameter(const std::string& name, SourceSpan span);
  /// The function a call names, or nullptr after an error (unknown, or a wrong number
  /// of arguments).
  const FunctionSpec* function(const Expr& call);

 private:
  static const char* kind_word(VariableKind k);

  const model::Graph& graph_;
  const model::Schema& schema_;
  const Parameters& parameters_;
  CompiledQuery& out_;
  int extra_ = -1;
  std::set<std::string, std::less<>> dropped_;
};

}  // namespace twinscan::query
