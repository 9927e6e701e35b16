#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/rules/compiled_rule.h"

namespace twinscan::rules {

/// Rules compiled once for a registry and reused by the screenings that run on private
/// copies of it (a registry with a request merged in, engine::Request::merge).
///
/// A copy holds every entity, relation and string of the registry under the same
/// numbers, plus the request's few, so a rule compiled for the registry runs unchanged on
/// it, but for two things a request can change: a property key the registry never stores
/// (compiled as "always null") may be stored by the request, and a kind the registry
/// lacks (the rule "cannot judge") may be brought by it. A compiled rule is reused only
/// when neither happened; otherwise it is compiled for the copy, as without the cache.
/// Compilations that report anything are never kept, so their warnings are repeated.
/// Safe to use from several threads at once.
class CompiledRuleCache {
 public:
  explicit CompiledRuleCache(std::shared_ptr<const model::Graph> registry);

  /// `rule` compiled for `graph`, a private copy of the registry (see compile_rule()).
  std::shared_ptr<const CompiledRule> compile(const Rule& rule, const model::Graph& graph,
                                              const ParamOverrides& overrides,
                                              diag::Diagnostics& diagnostics,
                                              const std::vector<query::Slot>& prebound,
                                              RuleQueryUse use);

  /// How many compilations were served from the cache (for tests and benchmarks).
  [[nodiscard]] std::size_t hits() const;

 private:
  [[nodiscard]] std::string key_of(const Rule& rule, const ParamOverrides& overrides,
                                   const std::vector<query::Slot>& prebound,
                                   RuleQueryUse use) const;

  std::shared_ptr<const model::Graph> registry_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const CompiledRule>> compiled_;
  std::size_t hits_ = 0;
};

}  // namespace twinscan::rules
