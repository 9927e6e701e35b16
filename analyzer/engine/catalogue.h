#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/outcome.h"
#include "analyzer/engine/registry.h"
#include "analyzer/engine/rule_parameters.h"
#include "analyzer/rules/compiled_rule.h"
#include "analyzer/rules/rule.h"

namespace twinscan::engine {

/// Which rules to load.
struct CatalogueSpec {
  /// Rule folders (searched recursively) or files; empty: the bundled rules/ folder.
  std::vector<std::string> paths;
  bool require_rules = true;  ///< Finding no rule at all is an error (scan, screen).
};

/// The rules and the parameter values they run with. Rules keep their addresses for the
/// catalogue's life: findings point at them.
class Catalogue {
 public:
  /// Loads the rules of `spec`; returns nothing when a path is missing or a rule file is
  /// wrong (every problem reported), with the reason in `failure`.
  static std::optional<Catalogue> load(const CatalogueSpec& spec, diag::Diagnostics& diagnostics,
                                       Outcome* failure = nullptr);
  /// Reads whatever rules `files` (rule files or folders, none by default) hold, for
  /// checking them: a file that is wrong is reported and left out, and `missing` is set
  /// when a path does not exist.
  static Catalogue read(const std::vector<std::string>& files, diag::Diagnostics& diagnostics,
                        bool& missing);

  [[nodiscard]] const std::vector<rules::Rule>& rules() const { return rules_; }
  /// The parameter values given (bind_parameters()), by NAME or RULE-ID.NAME.
  [[nodiscard]] const query::Parameters& parameters() const { return parameters_; }

  /// Checks `given` against the parameters the rules declare (names, rule ids, types;
  /// home-country codes) and keeps them, a later one winning. Reports every problem and
  /// returns false, keeping none.
  bool bind_parameters(const std::vector<GivenParameter>& given, diag::Diagnostics& diagnostics);

  /// Compiles every rule against `registry`, reporting each problem at its place in the
  /// rule file; false when any rule does not compile.
  bool check(const Registry& registry, diag::Diagnostics& diagnostics) const;

 private:
  std::vector<rules::Rule> rules_;
  query::Parameters parameters_;
};

}  // namespace twinscan::engine
