#include "analyzer/server/desk_app.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "analyzer/engine/request.h"
#include "analyzer/engine/scan.h"
#include "analyzer/engine/screen.h"
#include "analyzer/model/date.h"
#include "analyzer/report/format_table.h"
#include "analyzer/report/report_context.h"
#include "analyzer/rules/screen_anchoring.h"
#include "analyzer/server/json_body.h"

namespace twinscan::server {
namespace {

namespace fs = std::filesystem;

std::string sha256_hex(std::string_view data) {
  if (sodium_init() < 0) return {};
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char b : digest) {
    out += kHex[b >> 4U];
    out += kHex[b & 0x0FU];
  }
  return out;
}

bool read_file(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return true;
}

/// "sha256:HEX" over the files' names and contents, folders walked in name order.
std::string version_of(const std::vector<std::string>& paths) {
  std::vector<fs::path> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::recursive_directory_iterator(p, ec)) {
        if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
      }
    } else if (!p.empty()) {
      files.emplace_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  std::string listing;
  for (const auto& f : files) {
    std::string content;
    if (!read_file(f, content)) continue;
    listing += f.filename().string() + " " + sha256_hex(content) + "\n";
  }
  return "sha256:" + sha256_hex(listing);
}

/// The request's problems, its private file named as the user named it.
std::vector<std::string> problems_of(const diag::Diagnostics& diagnostics, const std::string& path,
                                     const std::string& name) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics.all()) {
    if (d.severity != diag::Severity::kError) continue;
    std::string line = d.to_string();
    for (std::size_t at = line.find(path); at != std::string::npos; at = line.find(path, at)) {
      line.replace(at, path.size(), name);
      at += name.size();
    }
    out.push_back(std::move(line));
  }
  return out;
}

/// Deletes the file when it goes out of scope.
struct RemoveOnExit {
  std::string path;
  ~RemoveOnExit() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

}  // namespace

DeskApp::DeskApp(DeskConfig config, desk::DeskStore& store)
    : config_(std::move(config)), store_(store) {}

DeskApp::~DeskApp() {
  if (!temp_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(temp_dir_, ec);
  }
}

std::unique_ptr<DeskApp> DeskApp::start(DeskConfig config, desk::DeskStore& store,
                                        diag::Diagnostics& diagnostics, engine::Outcome& failure) {
  std::unique_ptr<DeskApp> app(new DeskApp(std::move(config), store));
  app->catalogue_ = engine::Catalogue::load(app->config_.rules, diagnostics, &failure);
  if (!app->catalogue_) return nullptr;
  // Each screening merges its request into a private copy of the registry.
  engine::RegistrySpec spec = app->config_.registry;
  spec.private_copies = true;
  app->registry_ = engine::Registry::open(spec, diagnostics, &failure);
  if (!app->registry_) return nullptr;

  engine::RunOptions options;
  options.as_of = *model::parse_date(app->as_of());
  options.jobs = std::max(1U, app->config_.scan_jobs);
  options.limits = app->config_.limits;
  engine::RunResult scan = engine::scan(*app->registry_, *app->catalogue_, options, diagnostics);
  if (scan.outcome != engine::Outcome::kOk) {
    failure = scan.outcome;
    return nullptr;
  }
  const model::Graph& graph = app->registry_->graph();
  std::vector<std::string> fingerprints;
  for (const auto& f : scan.findings) {
    app->findings_.add(record_of(graph, f, 0, GraphLife::kOutlivesDesk));
    fingerprints.push_back(f.fingerprint);
  }
  store.record_first_seen(fingerprints);
  // Findings of earlier screenings stay reachable by fingerprint (newest first wins).
  for (const auto& s : store.screenings(0)) {
    rapidjson::Document doc;
    std::string ignored;
    if (!parse_json_body(s.result_json, doc, ignored) || !doc.IsObject()) continue;
    // HasMember rather than comparing member iterators: clang reads that comparison as
    // ambiguous under C++20.
    if (!doc.HasMember("findings") || !doc["findings"].IsArray()) continue;
    const rapidjson::Value* words = member(doc, kEvidenceWords);
    for (const auto& f : doc["findings"].GetArray()) {
      if (f.IsObject()) app->findings_.add(record_from_json(f, graph, s.id, words));
    }
    if (std::string agreement = agreement_of(doc); !agreement.empty()) {
      app->agreements_[s.id] = std::move(agreement);
    }
  }

  std::vector<std::string> registry_files = app->config_.registry.paths;
  registry_files.push_back(app->config_.registry.judgements);
  app->registry_version_ = version_of(registry_files);
  std::set<std::string> rule_files;
  for (const auto& r : app->catalogue_->rules()) rule_files.insert(r.file);
  app->rules_version_ = std::string("twinscan ") + TWINSCAN_VERSION + ", rules " +
                        version_of({rule_files.begin(), rule_files.end()});

  std::string dir = (fs::temp_directory_path() / "twinscan-desk-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) {
    diagnostics.error({}, "cannot create a private folder for uploaded requests in " +
                              fs::temp_directory_path().string());
    failure = engine::Outcome::kBadUsage;
    return nullptr;
  }
  app->temp_dir_ = dir;
  return app;
}

