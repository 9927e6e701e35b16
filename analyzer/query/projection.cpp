#include "analyzer/query/projection.h"

#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/query/row_keys.h"

namespace twinscan::query {
namespace {

// The running state of one aggregate within one group.
struct AggregateState {
  std::int64_t count = 0;
  double sum = 0;              ///< of the numbers, and of the ranges' lower bounds
  double sum_hi = 0;           ///< of the numbers, and of the ranges' upper bounds
  bool ranged = false;         ///< a range was summed: the sum is one too
  bool range_integral = true;  ///< every range summed is of whole numbers
  bool sum_is_int = true;
  std::int64_t int_sum = 0;
  Value best;
  ValueList items;
  RowKeys seen;  ///< DISTINCT: the values counted so far
};

void accumulate(const model::Graph& graph, const AggregateSpec& spec, AggregateState& state,
                Executor& executor) {
  if (spec.star) {
    ++state.count;
    return;
  }
  const Value v = executor.evaluate(*spec.argument);
  if (v.is_null()) return;
  if (spec.distinct) {
    std::string key;
    append_key(graph, v, key);
    if (!state.seen.insert(key).second) return;
  }
  switch (spec.kind) {
    case Aggregate::kCount:
      ++state.count;
      break;
    case Aggregate::kCollect:
      state.items.push_back(v);
      break;
    case Aggregate::kSum:
    case Aggregate::kAvg:
      if (v.type == Type::kRange) {
        // A number known within bounds (a share through cross-holdings, days between
        // partial dates): the sum is known within the sums of the bounds.
        const RangeData& r = v.range();
        ++state.count;
        state.sum += r.lo;
        state.sum_hi += r.hi;
        state.ranged = true;
        state.range_integral = state.range_integral && r.integral;
        state.sum_is_int = false;
        break;
      }
      if (!v.is_number()) throw EvaluationError("sum() and avg() take numbers");
      ++state.count;
      state.sum += v.as_double();
      state.sum_hi += v.as_double();
      state.range_integral = state.range_integral && v.type == Type::kInt;
      if (v.type == Type::kInt && state.sum_is_int &&
          !__builtin_add_overflow(state.int_sum, v.integer, &state.int_sum)) {
        break;
      }
      state.sum_is_int = false;
      break;
    case Aggregate::kMin:
    case Aggregate::kMax: {
      if (state.best.is_null()) {
        state.best = v;
        break;
      }
      const int c = order(graph, v, state.best);
      if ((spec.kind == Aggregate::kMin && c < 0) || (spec.kind == Aggregate::kMax && c > 0))
        state.best = v;
      break;
    }
    case Aggregate::kNone:
      break;
  }
}

Value finish_aggregate(const AggregateSpec& spec, const AggregateState& state) {
  switch (spec.kind) {
    case Aggregate::kCount:
      return Value::of_int(state.count);
    case Aggregate::kCollect:
      return Value::of_list(state.items);
    case Aggregate::kSum:
      if (state.ranged) return Value::of_range(state.sum, state.sum_hi, state.range_integral);
      return state.sum_is_int ? Value::of_int(state.int_sum) : Value::of_float(state.sum);
    case Aggregate::kAvg:
      if (state.count == 0) return Value::null();
      if (state.ranged) {
        const auto n = static_cast<double>(state.count);
        return Value::of_range(state.sum / n, state.sum_hi / n, false);
      }
      return Value::of_float(state.sum / static_cast<double>(state.count));
    case Aggregate::kMin:
    case Aggregate::kMax:
      return state.best;
    case Aggregate::kNone:
      break;
  }
  return Value::null();
}

struct Row {
  std::vector<Value> values;
  std::vector<Value> order_keys;
  std::uint64_t seq = 0;  ///< arrival order: equal keys keep it, as a stable sort would
};

// SKIP + LIMIT (a limit given), saturated: both are constants of the query, each up to
// the largest integer.
std::size_t rows_through_limit(const CompiledReturn& ret) {
  const auto skip = static_cast<std::uint64_t>(std::max<std::int64_t>(ret.skip, 0));
  const auto limit = static_cast<std::uint64_t>(std::max<std::int64_t>(ret.limit, 0));
  const std::uint64_t sum = skip > UINT64_MAX - limit ? UINT64_MAX : skip + limit;
  return sum > SIZE_MAX ? SIZE_MAX : static_cast<std::size_t>(sum);
}

/// One RETURN or WITH: fed the frame of each row that reaches it (add), then gives its
/// rows grouped, aggregated, without duplicates, ordered, skipped and limited (finish).
/// `outputs` (WITH): the slots its items are bound to, which ORDER BY may read.
class Projection {
 public:
  Projection(const model::Graph& graph, const CompiledReturn& ret, Executor& executor,
             const std::vector<Slot>* outputs)
      : graph_(graph), ret_(ret), executor_(executor), outputs_(outputs) {
    aggregating_ = !ret.aggregates.empty();
    // Without ordering, grouping or DISTINCT, the run can stop once enough rows exist.
    const bool can_stop_early =
        !aggregating_ && !ret.distinct && ret.order.empty() && ret.limit >= 0;
    wanted_ = can_stop_early ? rows_through_limit(ret) : SIZE_MAX;
    if (ret.limit == 0) wanted_ = 0;  // none is returned, whatever the query
    // Ordered and limited: only the first SKIP + LIMIT rows in order can be returned, so
    // no more than twice that many are held (MATCH (a), (b) … ORDER BY … LIMIT 10 over a
    // large registry would otherwise hold every pair).
    if (!aggregating_ && !ret.order.empty() && ret.limit >= 0) kept_ = rows_through_limit(ret);
  }

