#pragma once

#include <string>
#include <vector>

#include "analyzer/io/diagnostics.h"
#include "analyzer/report/report_context.h"

namespace twinscan::report {

/// Marks each finding new or unchanged against an earlier JSON report, and lists the
/// baseline's findings that are gone as resolved. Returns false after reporting when the
/// baseline cannot be read.
bool apply_baseline(const std::string& path, ReportContext& context, io::Diagnostics& diagnostics);

/// Moves the findings named in a suppression file to ReportContext::suppressed. A
/// suppression file is `{"suppressions": [{"fingerprint", "justification", "author",
/// "expires"}]}`; an expired entry no longer applies and is reported as a warning.
bool apply_suppressions(const std::string& path, const model::Date& as_of, ReportContext& context,
                        io::Diagnostics& diagnostics);

}  // namespace twinscan::report
