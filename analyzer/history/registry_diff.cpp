#include "analyzer/history/registry_diff.h"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "analyzer/rules/rule.h"
#include "analyzer/rules/severity.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::history {
namespace {

using model::Graph;
using model::Property;
using model::RelationId;
using model::Value;
using model::ValueType;
using model::VertexId;
using util::Sym;

constexpr Sym kUnmapped = UINT32_MAX;
constexpr Sym kAbsent = UINT32_MAX - 1;
constexpr RelationId kNoRelation = UINT32_MAX;

// How many leading symbols name the same text in both pools. Two versions of a registry
// built from mostly the same documents intern mostly the same strings in the same order;
// below this count, two symbols name the same text exactly when they are equal, so ids,
// keys and string values compare as integers. A sequential pass over both pools' text,
// which stops at the first difference.
Sym common_prefix(const util::StringPool& a, const util::StringPool& b) {
  const Sym count = static_cast<Sym>(std::min(a.size(), b.size()));
  Sym s = 0;
  while (s < count && a.str(s) == b.str(s)) ++s;
  return s;
}

// Compares two graphs' properties by key, translating the old graph's key symbols into
// the new graph's once per key.
class Comparer {
 public:
  Comparer(const Graph& o, const Graph& n)
      : o_(o),
        n_(n),
        prefix_(common_prefix(o.strings(), n.strings())),
        key_map_(o.strings().size(), kUnmapped) {}

  /// Whether old symbol `a` and new symbol `b` name the same text.
  [[nodiscard]] bool same(Sym a, Sym b) const {
    // A symbol below the prefix names a text both pools hold at that same symbol, and a
    // pool holds each text once: it equals the other only as that very symbol.
    if (a < prefix_ || b < prefix_) return a == b;
    return o_.str(a) == n_.str(b);
  }

  [[nodiscard]] bool equal(const Value& x, const Value& y) const {
    if (x.type != y.type) return false;
    switch (x.type) {
      case ValueType::kNull:
        return true;
      case ValueType::kBool:
        return x.boolean == y.boolean;
      case ValueType::kInt:
        return x.integer == y.integer;
      case ValueType::kNumber:
        return x.number == y.number;
      case ValueType::kString:
        return same(x.string, y.string);
      case ValueType::kDate:
        return x.date == y.date;
      case ValueType::kLocation:
        return x.location.lat == y.location.lat && x.location.lon == y.location.lon;
      case ValueType::kList:
        break;
    }
    const auto xs = o_.list(x.list);
    const auto ys = n_.list(y.list);
    if (xs.size() != ys.size()) return false;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (!equal(xs[i], ys[i])) return false;
    }
    return true;
  }

  Sym new_key(Sym old_key) {
    if (old_key < prefix_) return old_key;
    Sym& k = key_map_[old_key];
    if (k == kUnmapped) {
      Sym found = 0;
      k = n_.strings().find(o_.str(old_key), found) ? found : kAbsent;
    }
    return k;
  }

  void compare(std::span<const Property> olds, std::span<const Property> news, bool on_relation,
               std::uint32_t os, std::uint32_t ns, std::vector<PropertyChange>& out) {
    // Property lists are short: a nested loop beats any index.
    std::uint64_t matched = 0;  // Bits of `news` matched (the rest, if more than 64, by scan).
    for (const auto& op : olds) {
      const Sym key = new_key(op.key);
      const Property* np = nullptr;
      for (std::size_t j = 0; j < news.size(); ++j) {
        if (news[j].key == key) {
          np = &news[j];
          if (j < 64) matched |= std::uint64_t{1} << j;
          break;
        }
      }
      if (!np) {
        out.push_back({on_relation, os, ns, &op, nullptr, nullptr});
      } else if (!equal(op.value, np->value)) {
        out.push_back({on_relation, os, ns, &op, np, nullptr});
      }
    }
    if (olds.size() == news.size() && news.size() <= 64 &&
        matched == (news.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << news.size()) - 1))
      return;
    for (std::size_t j = 0; j < news.size(); ++j) {
      if (j < 64 && (matched >> j & 1U)) continue;
      const bool in_old = std::any_of(
          olds.begin(), olds.end(), [&](const Property& op) { return same(op.key, news[j].key); });
      if (!in_old) out.push_back({on_relation, os, ns, nullptr, &news[j], nullptr});
    }
  }

 private:
  const Graph& o_;
  const Graph& n_;
  Sym prefix_;
  std::vector<Sym> key_map_;
};

