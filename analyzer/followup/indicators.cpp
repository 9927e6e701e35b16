#include "analyzer/followup/indicators.h"

#include <algorithm>
#include <map>
#include <set>

#include "analyzer/followup/notification_compliance.h"
#include "analyzer/reconcile/national_map.h"

namespace twinscan::followup {
namespace {

using model::VertexId;
using Values = std::set<std::optional<std::string>>;  // nullopt: not stated

constexpr Dimension kAllDimensions[] = {Dimension::kMunicipality, Dimension::kCountry,
                                        Dimension::kYear,         Dimension::kType,
                                        Dimension::kStatus,       Dimension::kSector};

// Reads the registry's entities the way the indicators count them.
class Reader {
 public:
  Reader(const model::Graph& graph, std::string home) : g_(graph), home_(std::move(home)) {
    municipality_ = g_.schema().find_kind("Municipality");
    central_ = g_.schema().find_kind("CentralAuthority");
    project_ = g_.schema().find_kind("Project");
    agreement_ = g_.schema().find_kind("Agreement");
    party_to_ = g_.schema().find_relation("PARTY_TO");
    concerns_ = g_.schema().find_relation("CONCERNS");
    located_in_ = g_.schema().find_relation("LOCATED_IN");
    for (const char* kind : {"BIDDER_ON", "CONTRACTOR_OF", "OPERATOR_OF", "FINANCIER_OF"}) {
      if (const auto k = g_.schema().find_relation(kind)) participation_.push_back(*k);
    }
  }

  [[nodiscard]] std::span<const VertexId> of_kind(const std::optional<model::KindId>& kind) const {
    if (!kind) return {};
    return g_.vertices_of_kind(*kind);
  }
  [[nodiscard]] const std::optional<model::KindId>& agreement_kind() const { return agreement_; }
  [[nodiscard]] const std::optional<model::KindId>& project_kind() const { return project_; }

  /// A string property, or a date's text; nullopt when absent.
  [[nodiscard]] std::optional<std::string> text(VertexId v, std::string_view key) const {
    const model::Value* value = property(v, key);
    if (value == nullptr) return std::nullopt;
    if (value->type == model::ValueType::kString) return std::string(g_.str(value->string));
    if (value->type == model::ValueType::kDate) return value->date.to_string();
    return std::nullopt;
  }
  [[nodiscard]] std::optional<std::string> year(VertexId v, std::string_view key) const {
    const model::Value* value = property(v, key);
    if (value == nullptr || value->type != model::ValueType::kDate) return std::nullopt;
    return std::to_string(value->date.year);
  }

  /// Whether a party's country makes it foreign (a foreign city or government always).
  [[nodiscard]] std::optional<std::string> foreign_country(VertexId party) const {
    const std::string_view kind = g_.schema().kind(g_.kind(party)).name;
    if (kind == "Municipality" || kind == "CentralAuthority" || kind == "Person") return {};
    const auto country = text(party, "country");
    if (!country) return std::nullopt;
    if (kind == "ForeignCity" || kind == "ForeignGovernment" || home_.empty() || *country != home_)
      return country;
    return std::nullopt;
  }

  // The values of `dimension` for an agreement.
  [[nodiscard]] Values agreement_values(VertexId a, Dimension dimension) const {
    Values out;
    switch (dimension) {
      case Dimension::kMunicipality:
        for (const VertexId p : parties(a)) {
          if (municipality_ && g_.kind(p) == *municipality_) out.insert(std::string(g_.id(p)));
        }
        break;
      case Dimension::kCountry:
        for (const VertexId p : parties(a)) {
          if (auto c = foreign_country(p)) out.insert(std::move(c));
        }
        break;
      case Dimension::kYear:
        out.insert(year(a, "signed_on"));
        return out;
      case Dimension::kType:
        out.insert(text(a, "type"));
        return out;
      case Dimension::kStatus:
        out.insert(text(a, "status"));
        return out;
      case Dimension::kSector:
        if (concerns_) {
          for (const auto& e : g_.out_edges(a, *concerns_)) out.insert(text(e.other, "sector"));
        }
        break;
    }
    if (out.empty()) out.insert(std::nullopt);
    return out;
  }

