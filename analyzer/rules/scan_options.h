#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

#include "analyzer/model/date.h"
#include "analyzer/query/chain_share_cache.h"
#include "analyzer/query/executor.h"
#include "analyzer/query/reach_cache.h"
#include "analyzer/rules/compiled_rule.h"
#include "analyzer/rules/compiled_rule_cache.h"
#include "analyzer/rules/match_key.h"
#include "analyzer/util/parallel_for.h"

namespace twinscan::rules {

/// How a scan or a screening runs its rules.
struct ScanOptions {
  model::Date as_of;              ///< "Today" for deadline rules.
  ParamOverrides params;          ///< --param values.
  unsigned jobs = 1;              ///< Rules evaluated in parallel.
  query::ExecutionLimits limits;  ///< Per rule.
  /// Called after each rule with (rules done, rules in all), from the calling thread.
  util::Progress progress;
  /// Rules compiled for the registry this graph is a private copy of (screening on a
  /// server); null: each rule is compiled for the graph.
  std::shared_ptr<CompiledRuleCache> compiled_rules;
  /// For entities judged the same: the id their findings' fingerprints use in place of
  /// the kept one (the id the judgements name first), so that a fingerprint does not
  /// change with the order documents load in. Null: the kept ids.
  std::shared_ptr<const StableIds> stable_ids;
  /// The reaches the rules' searches walk, kept for all of them (a firm's owners up its
  /// chains are asked for by rule after rule), and given back once they are all done: a
  /// cache serves one scan of one graph, never two. Null: scan() makes one; screen()
  /// walks afresh.
  std::shared_ptr<query::ReachCache> reaches;
  /// The shares up each firm's ownership chains, found once for all the rules (the
  /// state-control rules ask for the same firms'), like `reaches` one scan's. Null:
  /// scan() makes one; screen() finds them afresh.
  std::shared_ptr<query::ChainShareCache> chain_shares;
};

}  // namespace twinscan::rules