  /// Whether any row is wanted at all (LIMIT 0 wants none).
  [[nodiscard]] bool wants_rows() const { return wanted_ > 0; }

  /// Takes the current frame; false once enough rows are gathered.
  bool add(const std::vector<Value>& frame) {
    if (aggregating_) {
      key_.clear();
      for (std::size_t i = 0; i < ret_.items.size(); ++i) {
        if (!ret_.item_has_aggregate[i])
          append_key(graph_, executor_.evaluate(*ret_.items[i]), key_);
      }
      const auto [number, added] = group_keys_.insert(key_);
      if (added) groups_.push_back({frame, std::vector<AggregateState>(ret_.aggregates.size())});
      Group& group = groups_[number];
      for (std::size_t a = 0; a < ret_.aggregates.size(); ++a) {
        accumulate(graph_, ret_.aggregates[a], group.states[a], executor_);
      }
      return true;
    }
    Row row;
    for (const auto& item : ret_.items) row.values.push_back(executor_.evaluate(*item));
    if (ret_.distinct) {
      key_.clear();
      for (const auto& v : row.values) append_key(graph_, v, key_);
      if (!distinct_keys_.insert(key_).second) return true;
    }
    row.order_keys = order_keys(row.values);
    row.seq = seq_++;
    // Past the last row that can still be returned: dropped at once.
    if (full_ && !comes_before(row, rows_[kept_ - 1])) return true;
    rows_.push_back(std::move(row));
    if (kept_ < SIZE_MAX / 2 && rows_.size() >= std::max<std::size_t>(2 * kept_, 4096)) {
      sort_rows(kept_);
      rows_.resize(kept_);
      full_ = kept_ > 0;
    }
    return rows_.size() < wanted_;
  }

  /// The rows, in order, after SKIP and LIMIT.
  std::vector<std::vector<Value>> finish() {
    if (aggregating_) finish_groups();
    const std::size_t begin = std::min(rows_.size(), static_cast<std::size_t>(ret_.skip));
    std::size_t end = rows_.size();
    if (ret_.limit >= 0) end = std::min(end, rows_through_limit(ret_));
    if (begin >= end) return {};
    if (!ret_.order.empty()) sort_rows(end);
    std::vector<std::vector<Value>> out;
    for (std::size_t i = begin; i < end; ++i) out.push_back(std::move(rows_[i].values));
    return out;
  }