  // The values of `dimension` for a project.
  [[nodiscard]] Values project_values(VertexId p, Dimension dimension) const {
    Values out;
    switch (dimension) {
      case Dimension::kMunicipality:
        if (located_in_) {
          for (const auto& e : g_.out_edges(p, *located_in_)) {
            if (municipality_ && g_.kind(e.other) == *municipality_)
              out.insert(std::string(g_.id(e.other)));
          }
        }
        for (const VertexId a : agreements_of(p)) {
          for (auto& m : agreement_values(a, Dimension::kMunicipality)) {
            if (m) out.insert(std::move(m));
          }
        }
        break;
      case Dimension::kCountry:
        for (const auto kind : participation_) {
          for (const auto& e : g_.in_edges(p, kind)) {
            if (auto c = foreign_country(e.other)) out.insert(std::move(c));
          }
        }
        for (const VertexId a : agreements_of(p)) {
          for (auto& c : agreement_values(a, Dimension::kCountry)) {
            if (c) out.insert(std::move(c));
          }
        }
        break;
      case Dimension::kYear:
        out.insert(year(p, "started"));
        return out;
      case Dimension::kType:
        return {};  // projects have no type
      case Dimension::kStatus:
        out.insert(text(p, "status"));
        return out;
      case Dimension::kSector:
        out.insert(text(p, "sector"));
        return out;
    }
    if (out.empty()) out.insert(std::nullopt);
    return out;
  }

 private:
  [[nodiscard]] const model::Value* property(VertexId v, std::string_view key) const {
    model::Sym sym = 0;
    if (!g_.strings().find(key, sym)) return nullptr;
    const model::Value* value = g_.property(v, sym);
    return value == nullptr || value->is_null() ? nullptr : value;
  }
  [[nodiscard]] std::vector<VertexId> parties(VertexId a) const {
    std::vector<VertexId> out;
    if (party_to_) {
      for (const auto& e : g_.in_edges(a, *party_to_)) out.push_back(e.other);
    }
    return out;
  }
  [[nodiscard]] std::vector<VertexId> agreements_of(VertexId p) const {
    std::vector<VertexId> out;
    if (concerns_) {
      for (const auto& e : g_.in_edges(p, *concerns_)) out.push_back(e.other);
    }
    return out;
  }

  const model::Graph& g_;
  std::string home_;
  std::optional<model::KindId> municipality_, central_, project_, agreement_;
  std::optional<model::RelKindId> party_to_, concerns_, located_in_;
  std::vector<model::RelKindId> participation_;
};

using Group = std::vector<std::pair<std::string, std::optional<std::string>>>;

// Counts items into groups: each item once in every group its values make.
class Counter {
 public:
  explicit Counter(std::string name) : name_(std::move(name)) {}
  // `axes`: one (key, values) per group key; an item with two values on one axis counts
  // once in each.
  void add(const std::vector<std::pair<std::string, Values>>& axes) {
    Group group;
    walk(axes, 0, group);
  }
  /// Counts `group` as zero when nothing fell in it (the totals a reader looks for).
  void expect(const Group& group) { counts_.try_emplace(group, 0); }
  void append_to(std::vector<Indicator>& out) const {
    for (const auto& [group, value] : counts_) out.push_back({name_, group, value});
  }

 private:
  void walk(const std::vector<std::pair<std::string, Values>>& axes, std::size_t i, Group& group) {
    if (i == axes.size()) {
      ++counts_[group];
      return;
    }
    for (const auto& v : axes[i].second) {
      group.emplace_back(axes[i].first, v);
      walk(axes, i + 1, group);
      group.pop_back();
    }
  }
  struct GroupOrder {
    bool operator()(const Group& a, const Group& b) const {
      // Stated values first, alphabetically; "not stated" last.
      for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
        const auto& x = a[i].second;
        const auto& y = b[i].second;
        if (x == y) continue;
        if (!x) return false;
        if (!y) return true;
        return *x < *y;
      }
      return a.size() < b.size();
    }
  };
  std::string name_;
  std::map<Group, std::uint64_t, GroupOrder> counts_;
};

}  // namespace

const char* to_string(Dimension dimension) {
  switch (dimension) {
    case Dimension::kMunicipality:
      return "municipality";
    case Dimension::kCountry:
      return "country";
    case Dimension::kYear:
      return "year";
    case Dimension::kType:
      return "type";
    case Dimension::kStatus:
      return "status";
    case Dimension::kSector:
      return "sector";
  }
  return "";
}

std::optional<Dimension> parse_dimension(std::string_view text) {
  for (const Dimension d : kAllDimensions) {
    if (text == to_string(d)) return d;
  }
  return std::nullopt;
}

std::string dimension_names() {
  std::string out;
  for (const Dimension d : kAllDimensions) {
    if (!out.empty()) out += ", ";
    out += to_string(d);
  }
  return out;
}

const std::vector<std::string>& indicator_names() {
  static const std::vector<std::string> names{
      "ties",         "agreements",           "projects",
      "notification", "agreements-past-term", "notifications-coming-due"};
  return names;
}