const rules::Rule* DeskApp::rule(const std::string& id) const {
  for (const auto& r : catalogue_->rules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

bool DeskApp::is_since_date(const std::string& text) {
  return text.size() == 10 && text[4] == '-' && text[7] == '-' &&
         model::parse_date(text).has_value();
}

std::string DeskApp::as_of() const {
  return config_.as_of.empty() ? model::today_utc().to_string() : config_.as_of;
}

ScreeningResult DeskApp::screen(const std::string& document, const std::string& name,
                                const desk::User& by) {
  ScreeningResult out;
  // The engine reads requests from files: a private one per screening, removed after.
  std::string path = temp_dir_ + "/request-XXXXXX.json";
  const int fd = ::mkstemps(path.data(), 5);
  if (fd < 0) {
    out.status = 500;
    out.error = "cannot write the request to the desk's private folder";
    return out;
  }
  const RemoveOnExit remove{path};
  std::size_t written = 0;
  while (written < document.size()) {
    const ssize_t n = ::write(fd, document.data() + written, document.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (written != document.size()) {
    out.status = 500;
    out.error = "cannot write the request to the desk's private folder";
    return out;
  }

  diag::Diagnostics diagnostics;
  engine::Outcome failure = engine::Outcome::kOk;
  // The request goes into a private copy of the registry: concurrent screenings never
  // see each other's requests.
  const auto request = engine::Request::merge(*registry_, path, diagnostics, &failure);
  engine::RunOptions options;
  options.as_of = *model::parse_date(as_of());
  options.jobs = 1;
  options.limits = config_.limits;
  std::optional<engine::RunResult> result;
  if (request) result = engine::screen(*request, *catalogue_, options, diagnostics);
  if (!request || result->outcome != engine::Outcome::kOk) {
    out.status = 400;
    out.problems = problems_of(diagnostics, path, name);
    out.error = "the request cannot be screened";
    if (!out.problems.empty()) out.error += ": " + out.problems.front();
    return out;
  }

  report::ReportContext context;
  context.graph = &request->merged().graph();
  context.rules = &catalogue_->rules();
  context.findings = std::move(result->findings);
  context.as_of = options.as_of.to_string();
  context.home_country = result->home_country;
  context.verdict = std::string(engine::verdict(context.findings));
  std::ostringstream report_text;
  report::write_report(context, "json", report_text);
  // The request's agreements: its own entities only (the end of the merged graph),
  // never a walk over the registry's.
  const model::Graph& merged = *context.graph;
  std::string agreements;
  if (const auto kind = merged.schema().find_kind("Agreement")) {
    for (const auto v : rules::request_elements(merged, request->document()).entities) {
      if (merged.kind(v) != *kind) continue;
      if (!agreements.empty()) agreements += " and ";
      agreements += std::string(merged.name(v));
    }
  }
  // Kept with the result: what the pages say of its findings, once the request is in no
  // graph the desk holds (after a restart).
  rapidjson::Document stored;
  std::string unread;
  if (parse_json_body(report_text.str(), stored, unread) && stored.IsObject()) {
    add_evidence_words(stored, merged, context.findings, agreements);
  }

  desk::Screening s;
  s.by = by.name;
  s.request_name = name;
  s.request_sha256 = sha256_hex(document);
  s.registry_version = registry_version_;
  s.rules_version = rules_version_;
  s.verdict = *context.verdict;
  s.result_json = stored.IsObject() ? to_json(stored) : report_text.str();
  out.id = store_.record_screening(s);
  out.verdict = s.verdict;
  {
    const std::lock_guard lock(agreements_mutex_);
    agreements_[out.id] = agreements;
  }
  std::vector<std::string> fingerprints;
  for (const auto& f : context.findings) {
    findings_.add(record_of(*context.graph, f, out.id, GraphLife::kEndsNow));
    fingerprints.push_back(f.fingerprint);
  }
  store_.record_first_seen(fingerprints);

  rapidjson::Document parsed;
  std::string ignored;
  const bool parsed_ok = parse_json_body(report_text.str(), parsed, ignored) && parsed.IsObject();
  rapidjson::Document answer(rapidjson::kObjectType);
  auto& alloc = answer.GetAllocator();
  answer.AddMember("screening", out.id, alloc);
  // A counted loop: clang reads member-iterator comparisons as ambiguous under C++20.
  for (rapidjson::SizeType i = 0; parsed_ok && i < parsed.MemberCount(); ++i) {
    auto& m = *(parsed.MemberBegin() + i);
    answer.AddMember(rapidjson::Value(m.name, alloc), rapidjson::Value(m.value, alloc), alloc);
  }
  out.json = to_json(answer);
  return out;
}

DecisionResult DeskApp::decide(desk::Decision decision, const desk::User& by) {
  if (!findings_.contains(decision.fingerprint)) {
    return {404, "no finding of the registry or of a screening has the fingerprint " +
                     decision.fingerprint};
  }
  decision.by = by.name;
  if (decision.decision != "suppressed") decision.expires.clear();
  std::string error;
  if (!store_.record_decision(decision, error)) return {400, error};
  return {};
}

std::string DeskApp::status_of(const std::optional<desk::Decision>& decision,
                               const std::string& today) {
  if (!decision) return "open";
  if (decision->decision == "suppressed" && !decision->expires.empty() &&
      decision->expires < today) {
    return "open";
  }
  return decision->decision;
}

std::map<std::string, std::string> DeskApp::decided_statuses() const {
  std::map<std::string, std::string> out;
  const std::string today = as_of();
  for (const auto& d : store_.current_decisions()) out[d.fingerprint] = status_of(d, today);
  for (const auto& [fp, assignee] : store_.current_assignees()) {
    const auto it = out.find(fp);
    out[fp] = shown_status(it == out.end() ? "open" : it->second, true);
  }
  return out;
}

std::string DeskApp::request_agreement(std::int64_t screening) const {
  const std::lock_guard lock(agreements_mutex_);
  const auto it = agreements_.find(screening);
  return it == agreements_.end() ? std::string() : it->second;
}

std::vector<std::string> DeskApp::bundled_requests() const {
  std::vector<std::string> names;
  std::error_code ec;
  if (config_.requests_dir.empty() || !fs::is_directory(config_.requests_dir, ec)) return names;
  for (const auto& e : fs::directory_iterator(config_.requests_dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".json") {
      names.push_back(e.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool DeskApp::read_bundled_request(const std::string& name, std::string& out) const {
  const auto names = bundled_requests();
  if (std::find(names.begin(), names.end(), name) == names.end()) return false;
  return read_file(fs::path(config_.requests_dir) / name, out);
}

}  // namespace twinscan::server