std::vector<std::string> source_ids(const Graph& g, std::span<const std::uint32_t> set) {
  std::vector<std::string> out;
  for (const auto s : set) out.push_back(g.sources()[s].id);
  return out;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

template <typename W>
void put(W& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

template <typename W>
void put_value(W& w, const Graph& g, const Value& v) {
  switch (v.type) {
    case ValueType::kNull:
      w.Null();
      return;
    case ValueType::kBool:
      w.Bool(v.boolean);
      return;
    case ValueType::kInt:
      w.Int64(v.integer);
      return;
    case ValueType::kNumber:
      w.Double(v.number);
      return;
    case ValueType::kString:
      put(w, g.str(v.string));
      return;
    case ValueType::kDate:
      put(w, v.date.to_string());
      return;
    case ValueType::kLocation:
      w.StartObject();
      w.Key("lat");
      w.Double(static_cast<double>(v.location.lat));
      w.Key("lon");
      w.Double(static_cast<double>(v.location.lon));
      w.EndObject();
      return;
    case ValueType::kList:
      w.StartArray();
      for (const auto& e : g.list(v.list)) put_value(w, g, e);
      w.EndArray();
      return;
  }
}

// A value as compact JSON text, for the text report.
std::string value_text(const Graph& g, const Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  put_value(w, g, v);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string entity_line(const Graph& g, VertexId v) {
  std::string out = std::string(g.id(v)) + " (" + g.schema().kind(g.kind(v)).name;
  if (g.name(v) != g.id(v)) out += ", '" + std::string(g.name(v)) + "'";
  return out + ")";
}

std::string relation_line(const Graph& g, RelationId r) {
  return std::string(g.id(g.relation_source(r))) + " -[" +
         g.schema().relation(g.relation_kind(r)).name + "]-> " +
         std::string(g.id(g.relation_target(r)));
}

std::string subject_id(const Graph& g, bool on_relation, std::uint32_t s) {
  return on_relation ? g.relation_id(s) : std::string(g.id(s));
}

std::string property_name(const DiffReport& r, const PropertyChange& c) {
  if (c.special) return c.special;
  return std::string(c.old_value ? r.old_graph->str(c.old_value->key)
                                 : r.new_graph->str(c.new_value->key));
}

std::string side_text(const DiffReport& r, const PropertyChange& c, bool old_side) {
  const Graph& g = old_side ? *r.old_graph : *r.new_graph;
  const std::uint32_t s = old_side ? c.old_subject : c.new_subject;
  if (c.special) {
    const std::string_view what = c.special;
    if (what == "kind") return g.schema().kind(g.kind(s)).name;
    return std::string(g.id(what == "from" ? g.relation_source(s) : g.relation_target(s)));
  }
  const Property* p = old_side ? c.old_value : c.new_value;
  return p ? value_text(g, p->value) : "(none)";
}

std::vector<std::string> side_sources(const DiffReport& r, const PropertyChange& c, bool old_side) {
  const Graph& g = old_side ? *r.old_graph : *r.new_graph;
  const std::uint32_t s = old_side ? c.old_subject : c.new_subject;
  if (c.special) return source_ids(g, c.on_relation ? g.relation_sources(s) : g.entity_sources(s));
  const Property* p = old_side ? c.old_value : c.new_value;
  return p ? source_ids(g, g.source_set(p->sources)) : std::vector<std::string>{};
}

// The sources of one side of a change, or "-" where that side states nothing.
std::string stated_by(const std::vector<std::string>& sources) {
  return sources.empty() ? "-" : joined(sources);
}

// One line of a text report: what came from the input made safe for a terminal.
std::string line(const std::string& text) {
  return util::escape_for_terminal(text) + "\n";
}

std::string count(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

RegistryDiff diff_registries(const Graph& o, const Graph& n) {
  RegistryDiff d;
  Comparer comparer(o, n);

  // Entity kinds by name, once (a schema extension may number them differently).
  std::vector<int> kind_map(o.schema().kinds().size(), -1);
  for (std::size_t k = 0; k < kind_map.size(); ++k) {
    if (const auto nk = n.schema().find_kind(o.schema().kinds()[k].name)) kind_map[k] = *nk;
  }
  std::vector<bool> seen_entity(n.entity_count(), false);
  // Two versions of a registry mostly list their entities in the same order, shifted by
  // what was added or removed before them: each id is first compared with the entity at
  // the same place, shifted by the last shift seen, and looked up in the index only when
  // that one differs.
  std::int64_t shift = 0;
  for (VertexId v = 0; v < o.entity_count(); ++v) {
    std::optional<VertexId> nv;
    if (const std::int64_t guess = std::int64_t{v} + shift;
        guess >= 0 && guess < static_cast<std::int64_t>(n.entity_count()) &&
        comparer.same(o.id_sym(v), n.id_sym(static_cast<VertexId>(guess)))) {
      nv = static_cast<VertexId>(guess);
    } else if ((nv = n.find(o.id(v)))) {
      shift = std::int64_t{*nv} - std::int64_t{v};
    }
    if (!nv) {
      d.removed_entities.push_back(v);
      continue;
    }
    seen_entity[*nv] = true;
    if (kind_map[o.kind(v)] != static_cast<int>(n.kind(*nv))) {
      d.changes.push_back({false, v, *nv, nullptr, nullptr, "kind"});
    }
    comparer.compare(o.properties(v), n.properties(*nv), false, v, *nv, d.changes);
  }
  for (VertexId v = 0; v < n.entity_count(); ++v) {
    if (!seen_entity[v]) d.added_entities.push_back(v);
  }

  // Relations by id, the same way; the index (the new graph's relations by the symbol of
  // their id) is built only when a guess first fails.
  // Ids made when shown are compared as texts and found by reading them.
  std::vector<RelationId> relation_of_sym;
  std::vector<bool> seen_relation(n.relation_count(), false);
  std::string old_made, new_made;
  auto same_id = [&](RelationId r, RelationId nr) {
    const Sym a = o.relation_id_sym(r), b = n.relation_id_sym(nr);
    if (!model::is_made_relation_id(a) && !model::is_made_relation_id(b))
      return comparer.same(a, b);
    return o.relation_id(r, old_made) == n.relation_id(nr, new_made);
  };
  shift = 0;
  for (RelationId r = 0; r < o.relation_count(); ++r) {
    RelationId nr = kNoRelation;
    if (const std::int64_t guess = std::int64_t{r} + shift;
        guess >= 0 && guess < static_cast<std::int64_t>(n.relation_count()) &&
        same_id(r, static_cast<RelationId>(guess))) {
      nr = static_cast<RelationId>(guess);
    } else {
      const std::string_view id = o.relation_id(r, old_made);
      Sym sym = 0;
      if (const std::optional<RelationId> made = n.find_made_relation(id)) {
        nr = *made;
      } else if (n.strings().find(id, sym)) {
        if (relation_of_sym.empty()) {
          relation_of_sym.assign(n.strings().size(), kNoRelation);
          for (RelationId x = 0; x < n.relation_count(); ++x) {
            const Sym stored = n.relation_id_sym(x);
            if (!model::is_made_relation_id(stored)) relation_of_sym[stored] = x;
          }
        }
        nr = relation_of_sym[sym];
      }
      if (nr != kNoRelation) shift = std::int64_t{nr} - std::int64_t{r};
    }
    if (nr == kNoRelation) {
      d.removed_relations.push_back(r);
      continue;
    }
    seen_relation[nr] = true;
    // Only a relation with an id of its own can change its ends: a derived id names them.
    if (!comparer.same(o.id_sym(o.relation_source(r)), n.id_sym(n.relation_source(nr)))) {
      d.changes.push_back({true, r, nr, nullptr, nullptr, "from"});
    }
    if (!comparer.same(o.id_sym(o.relation_target(r)), n.id_sym(n.relation_target(nr)))) {
      d.changes.push_back({true, r, nr, nullptr, nullptr, "to"});
    }
    comparer.compare(o.relation_properties(r), n.relation_properties(nr), true, r, nr, d.changes);
  }
  for (RelationId r = 0; r < n.relation_count(); ++r) {
    if (!seen_relation[r]) d.added_relations.push_back(r);
  }

  auto by_entity_id = [](const Graph& g) {
    return [&g](VertexId a, VertexId b) { return g.id(a) < g.id(b); };
  };
  auto by_relation_id = [](const Graph& g) {
    return [&g](RelationId a, RelationId b) {
      thread_local std::string made_a, made_b;  // ids made when shown
      return g.relation_id(a, made_a) < g.relation_id(b, made_b);
    };
  };
  std::sort(d.added_entities.begin(), d.added_entities.end(), by_entity_id(n));
  std::sort(d.removed_entities.begin(), d.removed_entities.end(), by_entity_id(o));
  std::sort(d.added_relations.begin(), d.added_relations.end(), by_relation_id(n));
  std::sort(d.removed_relations.begin(), d.removed_relations.end(), by_relation_id(o));
  return d;
}

FindingsDiff diff_findings(const rules::FindingList& before, const rules::FindingList& after) {
  FindingsDiff d;
  std::unordered_set<std::string_view> old_prints, new_prints;
  for (const auto& f : before) old_prints.insert(f.fingerprint);
  for (const auto& f : after) new_prints.insert(f.fingerprint);
  for (const auto& f : after) {
    if (!old_prints.count(f.fingerprint)) d.appeared.push_back(&f);
  }
  for (const auto& f : before) {
    if (!new_prints.count(f.fingerprint)) d.resolved.push_back(&f);
  }
  return d;
}

std::string diff_text(const DiffReport& r) {
  const Graph& o = *r.old_graph;
  const Graph& n = *r.new_graph;
  const RegistryDiff& d = *r.diff;
  std::string out = "Registry diff: " + count(o.entity_count(), "entity", "entities") + ", " +
                    count(o.relation_count(), "relation", "relations") + " before; " +
                    count(n.entity_count(), "entity", "entities") + ", " +
                    count(n.relation_count(), "relation", "relations") + " after\n";
  const bool nothing =
      d.empty() && (!r.findings || (r.findings->appeared.empty() && r.findings->resolved.empty()));
  if (nothing) return out + "No change.\n";
  if (!d.added_entities.empty()) {
    out += "\nEntities added (" + std::to_string(d.added_entities.size()) + ")\n";
    for (const auto v : d.added_entities) {
      out += line("  + " + entity_line(n, v) + "  [" + joined(source_ids(n, n.entity_sources(v))) +
                  "]");
    }
  }
  if (!d.removed_entities.empty()) {
    out += "\nEntities removed (" + std::to_string(d.removed_entities.size()) + ")\n";
    for (const auto v : d.removed_entities) {
      out += line("  - " + entity_line(o, v) + "  [" + joined(source_ids(o, o.entity_sources(v))) +
                  "]");
    }
  }
  if (!d.added_relations.empty()) {
    out += "\nRelations added (" + std::to_string(d.added_relations.size()) + ")\n";
    for (const auto rel : d.added_relations) {
      out += line("  + " + relation_line(n, rel) + "  [" +
                  joined(source_ids(n, n.relation_sources(rel))) + "]");
    }
  }
  if (!d.removed_relations.empty()) {
    out += "\nRelations removed (" + std::to_string(d.removed_relations.size()) + ")\n";
    for (const auto rel : d.removed_relations) {
      out += line("  - " + relation_line(o, rel) + "  [" +
                  joined(source_ids(o, o.relation_sources(rel))) + "]");
    }
  }
  if (!d.changes.empty()) {
    out += "\nProperties changed (" + std::to_string(d.changes.size()) + ")\n";
    for (const auto& c : d.changes) {
      out += line("  ~ " + subject_id(n, c.on_relation, c.new_subject) + " " + property_name(r, c) +
                  ": " + side_text(r, c, true) + " -> " + side_text(r, c, false) + "  [was " +
                  stated_by(side_sources(r, c, true)) + "; now " +
                  stated_by(side_sources(r, c, false)) + "]");
    }
  }
  if (r.findings) {
    const auto write = [&](const char* heading, const char* sign,
                           const std::vector<const rules::Finding*>& list) {
      if (list.empty()) return;
      out += "\n" + std::string(heading) + " (" + std::to_string(list.size()) + ")\n";
      for (const auto* f : list) {
        out += line("  " + std::string(sign) + " " + std::string(rules::to_string(f->severity)) +
                    " " + f->rule->id + " " + f->fingerprint + ": " + f->message);
      }
    };
    write("Findings appeared", "+", r.findings->appeared);
    write("Findings resolved", "-", r.findings->resolved);
  }
  return out;
}

std::string diff_json(const DiffReport& r) {
  const Graph& o = *r.old_graph;
  const Graph& n = *r.new_graph;
  const RegistryDiff& d = *r.diff;
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  auto put_list = [&](const std::vector<std::string>& list) {
    w.StartArray();
    for (const auto& s : list) put(w, s);
    w.EndArray();
  };
  auto put_counts = [&](const char* key, const Graph& g) {
    w.Key(key);
    w.StartObject();
    w.Key("entities");
    w.Uint64(g.entity_count());
    w.Key("relations");
    w.Uint64(g.relation_count());
    w.EndObject();
  };
  auto put_entities = [&](const char* key, const Graph& g, const std::vector<VertexId>& list) {
    w.Key(key);
    w.StartArray();
    for (const auto v : list) {
      w.StartObject();
      w.Key("id");
      put(w, g.id(v));
      w.Key("kind");
      put(w, g.schema().kind(g.kind(v)).name);
      w.Key("name");
      put(w, g.name(v));
      w.Key("sources");
      put_list(source_ids(g, g.entity_sources(v)));
      w.EndObject();
    }
    w.EndArray();
  };
  auto put_relations = [&](const char* key, const Graph& g, const std::vector<RelationId>& list) {
    w.Key(key);
    w.StartArray();
    for (const auto rel : list) {
      w.StartObject();
      w.Key("id");
      put(w, g.relation_id(rel));
      w.Key("kind");
      put(w, g.schema().relation(g.relation_kind(rel)).name);
      w.Key("from");
      put(w, g.id(g.relation_source(rel)));
      w.Key("to");
      put(w, g.id(g.relation_target(rel)));
      w.Key("sources");
      put_list(source_ids(g, g.relation_sources(rel)));
      w.EndObject();
    }
    w.EndArray();
  };
  auto put_findings = [&](const char* key, const Graph& g,
                          const std::vector<const rules::Finding*>& list) {
    w.Key(key);
    w.StartArray();
    for (const auto* f : list) {
      w.StartObject();
      w.Key("rule");
      put(w, f->rule->id);
      w.Key("category");
      put(w, f->category);
      w.Key("severity");
      put(w, rules::to_string(f->severity));
      w.Key("title");
      put(w, f->title);
      w.Key("message");
      put(w, f->message);
      w.Key("fingerprint");
      put(w, f->fingerprint);
      w.Key("entities");
      w.StartArray();
      for (const auto v : f->entities) put(w, g.id(v));
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
  };

  w.StartObject();
  put_counts("old", o);
  put_counts("new", n);
  w.Key("changed");
  w.Bool(!d.empty() ||
         (r.findings && (!r.findings->appeared.empty() || !r.findings->resolved.empty())));
  w.Key("entities");
  w.StartObject();
  put_entities("added", n, d.added_entities);
  put_entities("removed", o, d.removed_entities);
  w.EndObject();
  w.Key("relations");
  w.StartObject();
  put_relations("added", n, d.added_relations);
  put_relations("removed", o, d.removed_relations);
  w.EndObject();
  w.Key("properties");
  w.StartArray();
  for (const auto& c : d.changes) {
    w.StartObject();
    w.Key(c.on_relation ? "relation" : "entity");
    put(w, subject_id(n, c.on_relation, c.new_subject));
    w.Key("property");
    put(w, property_name(r, c));
    for (const bool old_side : {true, false}) {
      w.Key(old_side ? "old" : "new");
      const Graph& g = old_side ? o : n;
      const Property* p = old_side ? c.old_value : c.new_value;
      if (c.special) {
        put(w, side_text(r, c, old_side));
      } else if (p) {
        put_value(w, g, p->value);
      } else {
        w.Null();
      }
    }
    w.Key("old_sources");
    put_list(side_sources(r, c, true));
    w.Key("new_sources");
    put_list(side_sources(r, c, false));
    w.EndObject();
  }
  w.EndArray();
  if (r.findings) {
    w.Key("findings");
    w.StartObject();
    put_findings("appeared", n, r.findings->appeared);
    put_findings("resolved", o, r.findings->resolved);
    w.EndObject();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace twinscan::history
