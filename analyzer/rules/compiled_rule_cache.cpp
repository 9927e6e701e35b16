#include "analyzer/rules/compiled_rule_cache.h"

#include <algorithm>

namespace twinscan::rules {
namespace {

// Bounded: a registry screened with ever new parameter values starts afresh past this.
constexpr std::size_t kMaxEntries = 8192;

std::shared_ptr<const CompiledRule> compile_uncached(const Rule& rule, const model::Graph& graph,
                                                     const ParamOverrides& overrides,
                                                     diag::Diagnostics& diagnostics,
                                                     const std::vector<query::Slot>& prebound,
                                                     RuleQueryUse use) {
  auto compiled = compile_rule(rule, graph, overrides, diagnostics, prebound, use);
  if (!compiled) return nullptr;
  return std::make_shared<const CompiledRule>(std::move(*compiled));
}

}  // namespace

CompiledRuleCache::CompiledRuleCache(std::shared_ptr<const model::Graph> registry)
    : registry_(std::move(registry)) {}

std::string CompiledRuleCache::key_of(const Rule& rule, const ParamOverrides& overrides,
                                      const std::vector<query::Slot>& prebound,
                                      RuleQueryUse use) const {
  // The rule's address and its texts: a catalogue loaded again at the same address with
  // other texts is not mistaken for the first.
  std::string key = std::to_string(reinterpret_cast<std::uintptr_t>(&rule));
  for (const std::string* text : {&rule.id, &rule.match, &rule.message}) {
    key += '\x1f';
    key += *text;
  }
  key += '\x1f';
  key += use == RuleQueryUse::kFindBindings ? 'b' : 'e';
  for (const auto slot : prebound) key += ',' + std::to_string(slot);
  for (const auto& [name, value] : overrides) {
    key += '\x1f';
    key += name;
    key += '=';
    query::append_key(*registry_, value, key);
  }
  return key;
}

std::shared_ptr<const CompiledRule> CompiledRuleCache::compile(
    const Rule& rule, const model::Graph& graph, const ParamOverrides& overrides,
    diag::Diagnostics& diagnostics, const std::vector<query::Slot>& prebound, RuleQueryUse use) {
  const std::string key = key_of(rule, overrides, prebound, use);
  std::shared_ptr<const CompiledRule> cached;
  {
    const std::lock_guard lock(mutex_);
    if (auto it = compiled_.find(key); it != compiled_.end()) cached = it->second;
  }
  if (!cached) {
    diag::Diagnostics quiet;
    cached = compile_uncached(rule, *registry_, overrides, quiet, prebound, use);
    if (!cached || !quiet.all().empty() || quiet.error_count() != 0) {
      // Reported from the copy itself, as without the cache.
      return compile_uncached(rule, graph, overrides, diagnostics, prebound, use);
    }
    const std::lock_guard lock(mutex_);
    if (compiled_.size() >= kMaxEntries) compiled_.clear();
    compiled_.emplace(key, cached);
  } else {
    const std::lock_guard lock(mutex_);
    ++hits_;
  }
  const bool key_stored_since = std::any_of(cached->query.absent_keys.begin(),
                                            cached->query.absent_keys.end(), [&](const auto& k) {
                                              model::Sym unused = 0;
                                              return graph.strings().find(k, unused);
                                            });
  if (key_stored_since || !cached->cannot_judge.empty())
    return compile_uncached(rule, graph, overrides, diagnostics, prebound, use);
  return cached;
}

std::size_t CompiledRuleCache::hits() const {
  const std::lock_guard lock(mutex_);
  return hits_;
}

}  // namespace twinscan::rules
