#include "analyzer/server/finding_index.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "analyzer/report/evidence_drawing.h"
#include "analyzer/report/report_context.h"
#include "analyzer/server/json_body.h"
#include "analyzer/server/relation_words.h"

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
  r.bindings = finding.bindings.to_vector();
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

void add_evidence_words(rapidjson::Document& result, const model::Graph& graph,
                        const rules::FindingList& findings, const std::string& agreement) {
  auto& alloc = result.GetAllocator();
  auto text = [&](std::string_view t) {
    return rapidjson::Value(t.data(), static_cast<rapidjson::SizeType>(t.size()), alloc);
  };
  rapidjson::Value entities(rapidjson::kObjectType);
  rapidjson::Value relations(rapidjson::kObjectType);
  rapidjson::Value drawings(rapidjson::kObjectType);
  std::set<model::VertexId> named;
  std::set<model::RelationId> said;
  for (const auto& f : findings) {
    for (const auto v : f.entities) {
      if (named.insert(v).second) entities.AddMember(text(graph.id(v)), text(graph.name(v)), alloc);
    }
    for (const auto r : f.relations) {
      if (!said.insert(r).second) continue;
      const RelationInWords w = relation_in_words(graph, r);
      rapidjson::Value words(rapidjson::kObjectType);
      words.AddMember("from_id", text(w.from_id), alloc);
      words.AddMember("from_name", text(w.from_name), alloc);
      words.AddMember("kind", text(w.kind), alloc);
      words.AddMember("to_id", text(w.to_id), alloc);
      words.AddMember("to_name", text(w.to_name), alloc);
      words.AddMember("share", text(w.share), alloc);
      words.AddMember("described", text(report::describe_relation(graph, r)), alloc);
      relations.AddMember(text(graph.relation_id(r)), words, alloc);
    }
    if (!drawings.HasMember(f.fingerprint.c_str()))
      drawings.AddMember(text(f.fingerprint), text(report::evidence_dot(graph, f)), alloc);
  }
  rapidjson::Value kept(rapidjson::kObjectType);
  kept.AddMember("agreement", text(agreement), alloc);
  kept.AddMember("entities", entities, alloc);
  kept.AddMember("relations", relations, alloc);
  kept.AddMember("drawings", drawings, alloc);
  result.AddMember(rapidjson::StringRef(kEvidenceWords), kept, alloc);
}

std::string agreement_of(const rapidjson::Value& result) {
  const rapidjson::Value* kept = member(result, kEvidenceWords);
  return kept != nullptr && kept->IsObject() ? text_member(*kept, "agreement") : std::string();
}

FindingRecord record_from_json(const rapidjson::Value& finding, const model::Graph& names,
                               std::int64_t screening, const rapidjson::Value* words) {
  const rapidjson::Value* kept_entities = words ? member(*words, "entities") : nullptr;
  const rapidjson::Value* kept_relations = words ? member(*words, "relations") : nullptr;
  const rapidjson::Value* kept_drawings = words ? member(*words, "drawings") : nullptr;
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
      const rapidjson::Value* kept = kept_entities && kept_entities->IsObject()
                                         ? member(*kept_entities, id.GetString())
                                         : nullptr;
      const auto v = names.find(id.GetString());
      r.entities.emplace_back(id.GetString(), kept && kept->IsString() ? kept->GetString()
                                              : v                      ? std::string(names.name(*v))
                                                  : std::string(id.GetString()));
    }
  }
  if (const rapidjson::Value* e = member(finding, "relations"); e && e->IsArray()) {
    for (const auto& id : e->GetArray()) {
      if (!id.IsString()) continue;
      const rapidjson::Value* kept = kept_relations && kept_relations->IsObject()
                                         ? member(*kept_relations, id.GetString())
                                         : nullptr;
      if (kept == nullptr || !kept->IsObject()) {
        r.relations.emplace_back(id.GetString(), id.GetString());
        continue;
      }
      r.relations.emplace_back(id.GetString(), text_member(*kept, "described"));
      r.relation_words.push_back({text_member(*kept, "from_id"), text_member(*kept, "from_name"),
                                  text_member(*kept, "kind"), text_member(*kept, "to_id"),
                                  text_member(*kept, "to_name"), text_member(*kept, "share")});
    }
    // Words for some relations only (a result edited by hand): none, rather than a mix.
    if (r.relation_words.size() != r.relations.size()) r.relation_words.clear();
  }
  if (const rapidjson::Value* dot = kept_drawings && kept_drawings->IsObject()
                                        ? member(*kept_drawings, r.fingerprint.c_str())
                                        : nullptr;
      dot != nullptr && dot->IsString()) {
    r.evidence_dot = [text = std::string(dot->GetString())] { return text; };
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
    // Reviewers read relations in words, also on the drawing (the command-line reports
    // keep the kinds the evidence DOT is written with).
    found.svg = dot_to_svg_in_turn(dot_relations_in_words(found.evidence_dot()));
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

std::vector<FindingRecord> FindingIndex::all_findings() const {
  const std::shared_lock lock(mutex_);
  std::vector<FindingRecord> out;
  out.reserve(records_.size());
  for (const auto& r : records_) {
    if (r.screening == 0) out.push_back(r);
  }
  const std::size_t registry = out.size();
  for (const auto& r : records_) {
    if (r.screening != 0) out.push_back(r);
  }
  std::stable_sort(
      out.begin() + static_cast<std::ptrdiff_t>(registry), out.end(),
      [](const FindingRecord& a, const FindingRecord& b) { return a.screening > b.screening; });
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
