#pragma once

#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/report/report_context.h"

namespace twinscan::report {

/// How reading a baseline or a suppression file went.
enum class ReviewFileStatus { kOk, kMissing, kInvalid };

/// Marks each finding new or unchanged against an earlier JSON report, and lists the
/// baseline's findings that are gone as resolved. Reports why when the baseline is
/// missing or cannot be read.
ReviewFileStatus apply_baseline(const std::string& path, ReportContext& context,
                                diag::Diagnostics& diagnostics);

/// One suppression, from a file or the desk's decisions; `where` is what warnings about it
/// point at (its place in the file, or the desk database).
struct Suppression {
  std::string fingerprint;
  std::string justification;
  std::string author;
  std::string expires;  ///< An ISO 8601 date.
  diag::SourceLocation where;
};

/// Moves the findings that `suppressions` name to ReportContext::suppressed, as
/// apply_suppressions does for a file: one that expired before `as_of` is reported as a
/// warning and no longer applies, and, when `warn_unmatched`, so is one that matches no
/// finding.
void apply_suppression_list(const std::vector<Suppression>& suppressions, const model::Date& as_of,
                            ReportContext& context, diag::Diagnostics& diagnostics,
                            bool warn_unmatched = true);

/// Moves the findings named in a suppression file to ReportContext::suppressed. A
/// suppression file is `{"suppressions": [{"fingerprint", "justification", "author",
/// "expires"}]}`; an expired entry no longer applies and is reported as a warning, and so
/// is, when `warn_unmatched`, an entry that matches no finding (a stale or mistyped
/// fingerprint; a screening sees only the findings of its request, so it does not warn).
ReviewFileStatus apply_suppressions(const std::string& path, const model::Date& as_of,
                                    ReportContext& context, diag::Diagnostics& diagnostics,
                                    bool warn_unmatched = true);

}  // namespace twinscan::report
