// Findings as cases: notes and assignment, which follow a finding by its fingerprint like
// decisions, and the status they give it.
#include "analyzer/server/desk_app.h"

namespace twinscan::server {

DecisionResult DeskApp::add_note(const std::string& fingerprint, std::string text,
                                 const desk::User& by) {
  if (!findings_.contains(fingerprint)) {
    return {404, "no finding of the registry or of a screening has the fingerprint " + fingerprint};
  }
  // A browser's textarea sends CRLF line ends: kept as LF.
  std::string plain;
  plain.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    plain += text[i];
  }
  desk::Note note;
  note.fingerprint = fingerprint;
  note.text = std::move(plain);
  note.by = by.name;
  std::string error;
  if (store_.add_note(note, error) == 0) return {400, error};
  return {};
}

DecisionResult DeskApp::assign(const std::string& fingerprint, const std::string& assignee,
                               const desk::User& by) {
  if (!findings_.contains(fingerprint)) {
    return {404, "no finding of the registry or of a screening has the fingerprint " + fingerprint};
  }
  std::string error;
  if (!store_.assign({fingerprint, assignee, by.name, ""}, error)) return {400, error};
  return {};
}

std::string DeskApp::shown_status(const std::string& decided_status, bool assigned) {
  return decided_status == "open" && assigned ? "in-progress" : decided_status;
}

std::string DeskApp::status_now(const std::string& fingerprint) const {
  const auto history = store_.decisions(fingerprint);
  const std::string decided = status_of(
      history.empty() ? std::nullopt : std::optional<desk::Decision>(history.back()), as_of());
  const auto assignments = store_.assignments(fingerprint);
  return shown_status(decided, !assignments.empty() && !assignments.back().assignee.empty());
}

}  // namespace twinscan::server
