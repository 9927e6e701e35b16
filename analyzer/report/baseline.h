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

/// Moves the findings named in a suppression file to ReportContext::suppressed. A
/// suppression file is `{"suppressions": [{"fingerprint", "justification", "author",
/// "expires"}]}`; an expired entry no longer applies and is reported as a warning, and so
/// is, when `warn_unmatched`, an entry that matches no finding (a stale or mistyped
/// fingerprint; a screening sees only the findings of its request, so it does not warn).
ReviewFileStatus apply_suppressions(const std::string& path, const model::Date& as_of,
                                    ReportContext& context, diag::Diagnostics& diagnostics,
                                    bool warn_unmatched = true);

}  // namespace twinscan::report
