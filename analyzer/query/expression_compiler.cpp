// Compiles expressions: literals and $parameters become constants, variables slots,
// properties interned keys (checked against the schema), calls their table entries,
// aggregate calls numbered AggregateSpecs of RETURN, and quantifiers bind a slot of
// their own. The compiled tree is what the Evaluator walks, without name lookups.
#include "analyzer/query/expression_compiler.h"

#include <algorithm>

#include <re2/re2.h>

#include "analyzer/query/pattern_compiler.h"

namespace twinscan::query {

CompiledExpr::CompiledExpr() = default;
CompiledExpr::~CompiledExpr() = default;

namespace {

bool contains_aggregate(const CompiledExpr& e) {
  if (e.op == CompiledExpr::Op::kAggregate) return true;
  return std::any_of(e.children.begin(), e.children.end(),
                     [](const auto& c) { return c && contains_aggregate(*c); });
}

// A shape of an expression, to compare ORDER BY items with RETURN items.
std::string render(const Expr& e) {
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

// Spans index the query text, which the compiler does not hold; compare shapes instead.
bool same_text(const Expr& e, const ReturnItem& item) {
  return item.alias.empty() && render(e) == render(*item.expr);
}

}  // namespace

ExpressionCompiler::ExpressionCompiler(const model::Graph& graph, SemanticChecker& checker,
                                       CompiledQuery& out)
    : graph_(graph), checker_(checker), out_(out) {}

void ExpressionCompiler::add_conjuncts(const Expr& where, Scope& scope, SubPlan& plan) {
  if (where.kind == Expr::Kind::kBinary && where.binary_op == BinaryOp::kAnd) {
    add_conjuncts(*where.children[0], scope, plan);
    add_conjuncts(*where.children[1], scope, plan);
    return;
  }
  plan.conjuncts.push_back(compile(where, scope, false));
}

CompiledExprPtr ExpressionCompiler::make_equality(CompiledExprPtr left, CompiledExprPtr right,
                                                  SourceSpan span) {
  auto eq = std::make_unique<CompiledExpr>();
  eq->op = CompiledExpr::Op::kBinary;
  eq->binary_op = BinaryOp::kEq;
  eq->span = span;
  eq->children.push_back(std::move(left));
  eq->children.push_back(std::move(right));
  return eq;
}

CompiledExprPtr ExpressionCompiler::make_property(CompiledExprPtr object, const std::string& key,
                                                  SourceSpan span) {
  auto p = std::make_unique<CompiledExpr>();
  p->op = CompiledExpr::Op::kProperty;
  p->span = span;
  p->key_text = key;
  p->builtin_key = key == "id"     ? CompiledExpr::BuiltinKey::kId
                   : key == "kind" ? CompiledExpr::BuiltinKey::kKind
                   : key == "name" ? CompiledExpr::BuiltinKey::kName
                                   : CompiledExpr::BuiltinKey::kNone;
  p->key_interned = graph_.strings().find(key, p->key);
  if (!p->key_interned) out_.absent_keys.push_back(key);
  if (object->op == CompiledExpr::Op::kSlot)
    checker_.check_property(checker_.variable(object->slot), key, span);
  p->children.push_back(std::move(object));
  return p;
}

CompiledExprPtr ExpressionCompiler::compile(const Expr& e, Scope& scope, bool in_return) {
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
    case Expr::Kind::kParameter:
      if (const Value* value = checker_.parameter(e.text, e.span)) c->constant = *value;
      break;
    case Expr::Kind::kVariable:
      c->slot = checker_.resolve(scope, e.text, e.span);
      if (c->slot != kNoSlot) c->op = CompiledExpr::Op::kSlot;
      break;
    case Expr::Kind::kProperty:
      return make_property(compile(*e.children[0], scope, in_return), e.text, e.span);
    case Expr::Kind::kList:
      c->op = CompiledExpr::Op::kList;
      for (const auto& child : e.children) c->children.push_back(compile(*child, scope, in_return));
      break;
    case Expr::Kind::kMap:
      checker_.error(e.span,
                     "map values are not supported here; maps appear only in patterns "
                     "({key: value})");
      break;
    case Expr::Kind::kUnary:
      c->op = CompiledExpr::Op::kUnary;
      c->unary_op = e.unary_op;
      c->children.push_back(compile(*e.children[0], scope, in_return));
      break;
    case Expr::Kind::kBinary:
      c->op = CompiledExpr::Op::kBinary;
      c->binary_op = e.binary_op;
      c->children.push_back(compile(*e.children[0], scope, in_return));
      c->children.push_back(compile(*e.children[1], scope, in_return));
      if (e.binary_op == BinaryOp::kRegexMatch) compile_regex(*c);
      break;
    case Expr::Kind::kCall:
      return compile_call(e, scope, in_return);
    case Expr::Kind::kCountStar: {
      if (!in_return || in_aggregate_) {
        checker_.error(e.span, "count(*) is an aggregate and belongs in RETURN or WITH");
        break;
      }
      c->op = CompiledExpr::Op::kAggregate;
      c->aggregate_index = static_cast<int>(aggregates_.size());
      aggregates_.push_back({Aggregate::kCount, false, true, nullptr});
      break;
    }
    case Expr::Kind::kExists:
      return patterns_->compile_exists(e, scope);
    case Expr::Kind::kCase:
      c->op = CompiledExpr::Op::kCase;
      c->case_subject = e.bool_value;
      c->case_pairs = static_cast<std::uint32_t>(e.int_value);
      for (const auto& child : e.children) c->children.push_back(compile(*child, scope, in_return));
      break;
    case Expr::Kind::kComprehension: {
      c->op = CompiledExpr::Op::kQuantifier;
      c->quantifier = CompiledExpr::Quantifier::kComprehension;
      c->children.push_back(compile(*e.children[0], scope, in_return));
      Scope inner{&scope, {}};
      c->slot = checker_.declare(e.variable, VariableKind::kValue);
      inner.names[e.variable] = c->slot;
      c->children.push_back(compile(*e.children[1], inner, in_return));
      c->children.push_back(compile(*e.children[2], inner, in_return));
      break;
    }
    case Expr::Kind::kQuantifier: {
      c->op = CompiledExpr::Op::kQuantifier;
      c->quantifier = e.text == "all"      ? CompiledExpr::Quantifier::kAll
                      : e.text == "none"   ? CompiledExpr::Quantifier::kNone
                      : e.text == "single" ? CompiledExpr::Quantifier::kSingle
                                           : CompiledExpr::Quantifier::kAny;
      c->children.push_back(compile(*e.children[0], scope, in_return));
      Scope inner{&scope, {}};
      c->slot = checker_.declare(e.variable, VariableKind::kValue);
      inner.names[e.variable] = c->slot;
      if (e.children.size() > 1 && e.children[1]) {
        c->children.push_back(compile(*e.children[1], inner, in_return));
      } else {
        checker_.error(e.span, e.text + "(" + e.variable +
                                   " IN list WHERE condition) needs its WHERE condition");
      }
      break;
    }
  }
  return c;
}

void ExpressionCompiler::compile_regex(CompiledExpr& c) {
  const CompiledExpr& pattern = *c.children[1];
  if (pattern.op != CompiledExpr::Op::kConstant || pattern.constant.type != Type::kString) return;
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_shared<RE2>(
      re2::StringPiece(pattern.constant.text.data(), pattern.constant.text.size()), opts);
  if (!re->ok()) {
    checker_.error(pattern.span, "invalid regular expression: " + re->error() + " (RE2 syntax)");
    return;
  }
  c.regex = std::move(re);
}

CompiledExprPtr ExpressionCompiler::compile_call(const Expr& e, Scope& scope, bool in_return) {
  auto c = std::make_unique<CompiledExpr>();
  c->span = e.span;
  const FunctionSpec* fn = checker_.function(e);
  if (fn == nullptr) return c;
  if (fn->aggregate != Aggregate::kNone) {
    if (!in_return) {
      checker_.error(e.span, std::string(fn->name) +
                                 "() is an aggregate and belongs in RETURN or WITH, not WHERE");
      return c;
    }
    if (in_aggregate_) {
      checker_.error(e.span, "aggregates cannot be nested");
      return c;
    }
    in_aggregate_ = true;
    c->children.push_back(compile(*e.children[0], scope, in_return));
    in_aggregate_ = false;
    c->op = CompiledExpr::Op::kAggregate;
    c->aggregate_index = static_cast<int>(aggregates_.size());
    aggregates_.push_back({fn->aggregate, e.distinct, false, c->children[0].get()});
    return c;
  }
  if (e.distinct)
    checker_.error(e.span, "DISTINCT applies only to aggregates such as count() and collect()");
  c->op = CompiledExpr::Op::kCall;
  c->function = fn;
  for (const auto& child : e.children) c->children.push_back(compile(*child, scope, in_return));
  return c;
}

std::int64_t ExpressionCompiler::constant_count(const Expr& e, Scope& scope, const char* what) {
  auto c = compile(e, scope, false);
  if (c->op != CompiledExpr::Op::kConstant || c->constant.type != Type::kInt ||
      c->constant.integer < 0) {
    checker_.error(e.span, std::string(what) +
                               " takes a whole number of 0 or more (a literal or a $parameter)");
    return 0;
  }
  return c->constant.integer;
}

CompiledReturn ExpressionCompiler::compile_items(const ReturnClause& ret, Scope& scope) {
  CompiledReturn r;
  r.distinct = ret.distinct;
  aggregates_.clear();
  for (const auto& item : ret.items) {
    auto c = compile(*item.expr, scope, true);
    r.item_has_aggregate.push_back(contains_aggregate(*c));
    r.items.push_back(std::move(c));
    r.columns.push_back(item.alias.empty() ? item.text : item.alias);
  }
  r.aggregates = std::move(aggregates_);
  aggregates_.clear();
  return r;
}

void ExpressionCompiler::compile_return(const ReturnClause& ret, Scope& scope) {
  CompiledReturn r = compile_items(ret, scope);
  compile_order(ret, scope, false, r);
  out_.returns = std::move(r);
}

void ExpressionCompiler::compile_with(const Clause& clause, Scope& scope, Scope& next,
                                      Stage& stage) {
  const ReturnClause& ret = clause.projection;
  stage.projection = compile_items(ret, scope);
  CompiledReturn& r = stage.projection;
  const bool aggregating = !r.aggregates.empty();
  for (std::size_t i = 0; i < ret.items.size(); ++i) {
    const ReturnItem& item = ret.items[i];
    std::string name = item.alias;
    if (name.empty()) {
      if (item.expr->kind != Expr::Kind::kVariable) {
        checker_.error(item.expr->span,
                       "WITH " + item.text + " needs a name: write WITH " + item.text + " AS name");
        stage.slots.push_back(kNoSlot);
        continue;
      }
      name = item.expr->text;
    }
    if (next.names.count(name) != 0) {
      checker_.error(item.expr->span, "WITH names '" + name + "' twice");
    }
    // An entity, a relation or a path carried on stays one: patterns and properties
    // read it as before.
    const CompiledExpr& c = *r.items[i];
    VariableKind kind = VariableKind::kValue;
    model::KindMask kinds = 0;
    if (c.op == CompiledExpr::Op::kSlot) {
      kind = checker_.variable(c.slot).kind;
      kinds = checker_.variable(c.slot).kinds;
    }
    const Slot slot = checker_.declare(name, kind, kinds);
    next.names[name] = slot;
    stage.slots.push_back(slot);
  }
  for (const auto& name : scope.visible()) {
    if (next.names.count(name) == 0) checker_.note_dropped(name);
  }
  // ORDER BY reads the names WITH makes; without aggregates or DISTINCT also the
  // variables before it.
  Scope order_scope{aggregating || ret.distinct ? nullptr : &scope, next.names};
  compile_order(ret, order_scope, true, r);
  if (clause.where) stage.expr = compile(*clause.where, next, false);
}

void ExpressionCompiler::compile_order(const ReturnClause& ret, Scope& scope, bool any_expression,
                                       CompiledReturn& r) {
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
      if ((aggregating || ret.distinct) && !any_expression) {
        checker_.error(o.expr->span,
                       "with DISTINCT or aggregates, ORDER BY names a returned column or alias");
        continue;
      }
      order.expr = compile(*o.expr, scope, false);
    }
    r.order.push_back(std::move(order));
  }
  if (ret.skip) r.skip = constant_count(*ret.skip, scope, "SKIP");
  if (ret.limit) r.limit = constant_count(*ret.limit, scope, "LIMIT");
}

}  // namespace twinscan::query
