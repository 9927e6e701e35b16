// The checks of names against the scopes, the schema, the parameters and the function
// table, and the wording of what they find. Suggestions come from util::did_you_mean.
#include "analyzer/query/semantic_checker.h"

#include <algorithm>

#include "analyzer/util/nearest_name.h"

namespace twinscan::query {

using model::KindMask;

SemanticChecker::SemanticChecker(const model::Graph& graph, const Parameters& parameters,
                                 CompiledQuery& out)
    : graph_(graph), schema_(graph.schema()), parameters_(parameters), out_(out) {}

void SemanticChecker::error(SourceSpan span, std::string message) {
  out_.messages.push_back({diag::Severity::kError, span, std::move(message), extra_});
}

void SemanticChecker::warning(SourceSpan span, std::string message) {
  out_.messages.push_back({diag::Severity::kWarning, span, std::move(message), extra_});
}

Slot SemanticChecker::declare(std::string name, VariableKind kind, KindMask kinds) {
  Variable v;
  v.name = std::move(name);
  v.kind = kind;
  v.kinds = kinds;
  v.slot = static_cast<Slot>(out_.variables.size());
  out_.variables.push_back(v);
  return v.slot;
}

const char* SemanticChecker::kind_word(VariableKind k) {
  switch (k) {
    case VariableKind::kNode:
      return "an entity";
    case VariableKind::kRelation:
      return "a relation";
    case VariableKind::kRelationList:
      return "a list of relations";
    case VariableKind::kPath:
      return "a path";
    case VariableKind::kValue:
      return "a value";
  }
  return "a value";
}

Slot SemanticChecker::resolve(const Scope& scope, const std::string& name, SourceSpan span) {
  const Slot slot = scope.find(name);
  if (slot == kNoSlot && dropped_.count(name) != 0) {
    error(span,
          "variable '" + name + "' is not carried past WITH; list it there: WITH ..., " + name);
  } else if (slot == kNoSlot) {
    error(span,
          "variable '" + name + "' is not defined" + util::did_you_mean(name, scope.visible()));
  }
  return slot;
}

void SemanticChecker::check_unbound(const Scope& scope, const std::string& name, SourceSpan span,
                                    const std::string& why) {
  if (!name.empty() && scope.find(name) != kNoSlot) {
    error(span, "'" + name + "' is already bound" + why);
  }
}

bool SemanticChecker::check_entity(const Variable& v, const NodePattern& node) {
  if (v.kind == VariableKind::kNode) return true;
  error(node.span, "'" + node.variable + "' is " + kind_word(v.kind) +
                       " elsewhere and cannot be an entity here");
  return false;
}

KindMask SemanticChecker::merge_kinds(const Variable& v, KindMask mask, const NodePattern& node) {
  const KindMask merged = v.kinds == 0 ? mask : (v.kinds & mask);
  if (merged == 0) {
    error(node.span, "'" + node.variable + "' is bound as " + schema_.describe_kinds(v.kinds) +
                         " and as " + schema_.describe_kinds(mask) + "; an entity has one kind");
  }
  return merged;
}

KindMask SemanticChecker::entity_kinds(const NodePattern& node) {
  KindMask mask = 0;
  for (std::size_t i = 0; i < node.kinds.size(); ++i) {
    if (const auto k = schema_.find_kind(node.kinds[i])) {
      mask |= KindMask{1} << *k;
    } else {
      error(node.kind_spans[i], "unknown entity kind '" + node.kinds[i] + "'" +
                                    util::did_you_mean(node.kinds[i], schema_.kind_names()));
    }
  }
  return mask;
}

std::vector<model::RelKindId> SemanticChecker::relation_kinds(const RelPattern& rel) {
  std::vector<model::RelKindId> types;
  for (std::size_t i = 0; i < rel.types.size(); ++i) {
    if (const auto t = schema_.find_relation(rel.types[i])) {
      if (std::find(types.begin(), types.end(), *t) == types.end()) types.push_back(*t);
    } else {
      error(rel.type_spans[i], "unknown relation kind '" + rel.types[i] + "'" +
                                   util::did_you_mean(rel.types[i], schema_.relation_names()));
    }
  }
  std::sort(types.begin(), types.end());
  return types;
}

void SemanticChecker::check_hops(const PatternEdge& edge, SourceSpan span) {
  if (edge.max_hops > 64) {
    error(span, "at most 64 hops are supported in a variable-length relation");
  }
}

void SemanticChecker::check_endpoints(const PatternEdge& edge, SourceSpan span) {
  const KindMask left = out_.variables[edge.left].kinds;
  const KindMask right = out_.variables[edge.right].kinds;
  if (edge.variable_length) return;  // interior nodes are free; endpoints may still connect
  const auto& relations = schema_.relations();
  auto fits = [&](const model::RelationKindSpec& spec) {
    const KindMask l = left == 0 ? ~KindMask{0} : left;
    const KindMask r = right == 0 ? ~KindMask{0} : right;
    const bool forward = (spec.from & l) && (spec.to & r);
    const bool backward = (spec.from & r) && (spec.to & l);
    switch (edge.direction) {
      case Direction::kOut:
        return forward;
      case Direction::kIn:
        return backward;
      case Direction::kBoth:
        return forward || backward;
    }
    return false;
  };
  bool possible = false;
  if (edge.types.empty()) {
    possible = std::any_of(relations.begin(), relations.end(), fits);
  } else {
    possible = std::any_of(edge.types.begin(), edge.types.end(),
                           [&](model::RelKindId t) { return fits(relations[t]); });
  }
  if (!possible) {
    warning(span,
            "this relation pattern cannot match under the schema (check the relation "
            "kind, its direction and the entity kinds at its ends)");
  }
}

void SemanticChecker::check_property(const Variable& v, const std::string& key, SourceSpan span) {
  model::Sym unused = 0;
  const bool seen_in_data = graph_.strings().find(key, unused);
  if (v.kind == VariableKind::kNode) {
    if (key == "id" || key == "kind" || key == "name") return;
    std::vector<std::string> names;
    bool declared = false;
    for (model::KindId k = 0; k < schema_.kinds().size(); ++k) {
      if (v.kinds != 0 && !(v.kinds >> k & 1U)) continue;
      if (schema_.entity_property(k, key)) declared = true;
      for (auto& n : schema_.entity_property_names(k)) names.push_back(n);
    }
    if (declared) return;
    names.insert(names.end(), {"id", "kind", "name"});
    const std::string who =
        v.kinds == 0 ? std::string("any entity kind") : schema_.describe_kinds(v.kinds);
    // "Always null" only when the data cannot hold it: a registry may give a kind a
    // property its schema declares for another kind only (the loader warns and keeps it).
    if (seen_in_data) {
      warning(span,
              "'" + key + "' is not in the schema for " + who + util::did_you_mean(key, names));
    } else if (schema_.any_entity_property(key)) {
      warning(span, "'" + key + "' is not a property of " + who + "; it is always null here");
    } else {
      error(span, "unknown property '" + key + "' of " + who + util::did_you_mean(key, names));
    }
  } else if (v.kind == VariableKind::kRelation) {
    if (key == "id" || key == "kind") return;
    if (schema_.any_relation_property(key) || seen_in_data) return;
    auto names = schema_.relation_property_names(std::nullopt);
    names.insert(names.end(), {"id", "kind"});
    error(span, "unknown relation property '" + key + "'" + util::did_you_mean(key, names));
  } else if (v.kind == VariableKind::kPath || v.kind == VariableKind::kRelationList) {
    error(span, "'" + v.name + "' is " + kind_word(v.kind) + "; it has no properties");
  }
}

const Value* SemanticChecker::parameter(const std::string& name, SourceSpan span) {
  out_.parameters_read.insert(name);
  auto it = parameters_.find(name);
  if (it != parameters_.end()) return &it->second;
  std::vector<std::string> names;
  for (const auto& [k, v] : parameters_) names.push_back(k);
  error(span, "parameter $" + name + " has no value" + util::did_you_mean(name, names) +
                  " (pass it with --param " + name + "=VALUE)");
  return nullptr;
}

const FunctionSpec* SemanticChecker::function(const Expr& call) {
  const FunctionSpec* fn = find_function(call.text);
  if (fn == nullptr) {
    // Suggest names as the reference writes them (toLower, not tolower).
    std::vector<std::string> names;
    for (const auto& f : function_table()) {
      const std::string_view signature = f.signature;
      names.emplace_back(signature.substr(0, signature.find('(')));
    }
    error(call.span, "unknown function '" + call.text + "'" + util::did_you_mean(call.text, names));
    return nullptr;
  }
  const int n = static_cast<int>(call.children.size());
  if (n < fn->min_args || (fn->max_args >= 0 && n > fn->max_args)) {
    error(call.span,
          std::string(fn->signature) + " takes " +
              (fn->min_args == fn->max_args ? std::to_string(fn->min_args)
               : fn->max_args < 0
                   ? "at least " + std::to_string(fn->min_args)
                   : std::to_string(fn->min_args) + " to " + std::to_string(fn->max_args)) +
              " argument" + (fn->max_args == 1 ? "" : "s") + ", not " + std::to_string(n));
    return nullptr;
  }
  return fn;
}

}  // namespace twinscan::query
