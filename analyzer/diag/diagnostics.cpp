#include "analyzer/diag/diagnostics.h"

#include <ostream>

#include "analyzer/util/terminal_text.h"

namespace twinscan::diag {
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

const char* plural_label(Severity s) {
  switch (s) {
    case Severity::kError:
      return "errors";
    case Severity::kWarning:
      return "warnings";
    case Severity::kNote:
      return "notes";
  }
  return "errors";
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::string Diagnostic::to_string() const {
  std::string out;
  if (!where.file.empty()) {
    out += util::escape_for_terminal(where.file);
    if (where.line > 0) {
      out += ':' + std::to_string(where.line) + ':' + std::to_string(where.column);
    }
    out += ": ";
  } else {
    out += "twinscan: ";
  }
  out += label(severity);
  out += ": ";
  out += util::escape_for_terminal(message);
  if (!excerpt.empty()) {
    out += '\n';
    out += excerpt;
  }
  return out;
}

std::string Diagnostics::kind_of(const std::string& message) {
  std::string out;
  out.reserve(message.size());
  for (std::size_t i = 0; i < message.size();) {
    const char c = message[i];
    if (c == '\'' || c == '"') {
      const std::size_t close = message.find(c, i + 1);
      if (close != std::string::npos) {
        out += c;
        out += '*';
        out += c;
        i = close + 1;
        continue;
      }
    }
    if (is_digit(c)) {
      out += '#';
      while (i < message.size() && is_digit(message[i])) ++i;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

void Diagnostics::report(Diagnostic d) {
  if (d.severity == Severity::kError) ++errors_;
  if (limit_ > 0) {
    std::string key = kind_of(d.message);
    key += static_cast<char>('0' + static_cast<int>(d.severity));
    KindCount& count = kinds_[key];
    if (++count.seen > limit_) {
      if (count.seen == limit_ + 1) {
        count.first_left_out = std::move(d);
        overflowing_.push_back(std::move(key));
      }
      return;
    }
  }
  if (stream_ != nullptr) {
    if (stream_warnings_ || d.severity == Severity::kError) *stream_ << d.to_string() << '\n';
    return;
  }
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

void Diagnostics::stream_to(std::ostream& out, bool include_warnings) {
  stream_ = &out;
  stream_warnings_ = include_warnings;
}

std::size_t Diagnostics::left_out() const {
  std::size_t total = 0;
  for (const auto& key : overflowing_) total += kinds_.at(key).seen - limit_;
  return total;
}

void Diagnostics::print(std::ostream& out, bool include_warnings) const {
  for (const auto& d : items_) {
    if (!include_warnings && d.severity != Severity::kError) continue;
    out << d.to_string() << '\n';
  }
  for (const auto& key : overflowing_) {
    const KindCount& count = kinds_.at(key);
    const Diagnostic& first = count.first_left_out;
    if (!include_warnings && first.severity != Severity::kError) continue;
    const std::size_t more = count.seen - limit_;
    Diagnostic summary;
    summary.severity = Severity::kNote;
    summary.message = std::to_string(more) + " more " +
                      (more == 1 ? label(first.severity) : plural_label(first.severity)) +
                      " of this kind left out (" + std::to_string(limit_) +
                      " are shown per kind), the first at " + first.where.file;
    if (first.where.line > 0) {
      summary.message +=
          ":" + std::to_string(first.where.line) + ":" + std::to_string(first.where.column);
    }
    summary.message += ": " + first.message;
    out << summary.to_string() << '\n';
  }
}

void Diagnostics::clear() {
  items_.clear();
  errors_ = 0;
  kinds_.clear();
  overflowing_.clear();
}

}  // namespace twinscan::diag
