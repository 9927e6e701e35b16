// Checks a parsed query against the schema and compiles it: variables become frame
// slots, property keys are interned, functions are looked up, patterns become edges
// between node slots, and WHERE becomes a list of conjuncts for the planner.
#include <algorithm>
#include <functional>
#include <unordered_map>

#include <re2/re2.h>

#include "analyzer/query/compiled_query.h"
#include "analyzer/query/executor.h"
#include "analyzer/query/planner.h"
#include "analyzer/util/nearest_name.h"

namespace twinscan::query {

CompiledExpr::CompiledExpr() = default;
CompiledExpr::~CompiledExpr() = default;

namespace {

using model::KindMask;

struct Scope {
  const Scope* parent = nullptr;
  std::unordered_map<std::string, Slot> names;

  [[nodiscard]] Slot find(const std::string& name) const {
    for (const Scope* s = this; s != nullptr; s = s->parent) {
      if (auto it = s->names.find(name); it != s->names.end()) return it->second;
    }
    return kNoSlot;
  }
  [[nodiscard]] std::vector<std::string> visible() const {
    std::vector<std::string> out;
    for (const Scope* s = this; s != nullptr; s = s->parent) {
      for (const auto& [name, slot] : s->names) out.push_back(name);
    }
    return out;
  }
};

class Compiler {
 public:
  Compiler(const model::Graph& graph, const Parameters& parameters, const CompileOptions& options,
           CompiledQuery& out)
      : graph_(graph),
        schema_(graph.schema()),
        parameters_(parameters),
        options_(options),
        out_(out) {}

  void compile(const Query& query) {
    Scope scope;
    int clause = 0;
    for (const auto& match : query.matches) {
      for (const auto& pattern : match.patterns) compile_pattern(pattern, scope, out_.plan, clause);
      if (match.where) add_conjuncts(*match.where, scope, out_.plan);
      ++clause;
    }
    for (std::size_t i = 0; i < options_.extra_expressions.size(); ++i) {
      current_extra_ = static_cast<int>(i);
      out_.extras.push_back(compile_expr(*options_.extra_expressions[i], scope, false));
    }
    current_extra_ = -1;
    if (query.returns) {
      if (!options_.allow_return) {
        error(query.returns->span,
              "a rule's match has no RETURN: its variables are the finding's "
              "bindings");
      } else {
        compile_return(*query.returns, scope);
      }
    } else if (options_.require_return) {
      error({0, 0}, "the query has no RETURN clause; say what to show, e.g. RETURN m.name");
    }
    if (!out_.ok()) return;
    if (options_.distinct_matches) mark_endpoint_walks(out_.plan);
    std::vector<bool> bound(out_.variables.size(), false);
    for (Slot s : options_.prebound_slots) {
      if (s >= 0 && static_cast<std::size_t>(s) < bound.size()) bound[s] = true;
    }
    plan_subplan(out_.plan, graph_, out_.variables, std::move(bound),
                 [this](const CompiledExpr& condition, Slot slot, KindMask kinds) {
                   return sampled_fraction(condition, slot, kinds);
                 });
  }

 private:
  void error(SourceSpan span, std::string message) {
    out_.messages.push_back({diag::Severity::kError, span, std::move(message), current_extra_});
  }
  void warning(SourceSpan span, std::string message) {
    out_.messages.push_back({diag::Severity::kWarning, span, std::move(message), current_extra_});
  }

  Slot new_slot(std::string name, VariableKind kind, KindMask kinds = 0) {
    Variable v;
    v.name = std::move(name);
    v.kind = kind;
    v.kinds = kinds;
    v.slot = static_cast<Slot>(out_.variables.size());
    out_.variables.push_back(v);
    return v.slot;
  }

