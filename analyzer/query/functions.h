#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/model/tie_statements.h"
#include "analyzer/query/share_table.h"
#include "analyzer/query/value.h"

namespace twinscan::query {

class Budget;
class ChainShareCache;
class ReachCache;

/// What the functions of one run remember between calls: an answer that depends only on
/// its arguments and the graph, costly to find again (effective_share() of a firm and an
/// owner is asked once per chain between them, the statements of a tie once per relation
/// that states it). Keyed by the two entities.
struct FunctionMemo {
  ShareTable effective_share;
  /// The firms whose walk up their chains the run was charged for (by vertex id): a run
  /// asking for a firm's shares again counts the walk once, as though it remembered them.
  std::vector<bool> chain_walks_charged;
  std::unordered_map<std::uint64_t, std::vector<model::TieStatement>> tie_statements;
};

/// What a function may read besides its arguments.
struct FunctionContext {
  const model::Graph& graph;
  model::Date as_of;  ///< "Today" for date() without arguments (the scan's --as-of).
  /// The run's budget, when a function walks the graph at length (counted against its
  /// limits, so that the deadline stops it there too); none outside a run.
  Budget* budget = nullptr;
  FunctionMemo* memo = nullptr;  ///< The run's; none outside a run.
  /// The reaches walked in a scan, shared by its runs; none outside a scan.
  ReachCache* reaches = nullptr;
  /// The shares up each firm's ownership chains, found in a scan, shared by its runs; none
  /// outside a scan.
  ChainShareCache* chain_shares = nullptr;
};

/// A scalar function: returns its value, or throws EvaluationError on misuse.
using ScalarFn = Value (*)(const FunctionContext&, std::span<const Value>);

enum class Aggregate : std::uint8_t { kNone, kCount, kCollect, kSum, kAvg, kMin, kMax };

/// A row of the function table, which the type checker, the evaluator and the
/// query-language reference all read.
struct FunctionSpec {
  const char* name;  ///< Lower case; calls are case-insensitive.
  int min_args;
  int max_args;  ///< -1: any number.
  Aggregate aggregate;
  ScalarFn fn;  ///< nullptr for aggregates.
  const char* signature;
  const char* summary;
};

/// Every function, in the order the reference lists them.
const std::vector<FunctionSpec>& function_table();

/// The function reference as a Markdown table, generated from the table above.
std::string functions_markdown();

/// The function named `name` (lower case), or nullptr.
const FunctionSpec* find_function(std::string_view name);

/// A runtime type error in a query (wrong argument types and the like).
struct EvaluationError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Counts a walk up `firm`'s ownership chains that looked at `walked` holdings against
/// the run's budget (ctx.budget, which must be set): once per run when the run remembers
/// (ctx.memo), whichever thread walked it and however often it is asked for.
void charge_chain_walk(const FunctionContext& ctx, model::VertexId firm, std::uint64_t walked);

/// Great-circle distance in kilometres (haversine, mean Earth radius 6371.0088 km).
double haversine_km(model::GeoPoint a, model::GeoPoint b);

}  // namespace twinscan::query
