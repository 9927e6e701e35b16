#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/identity/name_forms.h"

namespace twinscan::identity {

/// How telling each word is within each kind of entity: rare words ("freiburg") weigh
/// much, common ones ("city", "ltd") little (inverse document frequency: log(1 + N/n)
/// for a word in n of the kind's N entities), and how common each whole name is.
class TokenWeights {
 public:
  TokenWeights(const model::Graph& graph, const std::vector<std::vector<NameForm>>& forms);

  /// Entities of `kind` whose names hold `token`.
  [[nodiscard]] std::uint32_t frequency(model::KindId kind, std::string_view token) const;
  [[nodiscard]] double weight(model::KindId kind, std::string_view token) const;
  /// Entities of `kind` one of whose names or aliases is `joined` (a NameForm::joined):
  /// how common the whole name is.
  [[nodiscard]] std::uint32_t name_frequency(model::KindId kind, std::string_view joined) const;
  /// Fills NameForm::weights, norm and bearers of every form.
  void assign(const model::Graph& graph, std::vector<std::vector<NameForm>>& forms) const;

 private:
  static std::string key(model::KindId kind, std::string_view token);
  std::unordered_map<std::string, std::uint32_t> frequency_;
  std::unordered_map<std::string, std::uint32_t> name_frequency_;
  std::vector<std::uint32_t> entities_;  // per kind
};

}  // namespace twinscan::identity
