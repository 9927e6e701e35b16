#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/model/schema.h"

namespace twinscan::io {

/// The name the built-in schema's text is kept under (in a snapshot's schema documents).
inline constexpr const char* kBuiltinSchemaName = "<built-in schema>";

/// Reads a schema document and merges it into `schema`: new kinds and properties are
/// added, relation endpoints widened, re-declared properties replaced. Every problem
/// is reported with its location; returns false when there was an error.
bool read_schema(const diag::SourceText& source, model::Schema& schema,
                 diag::Diagnostics& diagnostics);

/// The built-in schema extended by each file of `extensions`, in order. Returns
/// nullptr after reporting when a file is missing (`missing` is then set) or invalid.
/// When `texts` is given, it receives each schema document read (name, text), in order,
/// for a snapshot to carry.
std::shared_ptr<const model::Schema> load_schema(
    const std::vector<std::string>& extensions, diag::Diagnostics& diagnostics, bool& missing,
    std::vector<std::pair<std::string, std::string>>* texts = nullptr);

}  // namespace twinscan::io
