#include "analyzer/model/statement_merge.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <span>
#include <unordered_map>

#include "analyzer/model/merged_properties.h"
#include "analyzer/model/relation_runs.h"
#include "analyzer/util/prefetch.h"

namespace twinscan::model {

/// The statements folded into each entity or relation: a list per item, in load order.
struct StatementMerger::Rows {
  std::vector<std::uint32_t> first;  // per item: its first statement
  std::vector<std::uint32_t> last;   // per item: its last statement so far
  std::vector<std::uint32_t> next;   // per statement: the item's next statement, or none
  static constexpr std::uint32_t kNone = UINT32_MAX;

  // Room for an item per statement is asked for at once: only what the items use is ever
  // touched, and the lists never grow by copying.
  explicit Rows(std::size_t statements) : next(statements, kNone) {
    first.reserve(statements);
    last.reserve(statements);
  }
  std::uint32_t add_item(std::uint32_t statement) {
    first.push_back(statement);
    last.push_back(statement);
    return static_cast<std::uint32_t>(first.size() - 1);
  }
  void add_to(std::uint32_t item, std::uint32_t statement) {
    next[last[item]] = statement;
    last[item] = statement;
  }
  template <typename Fn>
  void for_each(std::uint32_t item, Fn&& fn) const {
    for (std::uint32_t r = first[item]; r != kNone; r = next[r]) fn(r);
  }
};

namespace {

std::string place(const diag::SourceLocation& at) {
  return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

}  // namespace

std::string duplicate_entity_id(std::string_view id, const diag::SourceLocation& first) {
  return "duplicate entity id '" + std::string(id) + "'; first defined at " + place(first) +
         " (give each entity its own id)";
}

std::string restated_in_request(std::string_view id, const diag::SourceLocation& first) {
  return "entity '" + std::string(id) + "' is already in the registry (defined at " + place(first) +
         "); a request refers to the registry's entities by id and does not define them again";
}

StatementMerger::StatementMerger(GraphArrays& arrays, SourceSetTable& sets, Locate locate,
                                 diag::Diagnostics& diagnostics, std::uint32_t request_from)
    : a_(arrays),
      sets_(sets),
      request_from_(request_from),
      locate_(std::move(locate)),
      diagnostics_(diagnostics) {}

bool StatementMerger::same_value(const Value& a, const Value& b) const {
  return a_.same_value(a, b);
}

// The elements of `a`, then those of `b` that `a` lacks.
Value StatementMerger::united_list(const Value& a, const Value& b) {
  const auto x = a_.list(a.list);
  const auto y = a_.list(b.list);
  std::vector<Value> merged(x.begin(), x.end());
  const std::size_t before = merged.size();
  for (const Value& e : y) {
    const bool known =
        std::any_of(merged.begin(), merged.end(), [&](const Value& m) { return same_value(m, e); });
    if (!known) merged.push_back(e);
  }
  if (merged.size() == before) return a;
  const ListRef ref{static_cast<std::uint32_t>(a_.list_pool.size()),
                    static_cast<std::uint32_t>(merged.size())};
  a_.list_pool.append(merged.begin(), merged.end());
  return Value::of_list(ref);
}

void StatementMerger::fold(const Rows& rows, std::uint32_t subject, bool on_relation,
                           const util::Column<std::uint32_t>& starts,
                           const util::Column<Property>& props, util::Column<Property>& out) {
  const std::size_t first = out.size();
  // The sources of a value several rows state, and of a disagreement several sources
  // share, are united once every row is read (SourceSetTable::unite_all).
  std::vector<std::vector<SourceSetId>> value_sources;  // by kept value, from `first`
  std::vector<std::pair<std::size_t, std::vector<SourceSetId>>> disagreement_sources;
  const auto add_value_sources = [&](std::size_t q, SourceSetId sources) {
    auto& parts = value_sources[q - first];
    if (parts.empty()) parts.push_back(out[q].sources);
    parts.push_back(sources);
  };
  rows.for_each(subject, [&](std::uint32_t r) {
    for (std::uint32_t i = starts[r]; i < starts[r + 1]; ++i) {
      const Property& p = props[i];
      std::size_t q = first;
      while (q < out.size() && out[q].key != p.key) ++q;
      if (q == out.size()) {
        out.push_back(p);
        value_sources.emplace_back();
        continue;
      }
      Property& kept = out[q];
      if (kept.value.type == ValueType::kList && p.value.type == ValueType::kList) {
        kept.value = united_list(kept.value, p.value);
        add_value_sources(q, p.sources);
      } else if (same_value(kept.value, p.value)) {
        add_value_sources(q, p.sources);
      } else if (a_.compatible_value(kept.value, p.value)) {
        // The same date told less precisely by one source: one fact, at the finer
        // precision either gives.
        if (p.value.date.precision() > kept.value.date.precision()) kept.value = p.value;
        add_value_sources(q, p.sources);
      } else {
        // The same differing value from several sources is one disagreement; this
        // subject's disagreements are the last ones recorded.
        auto it = disagreements_.rbegin();
        while (it != disagreements_.rend() && it->subject == subject &&
               !(it->key == p.key && same_value(it->value, p.value)))
          ++it;
        if (it != disagreements_.rend() && it->subject == subject) {
          const auto index = static_cast<std::size_t>(disagreements_.rend() - it) - 1;
          auto found = std::find_if(disagreement_sources.begin(), disagreement_sources.end(),
                                    [&](const auto& d) { return d.first == index; });
          if (found == disagreement_sources.end()) {
            disagreement_sources.push_back({index, {it->sources}});
            found = disagreement_sources.end() - 1;
          }
          found->second.push_back(p.sources);
        } else {
          disagreements_.push_back({subject, on_relation ? 1U : 0U, p.key, p.sources, p.value});
        }
      }
    }
  });
  for (std::size_t i = 0; i < value_sources.size(); ++i) {
    if (!value_sources[i].empty()) out[first + i].sources = sets_.unite_all(value_sources[i]);
  }
  for (const auto& [index, parts] : disagreement_sources)
    disagreements_[index].sources = sets_.unite_all(parts);
}

void StatementMerger::add_aliases(std::size_t first_prop, SourceSetId sources,
                                  const std::vector<Sym>& names, util::Column<Property>& out) {
  const Sym key = a_.strings.intern("aliases");
  std::vector<Value> elements;
  for (const Sym n : names) elements.push_back(Value::of_string(n));
  const ListRef added{static_cast<std::uint32_t>(a_.list_pool.size()),
                      static_cast<std::uint32_t>(elements.size())};
  a_.list_pool.append(elements.begin(), elements.end());
  std::size_t q = first_prop;
  while (q < out.size() && out[q].key != key) ++q;
  if (q == out.size()) {
    out.push_back({key, sources, Value::of_list(added)});
  } else if (out[q].value.type == ValueType::kList) {
    out[q].value = united_list(out[q].value, Value::of_list(added));
    out[q].sources = sets_.unite(out[q].sources, sources);
  }
}

bool StatementMerger::merge_entities(const std::vector<std::vector<Sym>>& same_ids) {
  GraphArrays& g = a_;
  const auto n = static_cast<std::uint32_t>(g.entity_id.size());
  g.vertex_of_sym.resize(g.strings.size(), kNoVertex);
  std::unordered_map<Sym, std::uint32_t> group_of;
  for (std::uint32_t i = 0; i < same_ids.size(); ++i)
    for (const Sym id : same_ids[i]) group_of.emplace(id, i);
  std::vector<VertexId> group_item(same_ids.size(), kNoVertex);
  Rows rows(n);
  bool folded = false;
  bool ok = true;
  // Statements come document by document, so an item's statements of one document are
  // the last ones it has: one restated in another document needs no walk over the others
  // (an entity restated by 20,000 sources, one per document, would cost 20,000²/2 steps).
  // Should documents ever come out of order, every statement is walked, as before.
  const bool documents_in_order = std::is_sorted(
      g.entity_source.begin(), g.entity_source.end(),
      [](const SourceRef& a, const SourceRef& b) { return a.document < b.document; });
  for (std::uint32_t i = 0; i < n; ++i) {
    const Sym id = g.entity_id[i];
    VertexId item = g.vertex_of_sym[id];
    VertexId* group_slot = nullptr;
    if (!group_of.empty()) {
      if (auto it = group_of.find(id); it != group_of.end()) {
        group_slot = &group_item[it->second];
        if (item == kNoVertex) item = *group_slot;
      }
    }
    if (item == kNoVertex) {
      item = rows.add_item(i);
    } else {
      bool fits = true;
      const std::uint32_t first = rows.first[item];
      const std::uint32_t document = g.entity_source[i].document;
      if (in_request(document) && !in_request(g.entity_source[first].document)) {
        diagnostics_.error(locate_(g.entity_source[i]),
                           restated_in_request(g.strings.str(id), locate_(g.entity_source[first])));
        fits = false;
      }
      const bool may_repeat_in_document =
          !documents_in_order || g.entity_source[rows.last[item]].document == document;
      if (may_repeat_in_document) {
        rows.for_each(item, [&](std::uint32_t r) {
          if (fits && g.entity_id[r] == id && g.entity_source[r].document == document) {
            diagnostics_.error(locate_(g.entity_source[i]),
                               duplicate_entity_id(g.strings.str(id), locate_(g.entity_source[r])));
            fits = false;
          }
        });
      }
      if (fits && g.entity_kind[first] != g.entity_kind[i]) {
        diagnostics_.error(locate_(g.entity_source[i]),
                           "entity '" + std::string(g.strings.str(id)) +
                               "' is stated here with another kind than at " +
                               place(locate_(g.entity_source[first])) + " ('" +
                               std::string(g.strings.str(g.entity_id[first])) +
                               "'); the sources must agree on what an entity is (correct the "
                               "kind, or the judgement that joins the ids)");
        fits = false;
      }
      if (!fits) {
        ok = false;
        if (g.vertex_of_sym[id] == kNoVertex) dropped_.push_back(id);
        continue;
      }
      rows.add_to(item, i);
      folded = true;
    }
    g.vertex_of_sym[id] = item;
    if (group_slot) *group_slot = item;
  }
  // Items are numbered apart from statements once a statement folds into another or is
  // dropped for an error: the arrays are then rebuilt (errors are still to be reported
  // against the entities that stand).
  if (ok && !folded) return true;

  const auto items = static_cast<std::uint32_t>(rows.first.size());
  // Written over the statement arrays in place, as merge_relations() does (see there).
  MergedProperties placed(g.entity_prop_start, g.entity_props);
  util::Column<Property> gathered;
  std::vector<Sym> other_names;
  std::vector<SourceSetId> set_parts, alias_parts;  // to unite once (see unite_all)
  for (std::uint32_t v = 0; v < items; ++v) {
    const std::uint32_t first = rows.first[v];
    Sym name = 0;
    set_parts.assign(1, g.entity_sources[first]);
    alias_parts.clear();
    other_names.clear();
    rows.for_each(v, [&](std::uint32_t r) {
      set_parts.push_back(g.entity_sources[r]);
      const Sym stated = g.entity_name[r];
      if (stated == 0) return;
      if (name == 0) {
        name = stated;
      } else if (stated != name &&
                 std::find(other_names.begin(), other_names.end(), stated) == other_names.end()) {
        alias_parts.push_back(g.entity_sources[r]);
        other_names.push_back(stated);
      }
    });
    g.entity_id[v] = g.entity_id[first];
    g.entity_kind[v] = g.entity_kind[first];
    g.entity_source[v] = g.entity_source[first];
    g.entity_name[v] = name;
    g.entity_sources[v] = sets_.unite_all(set_parts);
    gathered.clear();
    fold(rows, v, false, g.entity_prop_start, g.entity_props, gathered);
    if (!other_names.empty()) add_aliases(0, sets_.unite_all(alias_parts), other_names, gathered);
    placed.place(v, first, gathered);
  }
  placed.finish(items);
  g.entity_id.resize(items);
  g.entity_name.resize(items);
  g.entity_kind.resize(items);
  g.entity_source.resize(items);
  g.entity_sources.resize(items);
  g.disagreements.append(disagreements_.begin(), disagreements_.end());
  disagreements_.clear();
  return ok;
}

namespace {

struct Ends {
  RelKindId kind;
  VertexId from;
  VertexId to;
  bool operator==(const Ends&) const = default;
};

// For each relation without id, the statement that opens the relation it is one statement
// of: itself, or an earlier statement of the same kind and ends in another document (the
// k-th such in one document meets the k-th in another). A request's relation is its own,
// even between entities the registry relates. Relations with an id are left kNone.
std::vector<std::uint32_t> openers_of_unnamed(
    const GraphArrays& g, const std::function<bool(std::uint32_t)>& in_request) {
  constexpr std::uint32_t kNone = UINT32_MAX;
  const auto n = static_cast<std::uint32_t>(g.relation_kind.size());
  // Most relations share their kind and ends with none other: each opens its own, set
  // here in load order rather than run by run at random.
  std::vector<std::uint32_t> opener(n);
  for (std::uint32_t r = 0; r < n; ++r) opener[r] = g.relation_id[r] == 0 ? r : kNone;
  std::vector<std::uint32_t> openers;  // of one kind and ends: by k
  for_each_run_of_one_kind_and_ends(
      g, 0, n, [&](std::uint32_t r) { return g.relation_id[r] == 0; },
      [&](std::uint32_t r) {
        const VertexId to = g.relation_to[r];
        return in_request(g.relation_source_ref[r].document) ? ~to : to;
      },
      [&](std::span<const std::uint32_t> run) {
        if (run.size() == 1) return;
        std::uint32_t document = kNone, seen = 0;
        openers.clear();
        for (const std::uint32_t r : run) {
          if (g.relation_source_ref[r].document != document) {
            document = g.relation_source_ref[r].document;
            seen = 0;
          }
          const std::uint32_t k = seen++;
          if (k < openers.size()) {
            opener[r] = openers[k];
          } else {
            openers.push_back(r);
            opener[r] = r;
          }
        }
      });
  return opener;
}

// True when no two of `props` have one key: then the relation stated once keeps them as
// they are (StatementMerger::fold would add each in turn).
bool keys_distinct(std::span<const Property> props) {
  for (std::size_t i = 1; i < props.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (props[i].key == props[j].key) return false;
    }
  }
  return true;
}

}  // namespace

bool StatementMerger::merge_relations() {
  GraphArrays& g = a_;
  const auto n = static_cast<std::uint32_t>(g.relation_kind.size());
  // Only statements of different documents meet.
  if (g.documents.size() < 2) return true;
  // opener[r], for a relation without id: the statement that opens its relation; once
  // that statement is read below, the number of the relation it opened.
  std::vector<std::uint32_t> opener =
      openers_of_unnamed(g, [this](std::uint32_t document) { return in_request(document); });
  Rows rows(n);
  std::vector<std::uint32_t> id_owner;  // by id symbol: the relation of that id
  bool folded = false;
  bool ok = true;
  constexpr std::uint32_t kAhead = 16;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (const std::uint32_t j = i + kAhead; j < n) {
      if (g.relation_id[j] == 0) {
        if (opener[j] != j) util::prefetch(&opener[opener[j]]);
      } else if (!id_owner.empty()) {
        util::prefetch(&id_owner[g.relation_id[j]]);
      }
    }
    const Sym id = g.relation_id[i];
    std::uint32_t item = Rows::kNone;
    if (id != 0) {
      if (id_owner.empty()) id_owner.assign(g.strings.size(), Rows::kNone);
      const std::uint32_t document = g.relation_source_ref[i].document;
      const Ends ends{g.relation_kind[i], g.relation_from[i], g.relation_to[i]};
      item = id_owner[id];
      if (item == Rows::kNone) {
        id_owner[id] = rows.add_item(i);
        continue;
      }
      const std::uint32_t first = rows.first[item];
      bool fits = true;
      rows.for_each(item, [&](std::uint32_t r) {
        if (fits && (g.relation_source_ref[r].document == document ||
                     in_request(document) != in_request(g.relation_source_ref[r].document))) {
          diagnostics_.error(locate_(g.relation_source_ref[i]),
                             "duplicate relation id '" + std::string(g.strings.str(id)) +
                                 "'; first defined at " + place(locate_(g.relation_source_ref[r])));
          fits = false;
        }
      });
      if (fits &&
          !(Ends{g.relation_kind[first], g.relation_from[first], g.relation_to[first]} == ends)) {
        diagnostics_.error(locate_(g.relation_source_ref[i]),
                           "relation '" + std::string(g.strings.str(id)) +
                               "' is stated here with another kind or other ends than at " +
                               place(locate_(g.relation_source_ref[first])) +
                               "; the sources must agree on what a relation joins");
        fits = false;
      }
      if (!fits) {
        ok = false;
        continue;
      }
    } else if (opener[i] == i) {
      opener[i] = rows.add_item(i);
      continue;
    } else {
      item = opener[opener[i]];
    }
    rows.add_to(item, i);
    folded = true;
  }
  if (!ok) return false;
  const auto items = static_cast<std::uint32_t>(rows.first.size());
  if (!folded) return true;

