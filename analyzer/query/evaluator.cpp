// Evaluates compiled expressions over a frame: constants, slots, properties of entities
// and relations, operators with Cypher's three-valued logic (and ranges by interval
// arithmetic), function calls, quantifiers and EXISTS (which the Matcher answers). A
// comparison that a partial date leaves open comes out unknown and is noted in pending().
#include "analyzer/query/evaluator.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <iterator>

#include <re2/re2.h>

#include "analyzer/query/matcher.h"
#include "analyzer/util/english.h"

namespace twinscan::query {
namespace {

// Dates compare by value; a string compared with a date is read as a date.
void coerce_dates(Value& a, Value& b) {
  auto fix = [](Value& s, const Value& other) {
    if (s.type == Type::kString && other.type == Type::kDate) {
      if (auto d = model::parse_date(s.text)) s = Value::of_date(*d);
    }
  };
  fix(a, b);
  fix(b, a);
}

Value truth(int three_valued) {
  if (three_valued == kImprecise) return Value::unknown();
  return three_valued < 0 ? Value::null() : Value::of_bool(three_valued != 0);
}

// The null that answers for operands none of which decided: unknown by imprecision when
// each of them that is not known is so (a missing value makes the answer plainly null).
Value undecided(std::initializer_list<int> operands) {
  for (const int t : operands) {
    if (t == -1) return Value::null();
  }
  return Value::unknown();
}

// 1 true, 0 false, -1 null, kImprecise: null because of date imprecision.
int truth_of(const Value& v, const char* op) {
  if (v.is_null()) return v.imprecise ? kImprecise : -1;
  if (v.type != Type::kBool) {
    throw EvaluationError(std::string(op) + " takes booleans; got a " +
                          std::string(type_name(v.type)));
  }
  return v.boolean ? 1 : 0;
}

// Interval arithmetic: the range of every result the operands' values can give.
Value range_arithmetic(BinaryOp op, const RangeData& x, const RangeData& y) {
  const bool integral = x.integral && y.integral;
  auto corners = [&](auto f) {
    const double c[] = {f(x.lo, y.lo), f(x.lo, y.hi), f(x.hi, y.lo), f(x.hi, y.hi)};
    return Value::of_range(*std::min_element(std::begin(c), std::end(c)),
                           *std::max_element(std::begin(c), std::end(c)), integral);
  };
  switch (op) {
    case BinaryOp::kAdd:
      return Value::of_range(x.lo + y.lo, x.hi + y.hi, integral);
    case BinaryOp::kSub:
      return Value::of_range(x.lo - y.hi, x.hi - y.lo, integral);
    case BinaryOp::kMul:
      return corners([](double p, double q) { return p * q; });
    case BinaryOp::kDiv:
      if (integral && y.lo == 0 && y.hi == 0) throw EvaluationError("division by zero");
      if (y.lo <= 0 && y.hi >= 0) return Value::unknown();  // unbounded
      return corners([&](double p, double q) { return integral ? std::trunc(p / q) : p / q; });
    default:
      return Value::unknown();  // % and ^ of a range: not worth bounding
  }
}

Value arithmetic(BinaryOp op, const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return Value::null();
  if ((a.type == Type::kRange && (b.is_number() || b.type == Type::kRange)) ||
      (b.type == Type::kRange && a.is_number())) {
    return range_arithmetic(op, a.bounds(), b.bounds());
  }
  if (op == BinaryOp::kAdd) {
    if (a.type == Type::kString && b.type == Type::kString) {
      return Value::of_string(std::string(a.text) + std::string(b.text));
    }
    if (a.type == Type::kList || b.type == Type::kList) {
      ValueList out;
      if (a.type == Type::kList)
        out = a.list();
      else
        out.push_back(a);
      if (b.type == Type::kList) {
        out.insert(out.end(), b.list().begin(), b.list().end());
      } else {
        out.push_back(b);
      }
      return Value::of_list(std::move(out));
    }
  }
  if (!a.is_number() || !b.is_number()) {
    throw EvaluationError("arithmetic takes numbers; got " + util::with_article(type_name(a.type)) +
                          " and " + util::with_article(type_name(b.type)));
  }
  if (a.type == Type::kInt && b.type == Type::kInt && op != BinaryOp::kPow) {
    std::int64_t r = 0;
    bool overflow = false;
    switch (op) {
      case BinaryOp::kAdd:
        overflow = __builtin_add_overflow(a.integer, b.integer, &r);
        break;
      case BinaryOp::kSub:
        overflow = __builtin_sub_overflow(a.integer, b.integer, &r);
        break;
      case BinaryOp::kMul:
        overflow = __builtin_mul_overflow(a.integer, b.integer, &r);
        break;
      case BinaryOp::kDiv:
      case BinaryOp::kMod:
        if (b.integer == 0) throw EvaluationError("division by zero");
        if (a.integer == INT64_MIN && b.integer == -1) {
          overflow = true;
        } else {
          r = op == BinaryOp::kDiv ? a.integer / b.integer : a.integer % b.integer;
        }
        break;
      default:
        break;
    }
    if (overflow) throw EvaluationError("integer overflow");
    return Value::of_int(r);
  }
  const double x = a.as_double(), y = b.as_double();
  switch (op) {
    case BinaryOp::kAdd:
      return Value::of_float(x + y);
    case BinaryOp::kSub:
      return Value::of_float(x - y);
    case BinaryOp::kMul:
      return Value::of_float(x * y);
    case BinaryOp::kDiv:
      return Value::of_float(x / y);
    case BinaryOp::kMod:
      return Value::of_float(std::fmod(x, y));
    case BinaryOp::kPow:
      return Value::of_float(std::pow(x, y));
    default:
      return Value::null();
  }
}

}  // namespace

Evaluator::Evaluator(const model::Graph& graph, FunctionContext context, std::vector<Value>& frame)
    : graph_(graph), context_(context), frame_(frame) {
  context_.memo = &memo_;
  context_.budget = nullptr;  // a copied context's is another run's
}

void Evaluator::set_matcher(Matcher* matcher) {
  matcher_ = matcher;
  context_.budget = matcher != nullptr ? &matcher->budget() : nullptr;
}

void Evaluator::note_imprecision(const CompiledExpr& condition, const Value& left,
                                 const Value& right) {
  Imprecision note;
  note.condition = condition.span;
  if (condition.children.size() == 2) {
    note.left_span = condition.children[0]->span;
    note.right_span = condition.children[1]->span;
  }
  note.left = left;
  note.right = right;
  for (const auto& c : condition.children) collect_dates(*c, note.dates);
  pending_.push_back(std::move(note));
}

// The partial dates an expression reads from the registry (literals are not data).
void Evaluator::collect_dates(const CompiledExpr& e, std::vector<Imprecision::DateRead>& out) {
  if (e.op == CompiledExpr::Op::kExists || e.op == CompiledExpr::Op::kQuantifier ||
      e.op == CompiledExpr::Op::kAggregate) {
    return;
  }
  if (e.op == CompiledExpr::Op::kProperty) {
    const Value v = evaluate_property(e);
    if (v.type == Type::kDate && v.date.precision() != model::Date::Precision::kDay) {
      out.push_back({evaluate(*e.children[0]), e.key_text, v.date});
    }
    return;
  }
  for (const auto& c : e.children) collect_dates(*c, out);
}

Value Evaluator::evaluate(const CompiledExpr& e) {
  using Op = CompiledExpr::Op;
  switch (e.op) {
    case Op::kConstant:
      return e.constant;
    case Op::kSlot:
      return frame_[e.slot];
    case Op::kProperty:
      return evaluate_property(e);
    case Op::kList: {
      ValueList items;
      items.reserve(e.children.size());
      for (const auto& c : e.children) items.push_back(evaluate(*c));
      return Value::of_list(std::move(items));
    }
    case Op::kUnary: {
      const Value v = evaluate(*e.children[0]);
      switch (e.unary_op) {
        case UnaryOp::kNot: {
          const int t = truth_of(v, "NOT");
          return t < 0 ? truth(t) : Value::of_bool(t == 0);
        }
        case UnaryOp::kNegate:
          if (v.is_null()) return v;
          if (v.type == Type::kInt) {
            if (v.integer == INT64_MIN) throw EvaluationError("integer overflow");
            return Value::of_int(-v.integer);
          }
          if (v.type == Type::kFloat) return Value::of_float(-v.number);
          if (v.type == Type::kRange)
            return Value::of_range(-v.range().hi, -v.range().lo, v.range().integral);
          throw EvaluationError("unary minus takes a number");
        case UnaryOp::kPlus:
          if (!v.is_null() && !v.is_number() && v.type != Type::kRange)
            throw EvaluationError("unary plus takes a number");
          return v;
        case UnaryOp::kIsNull:
          return Value::of_bool(v.is_null());
        case UnaryOp::kIsNotNull:
          return Value::of_bool(!v.is_null());
      }
      return Value::null();
    }
    case Op::kBinary:
      return evaluate_binary(e);
    case Op::kCall: {
      Value args[8];
      std::vector<Value> many;
      std::span<const Value> view;
      if (e.children.size() <= 8) {
        for (std::size_t i = 0; i < e.children.size(); ++i) args[i] = evaluate(*e.children[i]);
        view = std::span<const Value>(args, e.children.size());
      } else {
        for (const auto& c : e.children) many.push_back(evaluate(*c));
        view = many;
      }
      return e.function->fn(context_, view);
    }
    case Op::kAggregate:
      if (aggregates_ == nullptr) throw EvaluationError("aggregate outside RETURN");
      return (*aggregates_)[e.aggregate_index];
    case Op::kExists:
      if (matcher_ == nullptr) throw EvaluationError("EXISTS outside a match");
      if (e.count) return Value::of_int(matcher_->count(*e.exists));
      return truth(matcher_->exists(*e.exists));
    case Op::kCase:
      return evaluate_case(e);
    case Op::kQuantifier:
      return evaluate_quantifier(e);
  }
  return Value::null();
}

// An entity judged the same as others keeps one id and answers to all of them: `v.id =
// 'other-id'` holds when 'other-id' names v. Asked only when the ids differ.
bool Evaluator::answers_to_id(const CompiledExpr& e, const Value& a, const Value& b) {
  for (int side = 0; side < 2; ++side) {
    const CompiledExpr& p = *e.children[side];
    const Value& other = side == 0 ? b : a;
    if (p.op != CompiledExpr::Op::kProperty || p.key_text != "id" || other.type != Type::kString)
      continue;
    const Value object = evaluate(*p.children[0]);
    if (object.type != Type::kNode) continue;
    const auto v = graph_.find(other.text);
    if (v && *v == object.node) return true;
  }
  return false;
}

Value Evaluator::evaluate_property(const CompiledExpr& e) {
  // The entity or relation is most often a variable: read in its slot, not copied.
  Value computed;
  const CompiledExpr& of = *e.children[0];
  const Value& object =
      of.op == CompiledExpr::Op::kSlot ? frame_[of.slot] : (computed = evaluate(of));
  switch (object.type) {
    case Type::kNull:
      return Value::null();
    case Type::kNode: {
      const model::VertexId v = object.node;
      using Key = CompiledExpr::BuiltinKey;
      if (e.builtin_key == Key::kId) return Value::of_symbol(graph_, graph_.id_sym(v));
      if (e.builtin_key == Key::kKind)
        return Value::of_view(graph_.schema().kind(graph_.kind(v)).name);
      if (e.builtin_key == Key::kName) {
        // The name as given: a nameless entity reads null (Graph::name falls back).
        const model::Sym name = graph_.name_sym(v);
        return name != 0 ? Value::of_symbol(graph_, name) : Value::null();
      }
      if (!e.key_interned) return Value::null();
      const model::Value* p = graph_.property(v, e.key);
      return p ? from_model(graph_, *p) : Value::null();
    }
    case Type::kRelation: {
      const model::RelationId r = object.relation;
      if (e.builtin_key == CompiledExpr::BuiltinKey::kId)
        return model::is_made_relation_id(graph_.relation_id_sym(r))
                   ? Value::of_string(graph_.relation_id(r))
                   : Value::of_view(graph_.str(graph_.relation_id_sym(r)));
      if (e.builtin_key == CompiledExpr::BuiltinKey::kKind) {
        return Value::of_view(graph_.schema().relation(graph_.relation_kind(r)).name);
      }
      if (!e.key_interned) return Value::null();
      const model::Value* p = graph_.relation_property(r, e.key);
      return p ? from_model(graph_, *p) : Value::null();
    }
    default:
      throw EvaluationError("cannot read property '" + e.key_text + "' of a " +
                            std::string(type_name(object.type)));
  }
}

Value Evaluator::evaluate_binary(const CompiledExpr& e) {
  const BinaryOp op = e.binary_op;
  // Boolean connectives short-circuit with three-valued logic.
  if (op == BinaryOp::kAnd || op == BinaryOp::kOr) {
    const int a = truth_of(evaluate(*e.children[0]), op == BinaryOp::kAnd ? "AND" : "OR");
    if (op == BinaryOp::kAnd && a == 0) return Value::of_bool(false);
    if (op == BinaryOp::kOr && a == 1) return Value::of_bool(true);
    const int b = truth_of(evaluate(*e.children[1]), op == BinaryOp::kAnd ? "AND" : "OR");
    if (op == BinaryOp::kAnd) {
      if (b == 0) return Value::of_bool(false);
      return (a < 0 || b < 0) ? undecided({a, b}) : Value::of_bool(true);
    }
    if (b == 1) return Value::of_bool(true);
    return (a < 0 || b < 0) ? undecided({a, b}) : Value::of_bool(false);
  }
  Value a = evaluate(*e.children[0]);
  // A list written in the rule is read where it is kept: a copy would take a reference
  // to its elements' owner, an atomic count that the threads of a scan share.
  if (op == BinaryOp::kIn && e.children[1]->op == CompiledExpr::Op::kConstant)
    return evaluate_in(e, a, e.children[1]->constant);
  Value b = evaluate(*e.children[1]);
  switch (op) {
    case BinaryOp::kXor: {
      const int x = truth_of(a, "XOR"), y = truth_of(b, "XOR");
      return (x < 0 || y < 0) ? undecided({x, y}) : Value::of_bool(x != y);
    }
    case BinaryOp::kEq:
    case BinaryOp::kNe: {
      coerce_dates(a, b);
      int eq = equals(a, b);
      if (eq == 0 && answers_to_id(e, a, b)) eq = 1;
      if (eq == kImprecise) note_imprecision(e, a, b);
      if (eq < 0) return truth(eq);
      return Value::of_bool(op == BinaryOp::kEq ? eq == 1 : eq == 0);
    }
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe: {
      coerce_dates(a, b);
      const bool flip = op == BinaryOp::kGt || op == BinaryOp::kGe;
      const int t = less(flip ? b : a, flip ? a : b, op == BinaryOp::kLe || op == BinaryOp::kGe);
      if (t == kImprecise) note_imprecision(e, a, b);
      return truth(t);
    }
    case BinaryOp::kIn:
      return evaluate_in(e, a, b);
    case BinaryOp::kStartsWith:
    case BinaryOp::kEndsWith:
    case BinaryOp::kContains:
      if (a.type != Type::kString || b.type != Type::kString) return Value::null();
      if (op == BinaryOp::kStartsWith) return Value::of_bool(a.text.starts_with(b.text));
      if (op == BinaryOp::kEndsWith) return Value::of_bool(a.text.ends_with(b.text));
      return Value::of_bool(a.text.find(b.text) != std::string_view::npos);
    case BinaryOp::kRegexMatch: {
      if (a.type != Type::kString || b.type != Type::kString) return Value::null();
      const re2::StringPiece subject(a.text.data(), a.text.size());
      if (e.regex) return Value::of_bool(RE2::FullMatch(subject, *e.regex));
      RE2::Options opts;
      opts.set_log_errors(false);
      const RE2 re(re2::StringPiece(b.text.data(), b.text.size()), opts);
      if (!re.ok()) throw EvaluationError("invalid regular expression: " + re.error());
      return Value::of_bool(RE2::FullMatch(subject, re));
    }
    case BinaryOp::kIndex: {
      if (a.is_null() || b.is_null()) return Value::null();
      if (a.type != Type::kList || b.type != Type::kInt) {
        throw EvaluationError("indexing takes a list and an integer");
      }
      const auto& items = a.list();
      const std::int64_t n = static_cast<std::int64_t>(items.size());
      const std::int64_t i = b.integer < 0 ? n + b.integer : b.integer;
      return (i < 0 || i >= n) ? Value::null() : items[static_cast<std::size_t>(i)];
    }
    default:
      return arithmetic(op, a, b);
  }
}

Value Evaluator::evaluate_in(const CompiledExpr& e, const Value& a, const Value& b) {
  if (b.is_null()) return Value::null();
  if (b.type != Type::kList) throw EvaluationError("IN takes a list on its right");
  bool saw_null = false, saw_imprecise = false;
  for (const auto& item : b.list()) {
    int eq = 0;
    if (a.type != Type::kDate && item.type != Type::kDate) {
      eq = equals(a, item);  // nothing to coerce: compared as they are
    } else {
      Value x = a, y = item;
      coerce_dates(x, y);
      eq = equals(x, y);
    }
    if (eq == 1) return Value::of_bool(true);
    if (eq == -1) saw_null = true;
    if (eq == kImprecise) saw_imprecise = true;
  }
  if (saw_null) return Value::null();
  if (saw_imprecise) {
    note_imprecision(e, a, b);
    return Value::unknown();
  }
  return Value::of_bool(false);
}

// Simple form: the first WHEN equal to the subject; generic: the first WHEN that is true.
Value Evaluator::evaluate_case(const CompiledExpr& e) {
  std::size_t i = 0;
  Value subject;
  if (e.case_subject) subject = evaluate(*e.children[i++]);
  for (std::uint32_t pair = 0; pair < e.case_pairs; ++pair, i += 2) {
    const Value when = evaluate(*e.children[i]);
    const bool chosen =
        e.case_subject ? equals(subject, when) == 1 : when.type == Type::kBool && when.boolean;
    if (chosen) return evaluate(*e.children[i + 1]);
  }
  return i < e.children.size() ? evaluate(*e.children[i]) : Value::null();
}

// [x IN list WHERE predicate | projection]: the projection of each element the
// predicate holds for (true only: null and false drop it).
Value Evaluator::evaluate_comprehension(const CompiledExpr& e, const Value& list) {
  ValueList out;
  const Value saved = frame_[e.slot];
  for (const auto& item : list.list()) {
    frame_[e.slot] = item;
    if (holds(*e.children[1])) out.push_back(evaluate(*e.children[2]));
  }
  frame_[e.slot] = saved;
  return Value::of_list(std::move(out));
}

Value Evaluator::evaluate_quantifier(const CompiledExpr& e) {
  const Value list = evaluate(*e.children[0]);
  if (list.is_null()) return Value::null();
  if (e.quantifier == CompiledExpr::Quantifier::kComprehension) {
    if (list.type != Type::kList)
      throw EvaluationError("a list comprehension takes a list after IN");
    return evaluate_comprehension(e, list);
  }
  if (list.type != Type::kList) throw EvaluationError("any/all/none/single take a list after IN");
  int trues = 0, falses = 0, nulls = 0, plain_nulls = 0;
  for (const auto& item : list.list()) {
    frame_[e.slot] = item;
    int t = 1;
    // A condition the walk checked on this relation, and found held for sure, holds.
    const bool held = e.children.size() > 1 && item.type == Type::kRelation &&
                      matcher_ != nullptr && matcher_->held_for_sure(*e.children[1], item.relation);
    if (e.children.size() > 1 && !held) t = truth_of(evaluate(*e.children[1]), "WHERE");
    (t < 0 ? nulls : t ? trues : falses)++;
    if (t == -1) ++plain_nulls;
  }
  frame_[e.slot] = Value::null();
  // Unknown by imprecision when every unknown predicate was unknown so.
  const int unknown = plain_nulls ? -1 : kImprecise;
  switch (e.quantifier) {
    case CompiledExpr::Quantifier::kAny:
      return trues > 0 ? Value::of_bool(true) : truth(nulls ? unknown : 0);
    case CompiledExpr::Quantifier::kAll:
      return falses > 0 ? Value::of_bool(false) : truth(nulls ? unknown : 1);
    case CompiledExpr::Quantifier::kNone:
      return trues > 0 ? Value::of_bool(false) : truth(nulls ? unknown : 1);
    case CompiledExpr::Quantifier::kSingle:
      if (trues > 1) return Value::of_bool(false);
      return nulls ? truth(unknown) : Value::of_bool(trues == 1);
    case CompiledExpr::Quantifier::kComprehension:
      break;
  }
  return Value::null();
}

}  // namespace twinscan::query
