#include "analyzer/server/finding_index.h"

#include <algorithm>
#include <mutex>

#include "analyzer/report/evidence_drawing.h"
#include "analyzer/report/report_context.h"
#include "analyzer/server/json_body.h"

namespace twinscan::server {
std::mutex& graphviz_mutex() {
  static std::mutex m;
  return m;
}

std::string dot_to_svg_in_turn(const std::string& dot) {
  const std::lock_guard lock(graphviz_mutex());
  return report::dot_to_svg(dot);
}

FindingRecord record_of(const model::Graph& graph, const rules::Finding& finding,
                        std::int64_t screening, GraphLife life) {
  FindingRecord r;
  r.fingerprint = finding.fingerprint;
  r.rule = finding.rule->id;
  r.category = finding.category;
  r.severity = std::string(rules::to_string(finding.severity));
  r.precision = std::string(rules::to_string(finding.rule->precision));
  r.title = finding.title;
  r.message = finding.message;
  r.bindings = finding.bindings;
  for (const auto v : finding.entities) {
    r.entities.emplace_back(std::string(graph.id(v)), std::string(graph.name(v)));
  }
  for (const auto rel : finding.relations) {
    r.relations.emplace_back(std::string(graph.relation_id(rel)),
                             report::describe_relation(graph, rel));
    r.relation_words.push_back(relation_in_words(graph, rel));
  }
  r.screening = screening;
  if (life == GraphLife::kOutlivesDesk) {
    r.evidence_dot = [&graph, finding] { return report::evidence_dot(graph, finding); };
  } else {
    r.evidence_dot = [dot = report::evidence_dot(graph, finding)] { return dot; };
  }
  return r;
}

FindingRecord record_from_json(const rapidjson::Value& finding, const model::Graph& names,
                               std::int64_t screening) {
  FindingRecord r;
  r.fingerprint = text_member(finding, "fingerprint");
  r.rule = text_member(finding, "rule");
  r.category = text_member(finding, "category");
  r.severity = text_member(finding, "severity");
  r.precision = text_member(finding, "precision");
  r.title = text_member(finding, "title");
  r.message = text_member(finding, "message");
  if (const rapidjson::Value* b = member(finding, "bindings"); b && b->IsObject()) {
    for (rapidjson::SizeType i = 0; i < b->MemberCount(); ++i) {
      const auto& m = *(b->MemberBegin() + i);
      if (m.value.IsString()) r.bindings.emplace_back(m.name.GetString(), m.value.GetString());
    }
  }
  if (const rapidjson::Value* e = member(finding, "entities"); e && e->IsArray()) {
    for (const auto& id : e->GetArray()) {
      if (!id.IsString()) continue;
      const auto v = names.find(id.GetString());
      r.entities.emplace_back(id.GetString(),
                              v ? std::string(names.name(*v)) : std::string(id.GetString()));
    }
  }
  if (const rapidjson::Value* e = member(finding, "relations"); e && e->IsArray()) {
    for (const auto& id : e->GetArray()) {
      if (id.IsString()) r.relations.emplace_back(id.GetString(), id.GetString());
    }
  }
  r.screening = screening;
  return r;
}

void FindingIndex::add(FindingRecord record) {
  const std::unique_lock lock(mutex_);
  if (by_fingerprint_.count(record.fingerprint) != 0) return;
  by_fingerprint_.emplace(record.fingerprint, records_.size());
  records_.push_back(std::move(record));
}

bool FindingIndex::contains(const std::string& fingerprint) const {
  const std::shared_lock lock(mutex_);
  return by_fingerprint_.count(fingerprint) != 0;
}

std::optional<FindingRecord> FindingIndex::find(const std::string& fingerprint) {
  FindingRecord found;
  std::size_t index = 0;
  {
    const std::shared_lock lock(mutex_);
    const auto it = by_fingerprint_.find(fingerprint);
    if (it == by_fingerprint_.end()) return std::nullopt;
    index = it->second;
    found = records_[index];
  }
  if (found.svg.empty() && found.evidence_dot) {
    const std::string dot = found.evidence_dot();
    {
      const std::lock_guard lock(graphviz_mutex());
      found.svg = report::dot_to_svg(dot);
    }
    const std::unique_lock lock(mutex_);
    records_[index].svg = found.svg;  // records are never removed, so the index holds
  }
  return found;
}

std::optional<FindingRecord> FindingIndex::find_undrawn(const std::string& fingerprint) const {
  const std::shared_lock lock(mutex_);
  const auto it = by_fingerprint_.find(fingerprint);
  if (it == by_fingerprint_.end()) return std::nullopt;
  return records_[it->second];
}

std::vector<FindingRecord> FindingIndex::registry_findings() const {
  const std::shared_lock lock(mutex_);
  std::vector<FindingRecord> out;
  for (const auto& r : records_) {
    if (r.screening == 0) out.push_back(r);
  }
  return out;
}

std::vector<FindingRecord> FindingIndex::registry_findings_involving(const std::string& id) const {
  const std::shared_lock lock(mutex_);
  std::vector<FindingRecord> out;
  for (const auto& r : records_) {
    if (r.screening == 0 && std::any_of(r.entities.begin(), r.entities.end(),
                                        [&id](const auto& e) { return e.first == id; })) {
      out.push_back(r);
    }
  }
  return out;
}

std::size_t FindingIndex::size() const {
  const std::shared_lock lock(mutex_);
  return records_.size();
}

}  // namespace twinscan::server
