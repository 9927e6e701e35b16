// The follow-up page: the indicators of `twinscan indicators` with the same charts, as of
// the desk's date, grouped as the reader asks; and the same data as JSON for the API.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "analyzer/followup/indicator_writers.h"
#include "analyzer/followup/indicators.h"
#include "analyzer/server/html.h"
#include "analyzer/server/json_body.h"
#include "analyzer/server/page_layout.h"
#include "analyzer/server/pages.h"

namespace twinscan::server::pages {
namespace {

// Counted indicators by registry and rules version, date and grouping: the registry of a
// running desk does not change, so a count stays true for its date (a few entries: the
// groupings of today, and of yesterday until the first request of the day).
class IndicatorCache {
 public:
  bool find(const std::string& key, followup::Indicators& out) {
    const std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end()) return false;
    out = it->second;
    return true;
  }
  void keep(const std::string& key, const followup::Indicators& value) {
    const std::lock_guard lock(mutex_);
    if (entries_.size() >= 16) entries_.clear();
    entries_.emplace(key, value);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, followup::Indicators> entries_;
};

IndicatorCache& cache() {
  static IndicatorCache instance;
  return instance;
}

// The indicators as of the desk's date, grouped by `by_text` (a dimension or ""): false
// with `error` set when `by_text` names no dimension or a rule failed to run.
bool indicators_of(DeskApp& app, const std::string& by_text, followup::Indicators& out,
                   std::string& error) {
  std::vector<followup::Dimension> by;
  if (!by_text.empty()) {
    const auto d = followup::parse_dimension(by_text);
    if (!d) {
      error = "Group by one of " + followup::dimension_names() + ".";
      return false;
    }
    by.push_back(*d);
  }
  const std::string as_of = app.as_of();
  const std::string key = app.registry_version() + '\n' + app.rules_version() + '\n' +
                          app.registry().home_country().code + '\n' + as_of + '\n' + by_text;
  if (cache().find(key, out)) return true;
  engine::RunOptions options;
  options.as_of = *model::parse_date(as_of);
  options.jobs = std::max(1U, app.config().scan_jobs);
  options.limits = app.config().limits;
  diag::Diagnostics diagnostics;
  if (!followup::compute_indicators(app.registry(), app.catalogue(), options, by, out,
                                    diagnostics)) {
    error = "The indicators could not be counted: a rule failed to run.";
    return false;
  }
  cache().keep(key, out);
  return true;
}

}  // namespace

HttpResponse followup(const PageCall& call) {
  const std::string by = call.request.param("by");
  followup::Indicators indicators;
  std::string error;
  if (!indicators_of(call.app, by, indicators, error)) {
    return error_page(by.empty() || followup::parse_dimension(by) ? 500 : 400, &call.session,
                      error);
  }
  std::string body =
      "<p>How the registry's twin-city ties, agreements and projects stand as of " +
      escape_html(indicators.as_of) +
      ": the counts government units follow them up by. Notification is judged by the "
      "same rules as the findings (agreements notified within the period, late, never, not "
      "yet due, or that cannot be judged). <code>twinscan indicators</code> writes the same "
      "counts as text, JSON, CSV or a page like this one.</p>\n"
      "<form class=\"search\" method=\"get\" action=\"/follow-up\"><label>Group by <select "
      "name=\"by\" id=\"followup-by\"><option value=\"\">nothing (totals)</option>";
  for (const char* d : {"municipality", "country", "year", "type", "status", "sector"}) {
    body += std::string("<option value=\"") + d + "\"" + (by == d ? " selected" : "") + ">" + d +
            "</option>";
  }
  body += "</select></label> <button type=\"submit\">Show</button></form>\n";
  body += followup::indicator_sections_html(call.app.registry().graph(), indicators);
  return html_page(200, "Follow-up", &call.session, body);
}

HttpResponse followup_json(DeskApp& app, const HttpRequest& request) {
  followup::Indicators indicators;
  std::string error;
  const std::string by = request.param("by");
  if (!indicators_of(app, by, indicators, error)) {
    return json_error(by.empty() || followup::parse_dimension(by) ? 500 : 400, error);
  }
  return json_response(200,
                       followup::render_indicators(app.registry().graph(), indicators, "json"));
}

}  // namespace twinscan::server::pages
