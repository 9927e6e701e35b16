#include "analyzer/query/projection.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace twinscan::query {
namespace {

// The running state of one aggregate within one group.
struct AggregateState {
  std::int64_t count = 0;
  double sum = 0;
  bool sum_is_int = true;
  std::int64_t int_sum = 0;
  Value best;
  ValueList items;
  std::unordered_set<std::string> seen;
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
    if (!state.seen.insert(std::move(key)).second) return;
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
      if (!v.is_number()) throw EvaluationError("sum() and avg() take numbers");
      ++state.count;
      state.sum += v.as_double();
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

Value finish(const AggregateSpec& spec, const AggregateState& state) {
  switch (spec.kind) {
    case Aggregate::kCount:
      return Value::of_int(state.count);
    case Aggregate::kCollect:
      return Value::of_list(state.items);
    case Aggregate::kSum:
      return state.sum_is_int ? Value::of_int(state.int_sum) : Value::of_float(state.sum);
    case Aggregate::kAvg:
      return state.count == 0 ? Value::null()
                              : Value::of_float(state.sum / static_cast<double>(state.count));
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
};

}  // namespace

ResultTable run_query(const model::Graph& graph, const CompiledQuery& query,
                      FunctionContext context, ExecutionLimits limits) {
  const CompiledReturn& ret = *query.returns;
  Executor executor(graph, query, context, limits);
  ResultTable table;
  table.columns = ret.columns;
  std::vector<Row> rows;
  const bool aggregating = !ret.aggregates.empty();
  // Without ordering, grouping or DISTINCT, the run can stop once enough rows exist.
  const bool can_stop_early = !aggregating && !ret.distinct && ret.order.empty() && ret.limit >= 0;
  const std::size_t wanted =
      can_stop_early ? static_cast<std::size_t>(ret.skip + ret.limit) : SIZE_MAX;

  struct Group {
    std::vector<Value> frame;
    std::vector<AggregateState> states;
  };
  std::unordered_map<std::string, std::size_t> group_index;
  std::vector<Group> groups;
  std::unordered_set<std::string> distinct_keys;

  auto order_keys = [&](const std::vector<Value>& values) {
    std::vector<Value> keys;
    for (const auto& o : ret.order) {
      keys.push_back(o.column >= 0 ? values[static_cast<std::size_t>(o.column)]
                                   : executor.evaluate(*o.expr));
    }
    return keys;
  };

  if (wanted > 0) {
    executor.match([&](const std::vector<Value>& frame) {
      if (aggregating) {
        std::string key;
        for (std::size_t i = 0; i < ret.items.size(); ++i) {
          if (!ret.item_has_aggregate[i]) append_key(graph, executor.evaluate(*ret.items[i]), key);
        }
        auto [it, inserted] = group_index.emplace(std::move(key), groups.size());
        if (inserted) groups.push_back({frame, std::vector<AggregateState>(ret.aggregates.size())});
        Group& group = groups[it->second];
        for (std::size_t a = 0; a < ret.aggregates.size(); ++a) {
          accumulate(graph, ret.aggregates[a], group.states[a], executor);
        }
        return true;
      }
      Row row;
      for (const auto& item : ret.items) row.values.push_back(executor.evaluate(*item));
      if (ret.distinct) {
        std::string key;
        for (const auto& v : row.values) append_key(graph, v, key);
        if (!distinct_keys.insert(std::move(key)).second) return true;
      }
      row.order_keys = order_keys(row.values);
      rows.push_back(std::move(row));
      return rows.size() < wanted;
    });
  }

  if (aggregating) {
    // A query of aggregates only, over no match, still yields one row (count = 0).
    const bool only_aggregates = std::all_of(
        ret.item_has_aggregate.begin(), ret.item_has_aggregate.end(), [](bool b) { return b; });
    if (groups.empty() && only_aggregates) {
      groups.push_back({executor.frame(), std::vector<AggregateState>(ret.aggregates.size())});
    }
    for (auto& group : groups) {
      std::vector<Value> finished;
      for (std::size_t a = 0; a < ret.aggregates.size(); ++a)
        finished.push_back(finish(ret.aggregates[a], group.states[a]));
      executor.frame() = group.frame;
      executor.set_aggregates(&finished);
      Row row;
      for (const auto& item : ret.items) row.values.push_back(executor.evaluate(*item));
      executor.set_aggregates(nullptr);
      if (ret.distinct) {
        std::string key;
        for (const auto& v : row.values) append_key(graph, v, key);
        if (!distinct_keys.insert(std::move(key)).second) continue;
      }
      row.order_keys = order_keys(row.values);
      rows.push_back(std::move(row));
    }
  }

  if (!ret.order.empty()) {
    std::stable_sort(rows.begin(), rows.end(), [&](const Row& x, const Row& y) {
      for (std::size_t i = 0; i < ret.order.size(); ++i) {
        int c = order(graph, x.order_keys[i], y.order_keys[i]);
        if (ret.order[i].descending) c = -c;
        if (c != 0) return c < 0;
      }
      return false;
    });
  }
  const std::size_t begin = std::min(rows.size(), static_cast<std::size_t>(ret.skip));
  std::size_t end = rows.size();
  if (ret.limit >= 0) end = std::min(end, begin + static_cast<std::size_t>(ret.limit));
  for (std::size_t i = begin; i < end; ++i) table.rows.push_back(std::move(rows[i].values));
  return table;
}

}  // namespace twinscan::query
