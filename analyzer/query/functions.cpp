#include "analyzer/query/functions.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include <unicode/unistr.h>

#include "analyzer/model/provenance.h"
#include "analyzer/model/relation_period.h"
#include "analyzer/model/tie_statements.h"
#include "analyzer/query/budget.h"
#include "analyzer/query/chain_share_cache.h"
#include "analyzer/query/effective_share.h"

namespace twinscan::query {
namespace {

using Args = std::span<const Value>;

[[noreturn]] void fail(const std::string& message) {
  throw EvaluationError(message);
}

// A location from an entity (its "location" property) or a location value.
bool location_of(const FunctionContext& ctx, const Value& v, model::GeoPoint& out) {
  if (v.type == Type::kLocation) {
    out = v.location;
    return true;
  }
  if (v.type == Type::kNode) {
    model::Sym key = 0;
    if (!ctx.graph.strings().find("location", key)) return false;
    const model::Value* p = ctx.graph.property(v.node, key);
    if (p == nullptr || p->type != model::ValueType::kLocation) return false;
    out = p->location;
    return true;
  }
  fail("distance_km() takes entities with a location, or locations; got a " +
       std::string(type_name(v.type)));
}

std::optional<model::Date> date_of(const Value& v, const char* fn) {
  if (v.type == Type::kDate) return v.date;
  if (v.type == Type::kString) {
    if (auto d = model::parse_date(v.text)) return d;
    fail(std::string(fn) + "(): '" + std::string(v.text) + "' is not an ISO 8601 date");
  }
  fail(std::string(fn) + "() takes dates; got a " + std::string(type_name(v.type)));
}

Value fn_date(const FunctionContext& ctx, Args args) {
  if (args.empty()) return Value::of_date(ctx.as_of);
  if (args[0].is_null()) return Value::null();
  return Value::of_date(*date_of(args[0], "date"));
}

Value fn_days_between(const FunctionContext&, Args args) {
  if (args[0].is_null() || args[1].is_null()) return Value::null();
  const auto a = date_of(args[0], "days_between");
  const auto b = date_of(args[1], "days_between");
  // A partial date is one unknown day of its period: the answer is every count possible.
  const std::int64_t lo = b->days_since_epoch() - a->last_days_since_epoch();
  const std::int64_t hi = b->last_days_since_epoch() - a->days_since_epoch();
  return Value::of_range(static_cast<double>(lo), static_cast<double>(hi), true);
}

Value fn_distance_km(const FunctionContext& ctx, Args args) {
  if (args[0].is_null() || args[1].is_null()) return Value::null();
  model::GeoPoint a, b;
  if (!location_of(ctx, args[0], a) || !location_of(ctx, args[1], b)) return Value::null();
  return Value::of_float(haversine_km(a, b));
}

Value fn_path_product(const FunctionContext& ctx, Args args) {
  if (args[0].is_null()) return Value::null();
  if (args[1].type != Type::kString) fail("path_product() takes a property name as a string");
  std::vector<model::RelationId> relations;
  if (args[0].type == Type::kPath) {
    relations = args[0].path().relations;
  } else if (args[0].type == Type::kList) {
    for (const auto& item : args[0].list()) {
      if (item.type != Type::kRelation) fail("path_product() takes a path or a list of relations");
      relations.push_back(item.relation);
    }
  } else if (args[0].type == Type::kRelation) {
    relations.push_back(args[0].relation);
  } else {
    fail("path_product() takes a path or a list of relations");
  }
  model::Sym key = 0;
  if (!ctx.graph.strings().find(args[1].text, key)) return Value::null();
  double product = 1.0;
  for (auto r : relations) {
    const model::Value* p = ctx.graph.relation_property(r, key);
    if (p == nullptr) return Value::null();
    if (p->type == model::ValueType::kNumber) {
      product *= p->number;
    } else if (p->type == model::ValueType::kInt) {
      product *= static_cast<double>(p->integer);
    } else {
      return Value::null();
    }
  }
  return Value::of_float(product);
}

// Sums a property over the relations of one kind that leave an entity and hold on the
// as-of date: what its present owners hold of a firm, for one, without enumerating
// combinations of them. A stake sold (an "until" before the date) is no longer held.
Value fn_outgoing_sum(const FunctionContext& ctx, Args args) {
  if (args[0].is_null()) return Value::null();
  if (args[0].type != Type::kNode) fail("outgoing_sum() takes an entity first");
  if (args[1].type != Type::kString || args[2].type != Type::kString)
    fail("outgoing_sum() takes a relation kind and a property name as strings");
  const auto kind = ctx.graph.schema().find_relation(args[1].text);
  if (!kind) fail("outgoing_sum(): no relation kind '" + std::string(args[1].text) + "'");
  model::Sym key = 0;
  double sum = 0;
  const bool key_known = ctx.graph.strings().find(args[2].text, key);
  model::Sym lower_key = 0;
  bool lower_known = false;
  if (char lower[64]; args[2].text.size() + 4 < sizeof lower) {  // no allocation per call
    std::memcpy(lower, args[2].text.data(), args[2].text.size());
    std::memcpy(lower + args[2].text.size(), "_min", 4);
    lower_known =
        ctx.graph.strings().find(std::string_view(lower, args[2].text.size() + 4), lower_key);
  }
  if (!key_known && !lower_known) return Value::of_float(sum);
  const auto period = model::PeriodKeys::of(ctx.graph);
  for (const auto& a : ctx.graph.out_edges(args[0].node, *kind)) {
    if (!model::relation_in_force(ctx.graph, a.relation, period, ctx.as_of)) continue;
    const model::Value* p = key_known ? ctx.graph.relation_property(a.relation, key) : nullptr;
    // A value given as a range (share_min, share_max) counts at its declared lower bound.
    if (p == nullptr && lower_known) p = ctx.graph.relation_property(a.relation, lower_key);
    if (p == nullptr) continue;
    if (p->type == model::ValueType::kNumber) sum += p->number;
    if (p->type == model::ValueType::kInt) sum += static_cast<double>(p->integer);
  }
  return Value::of_float(sum);
}

Value fn_length(const FunctionContext&, Args args) {
  const Value& v = args[0];
  switch (v.type) {
    case Type::kNull:
      return Value::null();
    case Type::kPath:
      return Value::of_int(static_cast<std::int64_t>(v.path().relations.size()));
    case Type::kList:
      return Value::of_int(static_cast<std::int64_t>(v.list().size()));
    case Type::kString: {
      const icu::UnicodeString u = icu::UnicodeString::fromUTF8(v.text);
      return Value::of_int(u.countChar32());
    }
    default:
      fail("length() takes a path, a list or a string; got a " + std::string(type_name(v.type)));
  }
}

Value fn_size(const FunctionContext& ctx, Args args) {
  if (args[0].type == Type::kPath) fail("size() takes a list or a string; use length() for a path");
  return fn_length(ctx, args);
}

/// The most elements range() makes, so that a typo cannot exhaust memory.
constexpr std::int64_t kMaxRange = 10'000'000;

Value fn_range(const FunctionContext&, Args args) {
  for (const auto& a : args) {
    if (a.is_null()) return Value::null();
    if (a.type != Type::kInt) fail("range() takes integers");
  }
  const std::int64_t start = args[0].integer, end = args[1].integer;
  const std::int64_t step = args.size() > 2 ? args[2].integer : 1;
  if (step == 0) fail("range() takes a step other than 0");
  // The number of elements, in unsigned arithmetic, which cannot overflow here.
  ValueList out;
  if ((step > 0 && end < start) || (step < 0 && end > start)) return Value::of_list({});
  const auto ustart = static_cast<std::uint64_t>(start), uend = static_cast<std::uint64_t>(end);
  const std::uint64_t distance = step > 0 ? uend - ustart : ustart - uend;
  const std::uint64_t stride =
      step > 0 ? static_cast<std::uint64_t>(step) : 0 - static_cast<std::uint64_t>(step);
  const std::uint64_t steps = distance / stride;
  if (steps >= static_cast<std::uint64_t>(kMaxRange)) {
    fail("range() makes at most " + std::to_string(kMaxRange) + " elements");
  }
  out.reserve(static_cast<std::size_t>(steps + 1));
  // Each value lies between start and end, so adding the step never overflows.
  std::int64_t v = start;
  for (std::uint64_t i = 0; i <= steps; ++i) {
    out.push_back(Value::of_int(v));
    if (i < steps) v += step;
  }
  return Value::of_list(std::move(out));
}

Value fn_nodes(const FunctionContext&, Args args) {
  if (args[0].is_null()) return Value::null();
  if (args[0].type != Type::kPath) fail("nodes() takes a path");
  ValueList out;
  for (auto n : args[0].path().nodes) out.push_back(Value::of_node(n));
  return Value::of_list(std::move(out));
}

Value fn_relationships(const FunctionContext&, Args args) {
  if (args[0].is_null()) return Value::null();
  if (args[0].type != Type::kPath) fail("relationships() takes a path");
  ValueList out;
  for (auto r : args[0].path().relations) out.push_back(Value::of_relation(r));
  return Value::of_list(std::move(out));
}

Value case_map(Args args, bool lower, const char* fn) {
  if (args[0].is_null()) return Value::null();
  if (args[0].type != Type::kString) fail(std::string(fn) + "() takes a string");
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(args[0].text);
  if (lower) {
    u.toLower();
  } else {
    u.toUpper();
  }
  std::string out;
  u.toUTF8String(out);
  return Value::of_string(std::move(out));
}

Value fn_to_lower(const FunctionContext&, Args args) {
  return case_map(args, true, "toLower");
}
Value fn_to_upper(const FunctionContext&, Args args) {
  return case_map(args, false, "toUpper");
}

Value fn_trim(const FunctionContext&, Args args) {
  if (args[0].is_null()) return Value::null();
  if (args[0].type != Type::kString) fail("trim() takes a string");
  std::string_view s = args[0].text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return Value::of_string(std::string(s));
}

Value fn_coalesce(const FunctionContext&, Args args) {
  for (const auto& a : args) {
    if (!a.is_null()) return a;
  }
  return Value::null();
}

Value fn_type(const FunctionContext& ctx, Args args) {
  if (args[0].is_null()) return Value::null();
  if (args[0].type != Type::kRelation) fail("type() takes a relation");
  return Value::of_view(
      ctx.graph.schema().relation(ctx.graph.relation_kind(args[0].relation)).name);
}

Value fn_labels(const FunctionContext& ctx, Args args) {
  if (args[0].is_null()) return Value::null();
  if (args[0].type != Type::kNode) fail("labels() takes an entity");
  return Value::of_list(
      {Value::of_view(ctx.graph.schema().kind(ctx.graph.kind(args[0].node)).name)});
}

Value fn_start_node(const FunctionContext& ctx, Args args) {
  if (args[0].is_null()) return Value::null();
  if (args[0].type != Type::kRelation) fail("startNode() takes a relation");
  return Value::of_node(ctx.graph.relation_source(args[0].relation));
}

Value fn_end_node(const FunctionContext& ctx, Args args) {
  if (args[0].is_null()) return Value::null();
  if (args[0].type != Type::kRelation) fail("endNode() takes a relation");
  return Value::of_node(ctx.graph.relation_target(args[0].relation));
}

Value fn_to_string(const FunctionContext& ctx, Args args) {
  if (args[0].is_null()) return Value::null();
  return Value::of_string(to_display(ctx.graph, args[0]));
}

Value fn_to_integer(const FunctionContext&, Args args) {
  const Value& v = args[0];
  if (v.type == Type::kInt) return v;
  if (v.type == Type::kRange)
    return Value::of_range(std::trunc(v.range().lo), std::trunc(v.range().hi), true);
  if (v.type == Type::kFloat)
    return std::isfinite(v.number) ? Value::of_int(static_cast<std::int64_t>(v.number))
                                   : Value::null();
  if (v.type == Type::kString) {
    try {
      std::size_t used = 0;
      const long long i = std::stoll(std::string(v.text), &used);
      return used == v.text.size() ? Value::of_int(i) : Value::null();
    } catch (const std::exception&) {
      return Value::null();
    }
  }
  return Value::null();
}

Value fn_to_float(const FunctionContext&, Args args) {
  const Value& v = args[0];
  if (v.is_number()) return Value::of_float(v.as_double());
  if (v.type == Type::kRange) return Value::of_range(v.range().lo, v.range().hi, false);
  if (v.type == Type::kString) {
    try {
      std::size_t used = 0;
      const double d = std::stod(std::string(v.text), &used);
      return used == v.text.size() ? Value::of_float(d) : Value::null();
    } catch (const std::exception&) {
      return Value::null();
    }
  }
  return Value::null();
}

Value fn_abs(const FunctionContext&, Args args) {
  const Value& v = args[0];
  if (v.is_null()) return v;
  if (v.type == Type::kInt) return Value::of_int(v.integer < 0 ? -v.integer : v.integer);
  if (v.type == Type::kFloat) return Value::of_float(std::fabs(v.number));
  if (v.type == Type::kRange) {
    const RangeData& r = v.range();
    const double lo = r.lo >= 0 ? r.lo : r.hi <= 0 ? -r.hi : 0.0;
    return Value::of_range(lo, std::max(std::fabs(r.lo), std::fabs(r.hi)), r.integral);
  }
  fail("abs() takes a number");
}

Value fn_round(const FunctionContext&, Args args) {
  const Value& v = args[0];
  if (v.is_null()) return v;
  if (v.type == Type::kRange)
    return Value::of_range(std::round(v.range().lo), std::round(v.range().hi), false);
  if (!v.is_number()) fail("round() takes a number");
  return Value::of_float(std::round(v.as_double()));
}

// The most answers a run remembers of one function (pairs of entities); a run asking
// for more starts over.
constexpr std::size_t kMemoLimit = 1'000'000;

Value fn_effective_share(const FunctionContext& ctx, Args args) {
  if (args[0].is_null() || args[1].is_null()) return Value::null();
  if (args[0].type != Type::kNode || args[1].type != Type::kNode) {
    fail("effective_share() takes two entities: a firm and an owner");
  }
  const model::VertexId firm = args[0].node;
  const model::VertexId owner = args[1].node;
  // A scan walks up each firm's chains once, for every owner and every rule that asks.
  bool too_many_chains = false;  // known from the scan's walk
  if (ctx.chain_shares != nullptr && ctx.chain_shares->as_of() == ctx.as_of) {
    if (!ctx.chain_shares->walk()) return Value::of_float(0);
    if (const auto shares = ctx.chain_shares->of(firm)) {
      if (ctx.budget != nullptr) charge_chain_walk(ctx, firm, shares->walked());
      if (shares->listed()) return Value::of_float(std::min(shares->of(owner), 1.0));
      too_many_chains = true;
    }
  }
  // Otherwise a rule asks once per chain between the two (every path of OWNED_BY*): the
  // sum over every chain is found once per run.
  const std::uint64_t memo_key = (std::uint64_t{firm} << 32) | owner;
  if (ctx.memo != nullptr) {
    if (const auto known = ctx.memo->effective_share.find(memo_key)) {
      return known->bounds ? Value::of_range(known->lower, known->upper, false)
                           : Value::of_float(known->lower);
    }
  }
  const auto walk = ShareWalk::of(ctx.graph, ctx.as_of);
  if (!walk) return Value::of_float(0);
  Value share;
  if (too_many_chains && ctx.budget != nullptr) {
    // A firm among cross-holdings: the pair is summed once for the scan, whichever rule
    // asks first, and charged to every run that asks as though it summed it. Only runs
    // that count their walks share such sums, so that every run's count is the same.
    bool found_here = false;
    const ChainShareCache::PairShare kept = ctx.chain_shares->pair_share(
        firm, owner,
        [&] {
          const std::uint64_t walked_before = ctx.budget->walked();
          Value found = effective_share(*walk, firm, owner, ctx.budget);
          return ChainShareCache::PairShare{std::move(found), ctx.budget->walked() - walked_before};
        },
        found_here);
    if (!found_here) ctx.budget->tick(kept.walked);
    share = kept.share;
  } else {
    share = effective_share(*walk, firm, owner, ctx.budget);
  }
  if (ctx.memo != nullptr) {
    if (ctx.memo->effective_share.size() >= kMemoLimit) ctx.memo->effective_share.clear();
    const bool bounds = share.type == Type::kRange;
    ctx.memo->effective_share.insert(memo_key, {bounds ? share.range().lo : share.number,
                                                bounds ? share.range().hi : share.number, bounds});
  }
  return share;
}

// Whether a relation held on the as-of date, or at some time within a date's period.
Value fn_in_force(const FunctionContext& ctx, Args args) {
  if (args[0].is_null()) return Value::null();
  if (args[0].type != Type::kRelation) {
    fail("in_force() takes a relation; got a " + std::string(type_name(args[0].type)));
  }
  model::Date day = ctx.as_of;
  if (args.size() > 1) {
    if (args[1].is_null()) return Value::null();
    day = *date_of(args[1], "in_force");
  }
  return Value::of_bool(
      model::relation_held_during(ctx.graph, args[0].relation, model::PeriodKeys::of(ctx.graph),
                                  day.days_since_epoch(), day.last_days_since_epoch()));
}

Value fn_source(const FunctionContext& ctx, Args args) {
  switch (args[0].type) {
    case Type::kNull:
      return Value::null();
    case Type::kNode:
      return Value::of_view(ctx.graph.document_source(ctx.graph.source(args[0].node).document));
    case Type::kRelation:
      return Value::of_view(
          ctx.graph.document_source(ctx.graph.relation_source_ref(args[0].relation).document));
    default:
      fail("source() takes an entity or a relation");
  }
}

// The sources of an entity or relation, as indexes into Graph::sources().
std::span<const std::uint32_t> sources_of(const FunctionContext& ctx, const Value& v,
                                          const char* fn) {
  if (v.type == Type::kNode) return ctx.graph.entity_sources(v.node);
  if (v.type == Type::kRelation) return ctx.graph.relation_sources(v.relation);
  fail(std::string(fn) + "() takes an entity or a relation");
}

// Source ids, or their distinct roles (in source order, without the empty role).
Value source_list(const FunctionContext& ctx, std::span<const std::uint32_t> sources, bool roles) {
  ValueList out;
  for (const auto s : sources) {
    const auto& info = ctx.graph.sources()[s];
    if (!roles) {
      out.push_back(Value::of_view(info.id));
      continue;
    }
    if (info.role.empty()) continue;
    const bool known =
        std::any_of(out.begin(), out.end(), [&](const Value& r) { return r.text == info.role; });
    if (!known) out.push_back(Value::of_view(info.role));
  }
  return Value::of_list(std::move(out));
}

Value fn_sources(const FunctionContext& ctx, Args args) {
  if (args[0].is_null()) return Value::null();
  return source_list(ctx, sources_of(ctx, args[0], "sources"), false);
}

Value fn_source_roles(const FunctionContext& ctx, Args args) {
  if (args[0].is_null()) return Value::null();
  return source_list(ctx, sources_of(ctx, args[0], "source_roles"), true);
}

Value fn_disagreements(const FunctionContext& ctx, Args args) {
  if (args[0].is_null()) return Value::null();
  if (args.size() > 1 && !args[1].is_null() && args[1].type != Type::kList)
    fail("disagreements() takes a list of keys to leave out");
  // Most entities and relations have none: answer without describing anything (a rule
  // asks this of every relation of the registry).
  if ((args[0].type == Type::kNode && ctx.graph.entity_disagreements(args[0].node).empty()) ||
      (args[0].type == Type::kRelation &&
       ctx.graph.relation_disagreements(args[0].relation).empty())) {
    return Value::of_list({});
  }
  std::vector<std::string> texts;
  if (args[0].type == Type::kNode) {
    texts = model::describe_disagreements(ctx.graph, args[0].node);
  } else if (args[0].type == Type::kRelation) {
    texts = model::describe_relation_disagreements(ctx.graph, args[0].relation);
  } else {
    fail("disagreements() takes an entity or a relation");
  }
  // The keys to leave out (free text that sources word differently, say).
  std::vector<std::string_view> ignored;
  if (args.size() > 1 && !args[1].is_null()) {
    if (args[1].type != Type::kList) fail("disagreements() takes a list of keys to leave out");
    for (const auto& k : args[1].list()) {
      if (k.type == Type::kString) ignored.push_back(k.text);
    }
  }
  ValueList out;
  for (auto& t : texts) {
    const std::string_view key = std::string_view(t).substr(0, t.find(": "));
    if (std::find(ignored.begin(), ignored.end(), key) != ignored.end()) continue;
    out.push_back(Value::of_string(std::move(t)));
  }
  return Value::of_list(std::move(out));
}

// The two entities of a tie function's arguments; nothing when either is null.
std::optional<std::pair<model::VertexId, model::VertexId>> tie_ends(Args args, const char* fn) {
  if (args[0].is_null() || args[1].is_null()) return std::nullopt;
  if (args[0].type != Type::kNode || args[1].type != Type::kNode)
    fail(std::string(fn) + "() takes two entities");
  return std::pair(args[0].node, args[1].node);
}

// The statements of the tie between a and b, read once per run: a rule matching a tie
// stated by many parallel relations asks once for each of them. Outside a run they are
// read into `unremembered`.
const std::vector<model::TieStatement>& tie_statements(
    const FunctionContext& ctx, std::pair<model::VertexId, model::VertexId> ends,
    std::vector<model::TieStatement>& unremembered) {
  const model::TieReader reader(ctx.graph);
  if (ctx.memo == nullptr) return unremembered = reader.statements(ends.first, ends.second);
  auto& known = ctx.memo->tie_statements;
  const std::uint64_t key = (std::uint64_t{ends.first} << 32) | ends.second;
  auto found = known.find(key);
  if (found == known.end()) {
    if (known.size() >= kMemoLimit) known.clear();
    found = known.emplace(key, reader.statements(ends.first, ends.second)).first;
  }
  return found->second;
}

Value fn_tie_sources(const FunctionContext& ctx, Args args) {
  const auto ends = tie_ends(args, "tie_sources");
  if (!ends) return Value::null();
  if (args.size() > 2 && args[2].type != Type::kString)
    fail("tie_sources() takes a role as its third argument, such as 'foreign-side'");
  std::vector<std::uint32_t> sources;
  std::vector<model::TieStatement> unremembered;
  for (const auto& s : tie_statements(ctx, *ends, unremembered)) {
    if (args.size() > 2 && ctx.graph.sources()[s.source].role != args[2].text) continue;
    sources.push_back(s.source);
  }
  return source_list(ctx, sources, false);
}

Value fn_tie_source_roles(const FunctionContext& ctx, Args args) {
  const auto ends = tie_ends(args, "tie_source_roles");
  if (!ends) return Value::null();
  std::vector<std::uint32_t> sources;
  std::vector<model::TieStatement> unremembered;
  for (const auto& s : tie_statements(ctx, *ends, unremembered)) sources.push_back(s.source);
  return source_list(ctx, sources, true);
}

Value fn_tie_disagreements(const FunctionContext& ctx, Args args) {
  const auto ends = tie_ends(args, "tie_disagreements");
  if (!ends) return Value::null();
  const model::TieReader ties(ctx.graph);
  ValueList out;
  std::vector<model::TieStatement> unremembered;
  for (const auto& d : ties.disagreements(tie_statements(ctx, *ends, unremembered)))
    out.push_back(Value::of_string(ties.describe(d)));
  return Value::of_list(std::move(out));
}

// The sources that say the tie has ended by the as-of date (or, `ended` false, that it
// goes on).
Value tie_sources_by_state(const FunctionContext& ctx, Args args, bool ended, const char* fn) {
  const auto ends = tie_ends(args, fn);
  if (!ends) return Value::null();
  const model::TieReader ties(ctx.graph);
  std::vector<std::uint32_t> sources;
  std::vector<model::TieStatement> unremembered;
  for (const auto& s : tie_statements(ctx, *ends, unremembered)) {
    if (ties.ended(s, ctx.as_of) == ended) sources.push_back(s.source);
  }
  return source_list(ctx, sources, false);
}

Value fn_tie_ended_in(const FunctionContext& ctx, Args args) {
  return tie_sources_by_state(ctx, args, true, "tie_ended_in");
}

Value fn_tie_active_in(const FunctionContext& ctx, Args args) {
  return tie_sources_by_state(ctx, args, false, "tie_active_in");
}

Value fn_registry_source_roles(const FunctionContext& ctx, Args) {
  std::vector<std::uint32_t> all(ctx.graph.sources().size());
  for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
  return source_list(ctx, all, true);
}

Value fn_year(const FunctionContext&, Args args) {
  if (args[0].is_null()) return Value::null();
  return Value::of_int(date_of(args[0], "year")->year);
}

}  // namespace

double haversine_km(model::GeoPoint a, model::GeoPoint b) {
  constexpr double kRadiusKm = 6371.0088;
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double lat1 = a.lat * kRad, lat2 = b.lat * kRad;
  const double dlat = lat2 - lat1, dlon = (b.lon - a.lon) * kRad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1) * std::cos(lat2) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

const std::vector<FunctionSpec>& function_table() {
  static const std::vector<FunctionSpec> kTable = {
      {"date", 0, 1, Aggregate::kNone, fn_date, "date([text])",
       "The date a text names (\"2019\", \"2019-04\", \"2019-04-17\"); without an argument, the "
       "as-of date of the run (--as-of, default today)."},
      {"days_between", 2, 2, Aggregate::kNone, fn_days_between, "days_between(a, b)",
       "Days from date a to date b (b - a); with a partial date, the range of day counts "
       "possible, e.g. 59..425 (see Dates)."},
      {"distance_km", 2, 2, Aggregate::kNone, fn_distance_km, "distance_km(a, b)",
       "Great-circle distance in km between two located entities or locations; null when "
       "either has no location."},
      {"path_product", 2, 2, Aggregate::kNone, fn_path_product, "path_product(p, 'share')",
       "The product of a numeric relation property along a path (or a list of relations); "
       "null when a relation lacks it."},
      {"effective_share", 2, 2, Aggregate::kNone, fn_effective_share, "effective_share(f, o)",
       "The share of firm f that o owns through every chain of OWNED_BY relations in force on "
       "the as-of date (the sum over simple chains of the product of their shares, at most 10 "
       "links, capped at 1; a share given as a range counts at its share_min). Where "
       "cross-holdings join the two by too many chains to list, a range that holds the sum "
       "(see Cross-holdings)."},
      {"outgoing_sum", 3, 3, Aggregate::kNone, fn_outgoing_sum,
       "outgoing_sum(x, 'OWNED_BY', 'share')",
       "The sum of a numeric property over the relations of one kind that start at entity x "
       "and are in force on the as-of date (relations without it count 0, or its NAME_min when "
       "given as a range): e.g. the shares "
       "x's present owners hold."},
      {"in_force", 1, 2, Aggregate::kNone, fn_in_force, "in_force(r [, d])",
       "Whether relation r held on the as-of date (or at some time in date d's period): begun "
       "by then (no since, or a since not later) and not ended before (no until, or an until "
       "not earlier). A partial date is every day of its period."},
      {"length", 1, 1, Aggregate::kNone, fn_length, "length(p)",
       "The number of relations of a path; also the size of a list or string."},
      {"size", 1, 1, Aggregate::kNone, fn_size, "size(x)",
       "The number of elements of a list, or of characters of a string."},
      {"range", 2, 3, Aggregate::kNone, fn_range, "range(start, end [, step])",
       "The integers from start to end, both included, step apart (1 by default; at most "
       "10,000,000 of them)."},
      {"nodes", 1, 1, Aggregate::kNone, fn_nodes, "nodes(p)", "The entities of a path, in order."},
      {"relationships", 1, 1, Aggregate::kNone, fn_relationships, "relationships(p)",
       "The relations of a path, in order."},
      {"tolower", 1, 1, Aggregate::kNone, fn_to_lower, "toLower(s)",
       "The string in lower case (Unicode)."},
      {"toupper", 1, 1, Aggregate::kNone, fn_to_upper, "toUpper(s)",
       "The string in upper case (Unicode)."},
      {"trim", 1, 1, Aggregate::kNone, fn_trim, "trim(s)",
       "The string without surrounding spaces."},
      {"coalesce", 1, -1, Aggregate::kNone, fn_coalesce, "coalesce(a, b, ...)",
       "The first argument that is not null."},
      {"type", 1, 1, Aggregate::kNone, fn_type, "type(r)", "A relation's kind, e.g. 'OWNED_BY'."},
      {"labels", 1, 1, Aggregate::kNone, fn_labels, "labels(v)",
       "A one-element list holding the entity's kind."},
      {"startnode", 1, 1, Aggregate::kNone, fn_start_node, "startNode(r)",
       "The entity a relation starts at."},
      {"endnode", 1, 1, Aggregate::kNone, fn_end_node, "endNode(r)",
       "The entity a relation ends at."},
      {"tostring", 1, 1, Aggregate::kNone, fn_to_string, "toString(x)",
       "The value as text (entities as their id)."},
      {"tointeger", 1, 1, Aggregate::kNone, fn_to_integer, "toInteger(x)",
       "The value as an integer, or null when it is not one."},
      {"tofloat", 1, 1, Aggregate::kNone, fn_to_float, "toFloat(x)",
       "The value as a float, or null when it is not one."},
      {"abs", 1, 1, Aggregate::kNone, fn_abs, "abs(x)", "The absolute value of a number."},
      {"round", 1, 1, Aggregate::kNone, fn_round, "round(x)", "The number rounded to a whole."},
      {"source", 1, 1, Aggregate::kNone, fn_source, "source(x)",
       "The source a record came from: its document's \"source\" name, else the file name."},
      {"sources", 1, 1, Aggregate::kNone, fn_sources, "sources(x)",
       "The ids of the sources that state an entity or relation (a document's \"source\": "
       "{\"id\"}, else its file name), in load order."},
      {"source_roles", 1, 1, Aggregate::kNone, fn_source_roles, "source_roles(x)",
       "The roles of the sources that state an entity or relation (national-register, "
       "local-authorities, municipality, foreign-side, ...), each once."},
      {"disagreements", 1, 2, Aggregate::kNone, fn_disagreements, "disagreements(x [, ignored])",
       "The values sources state differently for an entity or relation, each as \"key: "
       "kept value (sources) vs other value (sources)\", leaving out the keys of the list "
       "`ignored`; empty when they agree."},
      {"tie_sources", 2, 3, Aggregate::kNone, fn_tie_sources, "tie_sources(a, b [, role])",
       "The ids of the sources that state a TWINNED_WITH between a and b, in either "
       "direction (the tie as one); with a role, only the sources of that role."},
      {"tie_source_roles", 2, 2, Aggregate::kNone, fn_tie_source_roles, "tie_source_roles(a, b)",
       "The roles of the sources that state the tie between a and b, each once."},
      {"tie_disagreements", 2, 2, Aggregate::kNone, fn_tie_disagreements, "tie_disagreements(a, b)",
       "The tie's since, until or status where two sources give different values, each as "
       "\"since: 2012 (mfa) vs 2013 (ulai)\"."},
      {"tie_ended_in", 2, 2, Aggregate::kNone, fn_tie_ended_in, "tie_ended_in(a, b)",
       "The sources that say the tie between a and b had ended by the as-of date (an until "
       "before it, or a status such as ended or suspended)."},
      {"tie_active_in", 2, 2, Aggregate::kNone, fn_tie_active_in, "tie_active_in(a, b)",
       "The sources that state the tie between a and b and do not say it has ended."},
      {"registry_source_roles", 0, 0, Aggregate::kNone, fn_registry_source_roles,
       "registry_source_roles()", "The roles of every source of the registry, each once."},
      {"year", 1, 1, Aggregate::kNone, fn_year, "year(d)", "The year of a date."},
      {"count", 1, 1, Aggregate::kCount, nullptr, "count(x), count(*), count(DISTINCT x)",
       "Aggregate: the number of rows (or of non-null values of x)."},
      {"collect", 1, 1, Aggregate::kCollect, nullptr, "collect(x), collect(DISTINCT x)",
       "Aggregate: the non-null values of x as a list."},
      {"sum", 1, 1, Aggregate::kSum, nullptr, "sum(x)", "Aggregate: the sum of the numbers x."},
      {"avg", 1, 1, Aggregate::kAvg, nullptr, "avg(x)", "Aggregate: the mean of the numbers x."},
      {"min", 1, 1, Aggregate::kMin, nullptr, "min(x)", "Aggregate: the least value of x."},
      {"max", 1, 1, Aggregate::kMax, nullptr, "max(x)", "Aggregate: the greatest value of x."},
  };
  return kTable;
}

std::string functions_markdown() {
  std::string md = "| function | what it returns |\n|---|---|\n";
  for (const auto& f : function_table()) {
    md += "| `";
    md += f.signature;
    md += "` | ";
    md += f.summary;
    md += " |\n";
  }
  return md;
}

// Once per run, whichever thread walked the firm: the budget stops a run at the same
// place however the scan's threads met its firms.
void charge_chain_walk(const FunctionContext& ctx, model::VertexId firm, std::uint64_t walked) {
  if (ctx.memo == nullptr) {
    ctx.budget->tick(walked);
    return;
  }
  std::vector<bool>& charged = ctx.memo->chain_walks_charged;
  if (charged.empty()) charged.resize(ctx.graph.entity_count());
  if (firm < charged.size() && charged[firm]) return;
  if (firm < charged.size()) charged[firm] = true;
  ctx.budget->tick(walked);
}

const FunctionSpec* find_function(std::string_view name) {
  for (const auto& spec : function_table()) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

}  // namespace twinscan::query