  // Items are numbered in the order of their first statements, so item r's statements
  // all lie at r or after it: each item's columns are written over the statement arrays
  // in place, from the front (its statements read before it is written), rather than into
  // new columns that would double them while both are held. The properties are gathered
  // anew where several statements state them (see MergedProperties).
  MergedProperties placed(g.relation_prop_start, g.relation_props);
  util::Column<Property> gathered;
  std::vector<SourceSetId> set_parts;  // to unite once (see unite_all)
  for (std::uint32_t r = 0; r < items; ++r) {
    const std::uint32_t first = rows.first[r];
    g.relation_id[r] = g.relation_id[first];
    g.relation_kind[r] = g.relation_kind[first];
    g.relation_from[r] = g.relation_from[first];
    g.relation_to[r] = g.relation_to[first];
    g.relation_source_ref[r] = g.relation_source_ref[first];
    const std::span<const Property> stated = placed.stated(first);
    if (rows.next[first] == Rows::kNone && keys_distinct(stated)) {
      // Stated once (most relations): its sources and properties stand as they are.
      g.relation_sources[r] = g.relation_sources[first];
      placed.place(r, first, stated);
    } else {
      set_parts.assign(1, g.relation_sources[first]);
      rows.for_each(r, [&](std::uint32_t s) { set_parts.push_back(g.relation_sources[s]); });
      g.relation_sources[r] = sets_.unite_all(set_parts);
      gathered.clear();
      fold(rows, r, true, g.relation_prop_start, g.relation_props, gathered);
      placed.place(r, first, gathered);
    }
  }
  placed.finish(items);
  g.relation_id.resize(items);
  g.relation_kind.resize(items);
  g.relation_from.resize(items);
  g.relation_to.resize(items);
  g.relation_source_ref.resize(items);
  g.relation_sources.resize(items);
  g.disagreements.append(disagreements_.begin(), disagreements_.end());
  disagreements_.clear();
  return true;
}

}  // namespace twinscan::model