 private:
  struct Group {
    std::vector<Value> frame;
    std::vector<AggregateState> states;
  };

  // By the ORDER BY keys, then in arrival order.
  [[nodiscard]] bool comes_before(const Row& x, const Row& y) const {
    for (std::size_t i = 0; i < ret_.order.size(); ++i) {
      int c = order(graph_, x.order_keys[i], y.order_keys[i]);
      if (ret_.order[i].descending) c = -c;
      if (c != 0) return c < 0;
    }
    return x.seq < y.seq;
  }
  // Puts the first `count` rows in order (all of them by default); the others follow in
  // no order. Ties are broken by arrival, so which rows come first never depends on how
  // many are put in order.
  void sort_rows(std::size_t count = SIZE_MAX) {
    auto before = [&](const Row& x, const Row& y) { return comes_before(x, y); };
    if (count < rows_.size()) {
      std::partial_sort(rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(count),
                        rows_.end(), before);
    } else {
      std::sort(rows_.begin(), rows_.end(), before);
    }
  }

  void bind_outputs(const std::vector<Value>& values) {
    if (outputs_ == nullptr) return;
    for (std::size_t i = 0; i < outputs_->size(); ++i) {
      const Slot s = (*outputs_)[i];
      if (s != kNoSlot) executor_.frame()[static_cast<std::size_t>(s)] = values[i];
    }
  }

  std::vector<Value> order_keys(const std::vector<Value>& values) {
    std::vector<Value> keys;
    if (ret_.order.empty()) return keys;
    bind_outputs(values);
    for (const auto& o : ret_.order) {
      keys.push_back(o.column >= 0 ? values[static_cast<std::size_t>(o.column)]
                                   : executor_.evaluate(*o.expr));
    }
    return keys;
  }

  void finish_groups() {
    // A projection of aggregates only, over no row, still yields one row (count = 0).
    const bool only_aggregates = std::all_of(
        ret_.item_has_aggregate.begin(), ret_.item_has_aggregate.end(), [](bool b) { return b; });
    if (groups_.empty() && only_aggregates) {
      groups_.push_back({executor_.frame(), std::vector<AggregateState>(ret_.aggregates.size())});
    }
    for (auto& group : groups_) {
      std::vector<Value> finished;
      for (std::size_t a = 0; a < ret_.aggregates.size(); ++a)
        finished.push_back(finish_aggregate(ret_.aggregates[a], group.states[a]));
      executor_.frame() = group.frame;
      executor_.set_aggregates(&finished);
      Row row;
      for (const auto& item : ret_.items) row.values.push_back(executor_.evaluate(*item));
      executor_.set_aggregates(nullptr);
      if (ret_.distinct) {
        key_.clear();
        for (const auto& v : row.values) append_key(graph_, v, key_);
        if (!distinct_keys_.insert(key_).second) continue;
      }
      row.order_keys = order_keys(row.values);
      row.seq = seq_++;
      rows_.push_back(std::move(row));
    }
  }

  const model::Graph& graph_;
  const CompiledReturn& ret_;
  Executor& executor_;
  const std::vector<Slot>* outputs_;
  bool aggregating_ = false;
  std::size_t wanted_ = SIZE_MAX;
  std::size_t kept_ = SIZE_MAX;  ///< rows that can be returned, when ordered and limited
  std::uint64_t seq_ = 0;
  bool full_ = false;   ///< rows_[kept_ - 1] is the last row that can be returned so far
  std::string key_;     // the key of the row at hand (its room used again)
  RowKeys group_keys_;  // numbered as groups_
  std::vector<Group> groups_;
  RowKeys distinct_keys_;
  std::vector<Row> rows_;
};

/// Runs the clauses of a query as a pipeline over the current frame: the leading
/// MATCH plan, then each clause for each row that reaches it.
class Pipeline {
 public:
  Pipeline(const model::Graph& graph, const CompiledQuery& query, Executor& executor)
      : graph_(graph), query_(query), executor_(executor) {}

