#pragma once

#include <string>

namespace twinscan::io {

enum class DocumentKind { kRegistry, kSchema, kRule, kSnapshot, kUnknown };

/// Tells a schema, rule or registry document apart by its "format" field, and a compiled
/// snapshot by its first bytes, reading only the start of the file. Unreadable files count as
/// registry documents, so that the loader reports them.
DocumentKind sniff_document_kind(const std::string& path);

}  // namespace twinscan::io
