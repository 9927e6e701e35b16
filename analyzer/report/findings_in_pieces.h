#pragma once

#include <algorithm>
#include <cstddef>
#include <string>

#include <rapidjson/prettywriter.h>

#include "analyzer/report/json_output_stream.h"
#include "analyzer/report/report_context.h"
#include "analyzer/util/ordered_render.h"

namespace twinscan::report {

/// Writes the findings of `context` as the elements of the array `w` has open, rendered
/// in pieces of `per_piece` findings on `context.jobs` threads and put into `stream` in
/// order: the JSON report's findings and the SARIF log's results.
///
/// `render(begin, end, text)` appends findings [begin, end) to `text` as `w` would write
/// them, each element's line break and indent before it, and with the comma before each
/// one but the first finding of all. The line break and indent of that first one are
/// `w`'s: it is told of one element (RawValue of nothing), which writes them and makes
/// it close the array on a line of its own; `render` leaves them out.
template <typename Render>
void write_findings_in_pieces(rapidjson::PrettyWriter<JsonOutputStream>& w,
                              JsonOutputStream& stream, const ReportContext& context,
                              std::size_t per_piece, Render&& render) {
  const std::size_t count = context.findings.size();
  if (count == 0) return;
  w.RawValue("", 0, rapidjson::kObjectType);
  util::render_in_order((count + per_piece - 1) / per_piece, context.jobs,
                        4 * std::size_t{context.jobs},
                        [&](std::size_t piece, std::string& text) {
                          const std::size_t begin = piece * per_piece;
                          render(begin, std::min(count, begin + per_piece), text);
                        },
                        [&](const std::string& text) { stream.Append(text.data(), text.size()); });
}

/// The baseline state of finding i: kNone without a baseline.
inline BaselineState baseline_state(const ReportContext& context, std::size_t i) {
  return context.baseline.empty() ? BaselineState::kNone : context.baseline[i];
}

}  // namespace twinscan::report
