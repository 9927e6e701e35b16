// The variables visible at a point of a query: a MATCH's, and inside EXISTS or a
// quantifier also the enclosing ones.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/query/plan.h"

namespace twinscan::query {

/// Names bound in one scope, with the scope that encloses it.
struct Scope {
  const Scope* parent = nullptr;
  std::unordered_map<std::string, Slot> names;

  /// The slot of the name here or in an enclosing scope, or kNoSlot.
  [[nodiscard]] Slot find(const std::string& name) const {
    for (const Scope* s = this; s != nullptr; s = s->parent) {
      if (auto it = s->names.find(name); it != s->names.end()) return it->second;
    }
    return kNoSlot;
  }
  /// Every name visible here, for suggestions.
  [[nodiscard]] std::vector<std::string> visible() const {
    std::vector<std::string> out;
    for (const Scope* s = this; s != nullptr; s = s->parent) {
      for (const auto& [name, slot] : s->names) out.push_back(name);
    }
    return out;
  }
};

}  // namespace twinscan::query
