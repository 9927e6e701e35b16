#include "analyzer/io/diagnostics.h"

#include <ostream>

namespace twinscan::io {
namespace {

const char* label(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

}  // namespace

std::string Diagnostic::to_string() const {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) {
      out += ':' + std::to_string(where.line) + ':' + std::to_string(where.column);
    }
    out += ": ";
  } else {
    out += "twinscan: ";
  }
  out += label(severity);
  out += ": ";
  out += message;
  if (!excerpt.empty()) {
    out += '\n';
    out += excerpt;
  }
  return out;
}

void Diagnostics::report(Diagnostic d) {
  if (d.severity == Severity::kError) ++errors_;
  items_.push_back(std::move(d));
}

void Diagnostics::error(SourceLocation where, std::string message) {
  report({Severity::kError, std::move(where), std::move(message), {}});
}

void Diagnostics::warning(SourceLocation where, std::string message) {
  report({Severity::kWarning, std::move(where), std::move(message), {}});
}

void Diagnostics::note(SourceLocation where, std::string message) {
  report({Severity::kNote, std::move(where), std::move(message), {}});
}

void Diagnostics::print(std::ostream& out, bool include_warnings) const {
  for (const auto& d : items_) {
    if (!include_warnings && d.severity != Severity::kError) continue;
    out << d.to_string() << '\n';
  }
}

void Diagnostics::clear() {
  items_.clear();
  errors_ = 0;
}

}  // namespace twinscan::io
