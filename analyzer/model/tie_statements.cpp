#include "analyzer/model/tie_statements.h"

#include <algorithm>

#include "analyzer/model/provenance.h"

namespace twinscan::model {

namespace {

bool is_ended_status(std::string_view status) {
  static constexpr std::string_view kEnded[] = {"ended",     "terminated", "dissolved",
                                                "suspended", "inactive",   "cancelled",
                                                "canceled",  "expired",    "frozen"};
  // Sources write "Ended" and "ENDED" too.
  std::string lower(status);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return std::find(std::begin(kEnded), std::end(kEnded), lower) != std::end(kEnded);
}

}  // namespace

TieReader::TieReader(const Graph& graph) : graph_(graph) {
  twinned_ = graph.schema().find_relation("TWINNED_WITH");
  for (int i = 0; i < 3; ++i) {
    if (!graph.strings().find(kTieProperties[i], keys_[i])) keys_[i] = 0;
  }
}

std::vector<TieStatement> TieReader::statements(VertexId a, VertexId b) const {
  std::vector<TieStatement> out;
  if (!twinned_) return out;
  auto read = [&](VertexId from, VertexId to) {
    for (const auto& edge : graph_.out_edges_to(from, *twinned_, to)) {
      for (const std::uint32_t source : graph_.relation_sources(edge.relation)) {
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const TieStatement& s) { return s.source == source; });
        if (it == out.end()) {
          out.push_back({source, {}, {}, {}});
          it = out.end() - 1;
        }
        std::optional<Value>* slots[3] = {&it->since, &it->until, &it->status};
        for (int i = 0; i < 3; ++i) {
          if (keys_[i] == 0 || slots[i]->has_value()) continue;
          *slots[i] = relation_value_stated_by(graph_, edge.relation, keys_[i], source);
        }
      }
    }
  };
  read(a, b);
  if (a != b) read(b, a);
  std::sort(out.begin(), out.end(),
            [](const TieStatement& x, const TieStatement& y) { return x.source < y.source; });
  return out;
}

std::vector<TieDisagreement> TieReader::disagreements(
    const std::vector<TieStatement>& statements) const {
  std::vector<TieDisagreement> out;
  for (int i = 0; i < 3; ++i) {
    TieDisagreement d{kTieProperties[i], {}};
    for (const auto& s : statements) {
      const std::optional<Value>& v = i == 0 ? s.since : i == 1 ? s.until : s.status;
      if (!v) continue;
      auto it = std::find_if(d.values.begin(), d.values.end(), [&](const auto& entry) {
        return graph_.arrays().same_value(entry.first, *v);
      });
      if (it == d.values.end()) {
        d.values.push_back({*v, {s.source}});
      } else {
        it->second.push_back(s.source);
      }
    }
    // Values that can all be one (1973 and 1973-11-30: one source less precise) are no
    // disagreement; any two that cannot be make all of them one.
    bool conflict = false;
    for (std::size_t x = 0; x < d.values.size() && !conflict; ++x) {
      for (std::size_t y = x + 1; y < d.values.size() && !conflict; ++y) {
        conflict = !graph_.arrays().compatible_value(d.values[x].first, d.values[y].first);
      }
    }
    if (conflict) out.push_back(std::move(d));
  }
  return out;
}

bool TieReader::ended(const TieStatement& statement, Date as_of) const {
  if (statement.until && statement.until->type == ValueType::kDate &&
      statement.until->date.last_days_since_epoch() < as_of.days_since_epoch())
    return true;
  return statement.status && statement.status->type == ValueType::kString &&
         is_ended_status(graph_.str(statement.status->string));
}

bool TieReader::not_begun(const TieStatement& statement, Date as_of) const {
  return statement.since && statement.since->type == ValueType::kDate &&
         statement.since->date.days_since_epoch() > as_of.days_since_epoch();
}

TieState TieReader::state(const std::vector<TieStatement>& statements, Date as_of) const {
  std::size_t ended_in = 0;
  bool dated_ahead = false;
  bool dated_begun = false;
  for (const auto& s : statements) {
    if (ended(s, as_of)) ++ended_in;
    if (s.since && s.since->type == ValueType::kDate)
      (not_begun(s, as_of) ? dated_ahead : dated_begun) = true;
  }
  if (ended_in > 0) return ended_in == statements.size() ? TieState::kEnded : TieState::kDisputed;
  return dated_ahead && !dated_begun ? TieState::kNotYetBegun : TieState::kActive;
}

const char* to_string(TieState state) {
  switch (state) {
    case TieState::kActive:
      return "active";
    case TieState::kEnded:
      return "ended";
    case TieState::kDisputed:
      return "disputed";
    case TieState::kNotYetBegun:
      return "not-yet-begun";
  }
  return "";
}

std::string TieReader::describe(const TieDisagreement& disagreement) const {
  std::string out = disagreement.property + ": ";
  for (std::size_t i = 0; i < disagreement.values.size(); ++i) {
    if (i > 0) out += " vs ";
    out += value_text(graph_, disagreement.values[i].first) + " (" +
           source_ids_text(graph_, disagreement.values[i].second) + ")";
  }
  return out;
}

}  // namespace twinscan::model
