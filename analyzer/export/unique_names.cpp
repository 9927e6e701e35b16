#include "analyzer/export/unique_names.h"

namespace twinscan::exports {

UniqueNames::UniqueNames(std::initializer_list<std::string_view> taken, bool ignore_case)
    : ignore_case_(ignore_case) {
  for (const auto name : taken) take(name);
}

void UniqueNames::take(std::string_view name) {
  taken_.insert(folded(name));
}

bool UniqueNames::taken(std::string_view name) const {
  return taken_.find(folded(name)) != taken_.end();
}

std::string UniqueNames::claim(const std::string& name) {
  std::string candidate = name;
  for (int n = 2; !taken_.insert(folded(candidate)).second; ++n) {
    candidate = name + "_" + std::to_string(n);
  }
  return candidate;
}

std::string UniqueNames::folded(std::string_view name) const {
  std::string out(name);
  if (!ignore_case_) return out;
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace twinscan::exports