bool compute_indicators(const engine::Registry& registry, const engine::Catalogue& catalogue,
                        const engine::RunOptions& options, const std::vector<Dimension>& by,
                        Indicators& out, diag::Diagnostics& diagnostics) {
  out.as_of = options.as_of.to_string();
  out.by = by;
  AgreementStanding standing;
  if (!judge_agreements(registry, catalogue, options, standing, diagnostics)) return false;
  out.home_country = standing.home_country;
  out.notes = standing.notes;
  const model::Graph& graph = registry.graph();
  const Reader reader(graph, standing.home_country);

  // Ties: the national map's, one per municipality and counterpart.
  Counter ties("ties");
  {
    const reconcile::NationalMap map = reconcile::build_national_map(graph, options.as_of);
    for (const auto& tie : map.ties) {
      std::vector<std::pair<std::string, Values>> axes;
      for (const Dimension d : by) {
        Values values;
        switch (d) {
          case Dimension::kMunicipality:
            values.insert(std::string(graph.id(tie.municipality)));
            break;
          case Dimension::kCountry:
            values.insert(reader.text(tie.counterpart, "country"));
            break;
          case Dimension::kYear: {
            std::optional<model::Date> since;
            for (const auto& s : tie.statements) {
              if (s.since && s.since->type == model::ValueType::kDate &&
                  (!since || s.since->date < *since))
                since = s.since->date;
            }
            values.insert(since ? std::optional<std::string>(std::to_string(since->year))
                                : std::nullopt);
            break;
          }
          case Dimension::kStatus:
            values.insert(model::to_string(tie.state));
            break;
          case Dimension::kType:
          case Dimension::kSector:
            continue;  // not a property of a tie
        }
        axes.emplace_back(to_string(d), std::move(values));
      }
      ties.add(axes);
    }
  }

  // Agreements by type and status; the standing of each from the rules.
  Counter agreements("agreements");
  Counter notification("notification");
  Counter past_term("agreements-past-term");
  Counter coming_due("notifications-coming-due");
  std::map<std::string, std::uint64_t> per_year;
  for (const VertexId a : reader.of_kind(reader.agreement_kind())) {
    std::vector<std::pair<std::string, Values>> axes;
    for (const Dimension d : by) {
      if (d == Dimension::kType || d == Dimension::kStatus) continue;
      axes.emplace_back(to_string(d), reader.agreement_values(a, d));
    }
    auto with = axes;
    with.emplace_back("type", reader.agreement_values(a, Dimension::kType));
    with.emplace_back("status", reader.agreement_values(a, Dimension::kStatus));
    agreements.add(with);
    if (const auto y = reader.year(a, "signed_on")) {
      ++per_year[*y];
    } else {
      ++out.agreements_without_year;
    }
    // Compliance, terms and due notifications, grouped like the agreement.
    std::vector<std::pair<std::string, Values>> by_axes;
    for (const Dimension d : by) by_axes.emplace_back(to_string(d), reader.agreement_values(a, d));
    if (const auto it = standing.compliance.find(a); it != standing.compliance.end()) {
      auto c = by_axes;
      c.emplace_back("compliance", Values{std::string(to_string(it->second))});
      notification.add(c);
    }
    if (standing.past_term.contains(a)) past_term.add(by_axes);
    if (standing.coming_due.contains(a)) coming_due.add(by_axes);
  }
  for (const auto& [year, n] : per_year) out.agreements_per_year.emplace_back(year, n);

  Counter projects("projects");
  for (const VertexId p : reader.of_kind(reader.project_kind())) {
    std::vector<std::pair<std::string, Values>> axes;
    for (const Dimension d : by) {
      if (d == Dimension::kType || d == Dimension::kStatus || d == Dimension::kSector) continue;
      axes.emplace_back(to_string(d), reader.project_values(p, d));
    }
    axes.emplace_back("sector", reader.project_values(p, Dimension::kSector));
    axes.emplace_back("status", reader.project_values(p, Dimension::kStatus));
    projects.add(axes);
  }

  // Without grouping, every total is written, zero or not.
  if (by.empty()) {
    ties.expect({});
    past_term.expect({});
    coming_due.expect({});
    if (standing.compliance_known) {
      for (const Compliance c : {Compliance::kWithinPeriod, Compliance::kLate, Compliance::kNever,
                                 Compliance::kNotYetDue, Compliance::kCannotJudge})
        notification.expect({{"compliance", std::string(to_string(c))}});
    }
  }
  out.counted = {"ties", "agreements", "projects"};
  if (standing.compliance_known) out.counted.emplace_back("notification");
  if (standing.past_term_known) out.counted.emplace_back("agreements-past-term");
  if (standing.coming_due_known) out.counted.emplace_back("notifications-coming-due");
  ties.append_to(out.indicators);
  agreements.append_to(out.indicators);
  projects.append_to(out.indicators);
  notification.append_to(out.indicators);
  if (standing.past_term_known) past_term.append_to(out.indicators);
  if (standing.coming_due_known) coming_due.append_to(out.indicators);
  return true;
}

}  // namespace twinscan::followup
