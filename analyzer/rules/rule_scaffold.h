#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace twinscan::rules {

/// What `twinscan rules new` is asked to create.
struct ScaffoldRequest {
  std::string id;                         ///< The new rule's id, also its folder's name.
  std::string category = "data-quality";  ///< One of the rule schema's categories.
  std::string severity = "medium";        ///< One of the rule schema's severities.
  std::string rules_dir;                  ///< The folder that holds the rule folders.
  std::string docs_dir;                   ///< The folder of the rule doc pages.
};

/// The values the rule schema (data/rule.schema.json) allows for a top-level property
/// with an enumeration ("category", "severity", "precision"); empty for any other.
std::vector<std::string> rule_schema_values(std::string_view property);

/// How a scaffold ended.
enum class ScaffoldStatus {
  kWritten,      ///< Every file is written.
  kInvalid,      ///< The id, category or severity is not one the rule schema allows.
  kCannotWrite,  ///< The rule folder or doc page exists already, or a file cannot be written.
};

/// Writes a new rule folder, `rules_dir/id/`: a rule.json that the rule schema accepts,
/// with a placeholder match, message and texts that say what to write in their place;
/// a bad.json fixture the placeholder finds and a good.json it does not (both registry
/// documents); bad.out, the golden output of bad.json holding only its header; and the
/// doc page `docs_dir/id.md` generated from the rule. Checks the request, and that
/// neither the folder nor the page exists, before writing anything. Appends each path
/// written to `written`; sets `error` unless every file is written.
ScaffoldStatus scaffold_rule(const ScaffoldRequest& request, std::vector<std::string>& written,
                             std::string& error);

}  // namespace twinscan::rules