  static const char* kind_word(VariableKind k) {
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

  KindMask kinds_of(const NodePattern& node) {
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

  // Binds (or re-uses) the variable of a node pattern; returns its slot.
  Slot bind_node(const NodePattern& node, Scope& scope, SubPlan& plan) {
    const KindMask mask = kinds_of(node);
    Slot slot = node.variable.empty() ? kNoSlot : scope.find(node.variable);
    if (slot != kNoSlot) {
      Variable& v = out_.variables[slot];
      if (v.kind != VariableKind::kNode) {
        error(node.span, "'" + node.variable + "' is " + kind_word(v.kind) +
                             " elsewhere and cannot be an entity here");
        return slot;
      }
      const bool outer = std::find(plan.outer_slots.begin(), plan.outer_slots.end(), slot) !=
                             plan.outer_slots.end() ||
                         is_outer(slot, scope);
      if (mask != 0) {
        const KindMask merged = v.kinds == 0 ? mask : (v.kinds & mask);
        if (merged == 0) {
          error(node.span, "'" + node.variable + "' is bound as " +
                               schema_.describe_kinds(v.kinds) + " and as " +
                               schema_.describe_kinds(mask) + "; an entity has one kind");
        }
        if (outer) {
          add_kind_check(slot, mask, node.span, plan);
        } else {
          v.kinds = merged;
        }
      }
      if (outer) {
        note_outer(slot, plan);
        plan.pattern_outer_slots.push_back(slot);
      }
    } else {
      slot = new_slot(node.variable, VariableKind::kNode, mask);
      if (!node.variable.empty()) scope.names[node.variable] = slot;
      plan.node_slots.push_back(slot);
    }
    for (std::size_t i = 0; i < node.properties.size(); ++i) {
      const auto& [key, value] = node.properties[i];
      auto target = std::make_unique<CompiledExpr>();
      target->op = CompiledExpr::Op::kSlot;
      target->slot = slot;
      target->span = node.property_spans[i];
      auto property = make_property(std::move(target), key, node.property_spans[i]);
      const SourceSpan whole{node.property_spans[i].begin, value->span.end};
      plan.conjuncts.push_back(
          make_equality(std::move(property), compile_expr(*value, scope, false), whole));
    }
    return slot;
  }

  // True when `slot` belongs to an enclosing scope (an EXISTS subquery reading outer variables).
  bool is_outer(Slot slot, const Scope& scope) const {
    for (const auto& [name, s] : scope.names) {
      if (s == slot) return false;
    }
    return scope.parent != nullptr;
  }

  void note_outer(Slot slot, SubPlan& plan) {
    if (std::find(plan.outer_slots.begin(), plan.outer_slots.end(), slot) ==
        plan.outer_slots.end()) {
      plan.outer_slots.push_back(slot);
    }
  }

  void add_kind_check(Slot slot, KindMask mask, SourceSpan span, SubPlan& plan) {
    // `labels(v)[0] IN [kinds]` would do; a dedicated check is clearer and cheaper.
    auto check = std::make_unique<CompiledExpr>();
    check->op = CompiledExpr::Op::kCall;
    check->function = &kind_check_function();
    check->span = span;
    auto target = std::make_unique<CompiledExpr>();
    target->op = CompiledExpr::Op::kSlot;
    target->slot = slot;
    check->children.push_back(std::move(target));
    auto m = std::make_unique<CompiledExpr>();
    m->constant = Value::of_int(static_cast<std::int64_t>(mask));
    check->children.push_back(std::move(m));
    plan.conjuncts.push_back(std::move(check));
  }

  static Value kind_in_mask(const FunctionContext& ctx, std::span<const Value> args) {
    if (args[0].type != Type::kNode) return Value::of_bool(false);
    const auto mask = static_cast<KindMask>(args[1].integer);
    return Value::of_bool((mask >> ctx.graph.kind(args[0].node) & 1U) != 0);
  }
  static const FunctionSpec& kind_check_function() {
    static const FunctionSpec kSpec{"<kind check>", 2, 2, Aggregate::kNone, kind_in_mask, "", ""};
    return kSpec;
  }

  std::vector<model::RelKindId> relation_types(const RelPattern& rel) {
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

  // Warns when no relation kind of the pattern can join the two node kinds.
  void check_endpoints(const PatternEdge& edge, SourceSpan span) {
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

  void compile_pattern(const PathPattern& pattern, Scope& scope, SubPlan& plan, int clause) {
    PathBinding path;
    Slot left = bind_node(pattern.nodes[0], scope, plan);
    path.nodes.push_back(left);
    for (std::size_t i = 0; i < pattern.rels.size(); ++i) {
      const RelPattern& rel = pattern.rels[i];
      const Slot right = bind_node(pattern.nodes[i + 1], scope, plan);
      PatternEdge edge;
      edge.left = left;
      edge.right = right;
      edge.direction = rel.direction;
      edge.types = relation_types(rel);
      edge.variable_length = rel.variable_length;
      edge.min_hops = rel.variable_length ? rel.min_hops : 1;
      edge.max_hops = rel.variable_length
                          ? rel.max_hops.value_or(std::max(options_.default_max_hops, rel.min_hops))
                          : 1;
      edge.clause = clause;
      if (edge.max_hops > 64) {
        error(rel.span, "at most 64 hops are supported in a variable-length relation");
      }
      const VariableKind kind =
          rel.variable_length ? VariableKind::kRelationList : VariableKind::kRelation;
      if (!rel.variable.empty() && scope.find(rel.variable) != kNoSlot) {
        error(rel.span, "'" + rel.variable +
                            "' is already bound; a relation variable names one "
                            "relation of one pattern");
      }
      if (rel.variable_length) {
        edge.segment = new_slot("", VariableKind::kPath);
        edge.rel_cursor = new_slot("", VariableKind::kRelation);
        if (!rel.variable.empty()) {
          edge.relation = new_slot(rel.variable, kind);
          scope.names[rel.variable] = edge.relation;
        }
      } else {
        edge.relation = new_slot(rel.variable, kind);
        if (!rel.variable.empty()) scope.names[rel.variable] = edge.relation;
        edge.rel_cursor = edge.relation;
      }
      for (std::size_t k = 0; k < rel.properties.size(); ++k) {
        const auto& [key, value] = rel.properties[k];
        auto target = std::make_unique<CompiledExpr>();
        target->op = CompiledExpr::Op::kSlot;
        target->slot = edge.rel_cursor;
        auto property = make_property(std::move(target), key, rel.property_spans[k]);
        const SourceSpan whole{rel.property_spans[k].begin, value->span.end};
        edge.property_filters.push_back(
            make_equality(std::move(property), compile_expr(*value, scope, false), whole));
      }
      check_endpoints(edge, rel.span);
      path.edges.push_back(static_cast<int>(plan.edges.size()));
      plan.edges.push_back(std::move(edge));
      path.nodes.push_back(right);
      left = right;
    }
    if (!pattern.path_variable.empty()) {
      if (scope.find(pattern.path_variable) != kNoSlot) {
        error(pattern.span, "'" + pattern.path_variable + "' is already bound");
      }
      path.slot = new_slot(pattern.path_variable, VariableKind::kPath);
      scope.names[pattern.path_variable] = path.slot;
      plan.paths.push_back(std::move(path));
    }
  }

  void add_conjuncts(const Expr& where, Scope& scope, SubPlan& plan) {
    if (where.kind == Expr::Kind::kBinary && where.binary_op == BinaryOp::kAnd) {
      add_conjuncts(*where.children[0], scope, plan);
      add_conjuncts(*where.children[1], scope, plan);
      return;
    }
    plan.conjuncts.push_back(compile_expr(where, scope, false));
  }

  CompiledExprPtr make_equality(CompiledExprPtr left, CompiledExprPtr right, SourceSpan span) {
    auto eq = std::make_unique<CompiledExpr>();
    eq->op = CompiledExpr::Op::kBinary;
    eq->binary_op = BinaryOp::kEq;
    eq->span = span;
    eq->children.push_back(std::move(left));
    eq->children.push_back(std::move(right));
    return eq;
  }

  // Property access, checked against the schema when the object's kinds are known.
  CompiledExprPtr make_property(CompiledExprPtr object, const std::string& key, SourceSpan span) {
    auto p = std::make_unique<CompiledExpr>();
    p->op = CompiledExpr::Op::kProperty;
    p->span = span;
    p->key_text = key;
    p->key_interned = graph_.strings().find(key, p->key);
    if (object->op == CompiledExpr::Op::kSlot)
      check_property(out_.variables[object->slot], key, span);
    p->children.push_back(std::move(object));
    return p;
  }

  void check_property(const Variable& v, const std::string& key, SourceSpan span) {
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
      if (schema_.any_entity_property(key)) {
        warning(span, "'" + key + "' is not a property of " + who + "; it is always null here");
      } else if (seen_in_data) {
        warning(span,
                "'" + key + "' is not in the schema for " + who + util::did_you_mean(key, names));
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

  CompiledExprPtr compile_expr(const Expr& e, Scope& scope, bool in_return) {
    auto c = std::make_unique<CompiledExpr>();
    c->span = e.span;
    switch (e.kind) {
      case Expr::Kind::kNull:
        break;
      case Expr::Kind::kBool:
        c->constant = Value::of_bool(e.bool_value);
        break;
      case Expr::Kind::kInt:
        c->constant = Value::of_int(e.int_value);
        break;
      case Expr::Kind::kFloat:
        c->constant = Value::of_float(e.float_value);
        break;
      case Expr::Kind::kString:
        c->constant = Value::of_string(e.text);
        break;
      case Expr::Kind::kParameter: {
        out_.parameters_read.insert(e.text);
        auto it = parameters_.find(e.text);
        if (it == parameters_.end()) {
          std::vector<std::string> names;
          for (const auto& [k, v] : parameters_) names.push_back(k);
          error(e.span, "parameter $" + e.text + " has no value" +
                            util::did_you_mean(e.text, names) + " (pass it with --param " + e.text +
                            "=VALUE)");
        } else {
          c->constant = it->second;
        }
        break;
      }
      case Expr::Kind::kVariable: {
        c->op = CompiledExpr::Op::kSlot;
        c->slot = scope.find(e.text);
        if (c->slot == kNoSlot) {
          error(e.span, "variable '" + e.text + "' is not defined" +
                            util::did_you_mean(e.text, scope.visible()));
          c->op = CompiledExpr::Op::kConstant;
        }
        break;
      }
      case Expr::Kind::kProperty:
        return make_property(compile_expr(*e.children[0], scope, in_return), e.text, e.span);
      case Expr::Kind::kList:
        c->op = CompiledExpr::Op::kList;
        for (const auto& child : e.children)
          c->children.push_back(compile_expr(*child, scope, in_return));
        break;
      case Expr::Kind::kMap:
        error(e.span,
              "map values are not supported here; maps appear only in patterns "
              "({key: value})");
        break;
      case Expr::Kind::kUnary:
        c->op = CompiledExpr::Op::kUnary;
        c->unary_op = e.unary_op;
        c->children.push_back(compile_expr(*e.children[0], scope, in_return));
        break;
      case Expr::Kind::kBinary:
        c->op = CompiledExpr::Op::kBinary;
        c->binary_op = e.binary_op;
        c->children.push_back(compile_expr(*e.children[0], scope, in_return));
        c->children.push_back(compile_expr(*e.children[1], scope, in_return));
        if (e.binary_op == BinaryOp::kRegexMatch) compile_regex(*c);
        break;
      case Expr::Kind::kCall:
        return compile_call(e, scope, in_return);
      case Expr::Kind::kCountStar: {
        if (!in_return || in_aggregate_) {
          error(e.span, "count(*) is an aggregate and belongs in RETURN");
          break;
        }
        c->op = CompiledExpr::Op::kAggregate;
        c->aggregate_index = static_cast<int>(aggregates_.size());
        aggregates_.push_back({Aggregate::kCount, false, true, nullptr});
        break;
      }
      case Expr::Kind::kExists:
        return compile_exists(e, scope);
      case Expr::Kind::kQuantifier: {
        c->op = CompiledExpr::Op::kQuantifier;
        c->quantifier = e.text == "all"      ? CompiledExpr::Quantifier::kAll
                        : e.text == "none"   ? CompiledExpr::Quantifier::kNone
                        : e.text == "single" ? CompiledExpr::Quantifier::kSingle
                                             : CompiledExpr::Quantifier::kAny;
        c->children.push_back(compile_expr(*e.children[0], scope, in_return));
        Scope inner{&scope, {}};
        c->slot = new_slot(e.variable, VariableKind::kValue);
        inner.names[e.variable] = c->slot;
        if (e.children.size() > 1 && e.children[1]) {
          c->children.push_back(compile_expr(*e.children[1], inner, in_return));
        } else {
          error(e.span,
                e.text + "(" + e.variable + " IN list WHERE condition) needs its WHERE condition");
        }
        break;
      }
    }
    return c;
  }

  void compile_regex(CompiledExpr& c) {
    const CompiledExpr& pattern = *c.children[1];
    if (pattern.op != CompiledExpr::Op::kConstant || pattern.constant.type != Type::kString) return;
    RE2::Options opts;
    opts.set_log_errors(false);
    auto re = std::make_shared<RE2>(
        re2::StringPiece(pattern.constant.text.data(), pattern.constant.text.size()), opts);
    if (!re->ok()) {
      error(pattern.span, "invalid regular expression: " + re->error() + " (RE2 syntax)");
      return;
    }
    c.regex = std::move(re);
  }

  CompiledExprPtr compile_call(const Expr& e, Scope& scope, bool in_return) {
    auto c = std::make_unique<CompiledExpr>();
    c->span = e.span;
    const FunctionSpec* fn = find_function(e.text);
    if (fn == nullptr) {
      // Suggest names as the reference writes them (toLower, not tolower).
      std::vector<std::string> names;
      for (const auto& f : function_table()) {
        const std::string_view signature = f.signature;
        names.emplace_back(signature.substr(0, signature.find('(')));
      }
      error(e.span, "unknown function '" + e.text + "'" + util::did_you_mean(e.text, names));
      return c;
    }
    const int n = static_cast<int>(e.children.size());
    if (n < fn->min_args || (fn->max_args >= 0 && n > fn->max_args)) {
      error(e.span,
            std::string(fn->signature) + " takes " +
                (fn->min_args == fn->max_args ? std::to_string(fn->min_args)
                 : fn->max_args < 0
                     ? "at least " + std::to_string(fn->min_args)
                     : std::to_string(fn->min_args) + " to " + std::to_string(fn->max_args)) +
                " argument" + (fn->max_args == 1 ? "" : "s") + ", not " + std::to_string(n));
      return c;
    }
    if (fn->aggregate != Aggregate::kNone) {
      if (!in_return) {
        error(e.span,
              std::string(fn->name) + "() is an aggregate and belongs in RETURN, not WHERE");
        return c;
      }
      if (in_aggregate_) {
        error(e.span, "aggregates cannot be nested");
        return c;
      }
      in_aggregate_ = true;
      c->children.push_back(compile_expr(*e.children[0], scope, in_return));
      in_aggregate_ = false;
      c->op = CompiledExpr::Op::kAggregate;
      c->aggregate_index = static_cast<int>(aggregates_.size());
      aggregates_.push_back({fn->aggregate, e.distinct, false, c->children[0].get()});
      return c;
    }
    if (e.distinct)
      error(e.span, "DISTINCT applies only to aggregates such as count() and collect()");
    c->op = CompiledExpr::Op::kCall;
    c->function = fn;
    for (const auto& child : e.children)
      c->children.push_back(compile_expr(*child, scope, in_return));
    return c;
  }

  CompiledExprPtr compile_exists(const Expr& e, Scope& scope) {
    auto c = std::make_unique<CompiledExpr>();
    c->op = CompiledExpr::Op::kExists;
    c->span = e.span;
    c->exists = std::make_unique<SubPlan>();
    Scope inner{&scope, {}};
    const int clause = 1000 + exists_count_++;
    for (const auto& pattern : e.exists->patterns)
      compile_pattern(pattern, inner, *c->exists, clause);
    if (e.exists->where) add_conjuncts(*e.exists->where, inner, *c->exists);
    // Outer variables read by the subquery's conditions are bound before it runs too.
    for (const auto& conjunct : c->exists->conjuncts) {
      std::vector<Slot> free;
      collect_free_slots(*conjunct, free);
      for (Slot s : free) {
        const bool local = std::find(c->exists->node_slots.begin(), c->exists->node_slots.end(),
                                     s) != c->exists->node_slots.end();
        if (!local && !is_local_slot(*c->exists, s)) note_outer(s, *c->exists);
      }
    }
    if (!out_.ok()) return c;
    mark_endpoint_walks(*c->exists);  // EXISTS asks only whether a match exists
    plan_memo(*c->exists);
    std::vector<bool> bound(out_.variables.size(), false);
    for (Slot s : c->exists->outer_slots) bound[s] = true;
    // Slots of enclosing scopes are bound whenever the subquery runs.
    for (const auto& [name, slot] : scope_names(scope)) bound[slot] = true;
    plan_subplan(*c->exists, graph_, out_.variables, std::move(bound));
    return c;
  }

  // The fraction of a sample of the entities `slot` may take for which `condition`
  // holds: 64 entities spread evenly over the kinds' entities, so the estimate is the
  // same every time. A condition that cannot be evaluated counts as holding; the as-of
  // date is not known when compiling, so date() reads as year 0 in the estimate.
  double sampled_fraction(const CompiledExpr& condition, Slot slot, KindMask kinds) {
    constexpr std::size_t kSamples = 64;
    std::vector<std::span<const model::VertexId>> lists;
    std::size_t total = 0;
    for (model::KindId k = 0; k < graph_.schema().kinds().size(); ++k) {
      if (kinds != 0 && !(kinds >> k & 1U)) continue;
      lists.push_back(graph_.vertices_of_kind(k));
      total += lists.back().size();
    }
    if (total == 0) return 1;
    ExecutionLimits limits;
    limits.max_expansions = 100'000;
    Executor executor(graph_, out_, FunctionContext{graph_, model::Date{}}, limits);
    const std::size_t samples = std::min(kSamples, total);
    std::size_t hits = 0;
    for (std::size_t i = 0; i < samples; ++i) {
      std::size_t at = i * total / samples;
      std::size_t list = 0;
      while (at >= lists[list].size()) at -= lists[list++].size();
      executor.frame()[slot] = Value::of_node(lists[list][at]);
      try {
        hits += executor.holds(condition) ? 1 : 0;
      } catch (const std::exception&) {
        ++hits;
      }
    }
    return std::max(0.5, static_cast<double>(hits)) / static_cast<double>(samples);
  }

  // Marks the variable-length relations that may be matched once per far end (see
  // PatternEdge::endpoints_only): whether a simple path of at most max_hops reaches a
  // vertex is whether it lies within max_hops, when the walk may be of length 1.
  static void mark_endpoint_walks(SubPlan& plan) {
    for (std::size_t i = 0; i < plan.edges.size(); ++i) {
      PatternEdge& edge = plan.edges[i];
      if (!edge.variable_length || edge.relation != kNoSlot || edge.types.empty() ||
          edge.min_hops > 1) {
        continue;
      }
      const bool in_path = std::any_of(plan.paths.begin(), plan.paths.end(), [&](const auto& p) {
        return std::find(p.edges.begin(), p.edges.end(), static_cast<int>(i)) != p.edges.end();
      });
      // Relations are unique within a clause: another element that could hold one of
      // the walk's relations would make the choice of path matter.
      const bool shares_kinds =
          std::any_of(plan.edges.begin(), plan.edges.end(), [&](const auto& o) {
            if (&o == &edge || o.clause != edge.clause) return false;
            if (o.types.empty()) return true;
            return std::any_of(o.types.begin(), o.types.end(), [&](model::RelKindId t) {
              return std::find(edge.types.begin(), edge.types.end(), t) != edge.types.end();
            });
          });
      edge.endpoints_only = !in_path && !shares_kinds;
    }
  }

  // Works out what an EXISTS answer depends on: an outer slot read only through its
  // properties contributes those property values, any other use the entity itself.
  static void plan_memo(SubPlan& plan) {
    std::vector<Slot> whole = plan.pattern_outer_slots;
    std::vector<const CompiledExpr*> properties;
    auto is_outer = [&](Slot s) {
      return std::find(plan.outer_slots.begin(), plan.outer_slots.end(), s) !=
             plan.outer_slots.end();
    };
    std::function<void(const CompiledExpr&)> visit = [&](const CompiledExpr& e) {
      if (e.op == CompiledExpr::Op::kProperty && e.children[0]->op == CompiledExpr::Op::kSlot &&
          is_outer(e.children[0]->slot)) {
        properties.push_back(&e);
        return;
      }
      if (e.op == CompiledExpr::Op::kSlot && is_outer(e.slot)) whole.push_back(e.slot);
      if (e.op == CompiledExpr::Op::kExists) {
        for (Slot s : e.exists->outer_slots) {
          if (is_outer(s)) whole.push_back(s);
        }
      }
      for (const auto& child : e.children) {
        if (child) visit(*child);
      }
    };
    for (const auto& conjunct : plan.conjuncts) visit(*conjunct);
    for (const auto& edge : plan.edges) {
      for (const auto& f : edge.property_filters) visit(*f);
    }
    std::sort(whole.begin(), whole.end());
    whole.erase(std::unique(whole.begin(), whole.end()), whole.end());
    for (const CompiledExpr* p : properties) {
      if (!std::binary_search(whole.begin(), whole.end(), p->children[0]->slot)) {
        plan.memo_properties.push_back(p);
      }
    }
    plan.memo_slots = std::move(whole);
  }

  static bool is_local_slot(const SubPlan& plan, Slot s) {
    for (const auto& edge : plan.edges) {
      if (edge.relation == s || edge.segment == s || edge.rel_cursor == s) return true;
    }
    for (const auto& path : plan.paths) {
      if (path.slot == s) return true;
    }
    return false;
  }

  static std::vector<std::pair<std::string, Slot>> scope_names(const Scope& scope) {
    std::vector<std::pair<std::string, Slot>> out;
    for (const Scope* s = &scope; s != nullptr; s = s->parent) {
      for (const auto& entry : s->names) out.emplace_back(entry);
    }
    return out;
  }

  static bool contains_aggregate(const CompiledExpr& e) {
    if (e.op == CompiledExpr::Op::kAggregate) return true;
    return std::any_of(e.children.begin(), e.children.end(),
                       [](const auto& c) { return c && contains_aggregate(*c); });
  }

  std::int64_t constant_count(const Expr& e, Scope& scope, const char* what) {
    auto c = compile_expr(e, scope, false);
    if (c->op != CompiledExpr::Op::kConstant || c->constant.type != Type::kInt ||
        c->constant.integer < 0) {
      error(e.span,
            std::string(what) + " takes a whole number of 0 or more (a literal or a $parameter)");
      return 0;
    }
    return c->constant.integer;
  }

  void compile_return(const ReturnClause& ret, Scope& scope) {
    CompiledReturn r;
    r.distinct = ret.distinct;
    for (const auto& item : ret.items) {
      auto c = compile_expr(*item.expr, scope, true);
      r.item_has_aggregate.push_back(contains_aggregate(*c));
      r.items.push_back(std::move(c));
      r.columns.push_back(item.alias.empty() ? item.text : item.alias);
    }
    r.aggregates = std::move(aggregates_);
    const bool aggregating = !r.aggregates.empty();
    for (const auto& o : ret.order_by) {
      CompiledReturn::Order order;
      order.descending = o.descending;
      for (std::size_t i = 0; i < ret.items.size(); ++i) {
        const bool by_alias =
            o.expr->kind == Expr::Kind::kVariable && o.expr->text == ret.items[i].alias;
        if (by_alias || same_text(*o.expr, ret.items[i])) order.column = static_cast<int>(i);
      }
      if (order.column < 0) {
        if (aggregating || ret.distinct) {
          error(o.expr->span,
                "with DISTINCT or aggregates, ORDER BY names a returned column or alias");
          continue;
        }
        order.expr = compile_expr(*o.expr, scope, false);
      }
      r.order.push_back(std::move(order));
    }
    if (ret.skip) r.skip = constant_count(*ret.skip, scope, "SKIP");
    if (ret.limit) r.limit = constant_count(*ret.limit, scope, "LIMIT");
    out_.returns = std::move(r);
  }

  bool same_text(const Expr& e, const ReturnItem& item) const {
    // Spans index the query text, which the compiler does not hold; compare shapes instead.
    return item.alias.empty() && render(e) == render(*item.expr);
  }

  static std::string render(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kVariable:
        return e.text;
      case Expr::Kind::kProperty:
        return render(*e.children[0]) + "." + e.text;
      case Expr::Kind::kCall: {
        std::string s = e.text + (e.distinct ? "(DISTINCT " : "(");
        for (const auto& c : e.children) s += render(*c) + ",";
        return s + ")";
      }
      case Expr::Kind::kCountStar:
        return "count(*)";
      default:
        return "#" + std::to_string(e.span.begin) + ":" + std::to_string(e.span.end);
    }
  }

  const model::Graph& graph_;
  const model::Schema& schema_;
  const Parameters& parameters_;
  const CompileOptions& options_;
  CompiledQuery& out_;
  std::vector<AggregateSpec> aggregates_;
  bool in_aggregate_ = false;
  int exists_count_ = 0;
  int current_extra_ = -1;
};

}  // namespace

CompiledQuery compile_query(const Query& query, const model::Graph& graph,
                            const Parameters& parameters, const CompileOptions& options) {
  CompiledQuery out;
  Compiler(graph, parameters, options, out).compile(query);
  return out;
}

}  // namespace twinscan::query
