#pragma once

#include <string_view>

namespace twinscan::util {

/// data/schema.json as it was when the binary was built.
std::string_view builtin_schema_text();
/// data/rule.schema.json (JSON Schema draft-04 of rule files) as built in.
std::string_view rule_schema_text();
/// data/shared-params.json: the parameters every rule may read, declared once.
std::string_view shared_params_text();
/// data/import-mapping.schema.json: the mapping files of `twinscan import csv`.
std::string_view import_mapping_schema_text();

}  // namespace twinscan::util