  /// Every row that has run all clauses before stage `end`.
  bool emit(std::size_t end, const MatchCallback& callback) {
    std::size_t with = end;
    for (std::size_t i = end; i-- > 0;) {
      if (query_.stages[i].kind == Clause::Kind::kWith) {
        with = i;
        break;
      }
    }
    if (end == 0) return executor_.match(callback);  // the leading MATCH clauses only
    if (with == end) {
      return executor_.match([&](const std::vector<Value>&) { return stream(0, end, callback); });
    }
    const Stage& stage = query_.stages[with];
    Projection projection(graph_, stage.projection, executor_, &stage.slots);
    if (projection.wants_rows()) {
      emit(with, [&](const std::vector<Value>& frame) { return projection.add(frame); });
    }
    const auto rows = projection.finish();
    auto& frame = executor_.frame();
    for (const auto& row : rows) {
      executor_.tick();
      for (std::size_t i = 0; i < stage.slots.size(); ++i) {
        if (stage.slots[i] != kNoSlot) frame[static_cast<std::size_t>(stage.slots[i])] = row[i];
      }
      if (stage.expr && !executor_.holds(*stage.expr)) continue;
      if (!stream(with + 1, end, callback)) return false;
    }
    return true;
  }

 private:
  /// Runs stages [from, to) (none of them a WITH) for the current frame.
  bool stream(std::size_t from, std::size_t to, const MatchCallback& callback) {
    auto& frame = executor_.frame();
    if (from == to) return callback(frame);
    const Stage& stage = query_.stages[from];
    auto next = [&](const std::vector<Value>&) { return stream(from + 1, to, callback); };
    switch (stage.kind) {
      case Clause::Kind::kMatch:
        return executor_.match_plan(stage.plan, next);
      case Clause::Kind::kOptionalMatch: {
        bool found = false;
        const bool go_on = executor_.match_plan(stage.plan, [&](const std::vector<Value>& f) {
          found = true;
          return next(f);
        });
        if (!go_on || found) return go_on;
        for (Slot s : stage.slots) frame[static_cast<std::size_t>(s)] = Value::null();
        return next(frame);
      }
      case Clause::Kind::kUnwind: {
        const Value list = executor_.evaluate(*stage.expr);
        const auto slot = static_cast<std::size_t>(stage.slots[0]);
        bool go_on = true;
        if (list.type == Type::kList) {
          const ValueList& items = list.list();
          for (std::size_t i = 0; i < items.size() && go_on; ++i) {
            executor_.tick();
            frame[slot] = items[i];
            go_on = next(frame);
          }
        } else if (!list.is_null()) {
          frame[slot] = list;  // a single value unwinds to itself
          go_on = next(frame);
        }
        frame[slot] = Value::null();
        return go_on;
      }
      case Clause::Kind::kWith:
        break;
    }
    return true;
  }

  const model::Graph& graph_;
  const CompiledQuery& query_;
  Executor& executor_;
};

}  // namespace

ResultTable run_query(const model::Graph& graph, const CompiledQuery& query,
                      FunctionContext context, ExecutionLimits limits) {
  const CompiledReturn& ret = *query.returns;
  Executor executor(graph, query, context, limits);
  ResultTable table;
  table.columns = ret.columns;
  Projection projection(graph, ret, executor, nullptr);
  if (projection.wants_rows()) {
    Pipeline pipeline(graph, query, executor);
    pipeline.emit(query.stages.size(),
                  [&](const std::vector<Value>& frame) { return projection.add(frame); });
  }
  table.rows = projection.finish();
  return table;
}

}  // namespace twinscan::query
