// FollowTheMoney (https://followthemoney.tech/): one entity a line, {"id", "schema",
// "properties": {NAME: [TEXT, ...]}}. Twinscan's kinds and relation kinds are mapped to
// FtM schemata (docs/export.md has the table); relations become FtM's interval entities
// (Ownership, Representation, Membership, ProjectParticipant, UnknownLink) naming their
// two ends. A property FtM has no place for is kept as "key: value" lines: in `notes` on
// an entity, in `summary` (after "relation: KIND") on a relation.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/export/export_format.h"
#include "analyzer/export/property_catalog.h"

namespace twinscan::exports {
namespace {

struct EntityMapping {
  std::string_view kind;
  std::string_view schema;
};
constexpr EntityMapping kEntities[] = {
    {"Municipality", "PublicBody"},
    {"ForeignCity", "PublicBody"},
    {"ForeignGovernment", "PublicBody"},
    {"CentralAuthority", "PublicBody"},
    {"Organization", "Organization"},
    {"Firm", "Company"},
    {"Person", "Person"},
    {"Agreement", "Contract"},
    {"Project", "Project"},
    {"SensitiveSite", "RealEstate"},
};
constexpr std::string_view kOtherEntity = "LegalEntity";

/// A relation kind's FtM schema, the properties naming its source and target, and the
/// `role` given when the relation has none of its own.
struct RelationMapping {
  std::string_view kind;
  std::string_view schema;
  std::string_view from;
  std::string_view to;
  std::string_view role;
};
constexpr RelationMapping kRelations[] = {
    {"OWNED_BY", "Ownership", "asset", "owner", ""},
    {"REPRESENTS", "Representation", "agent", "client", ""},
    {"HELD_OFFICE", "Membership", "member", "organization", "office holder"},
    {"BIDDER_ON", "ProjectParticipant", "participant", "project", "bidder"},
    {"CONTRACTOR_OF", "ProjectParticipant", "participant", "project", "contractor"},
    {"OPERATOR_OF", "ProjectParticipant", "participant", "project", "operator"},
    {"FINANCIER_OF", "ProjectParticipant", "participant", "project", "financier"},
};
constexpr RelationMapping kOtherRelation = {"", "UnknownLink", "subject", "object", ""};

/// Twinscan's property names that map to FtM properties of another name (for the
/// schemata that have them); the rest go to notes.
std::string_view entity_property(std::string_view schema, std::string_view key) {
  if (key == "aliases") return "alias";
  if (key == "country" || key == "description" || key == "notes") return key;
  if (key == "sources") return "sourceUrl";  // or publisher, for a citation (add_value)
  if (schema == "Company" && key == "registration") return "registrationNumber";
  if (schema == "Company" && key == "sector") return "sector";
  if (schema == "Company" && key == "lists") return "program";
  if (schema == "Person" && key == "nationality") return "nationality";
  if (schema == "Contract") {
    if (key == "title") return "title";
    if (key == "signed_on") return "contractDate";
    if (key == "type") return "type";
    if (key == "status") return "status";
    if (key == "subject") return "summary";
  }
  if (schema == "Project") {
    if (key == "status") return "status";
    if (key == "started") return "startDate";
  }
  return {};
}

/// On relations (FtM's Interval schemata, which have no `notes` or `publisher`), the rest
/// goes to `summary`, a citation included.
std::string_view relation_property(std::string_view key) {
  if (key == "since" || key == "on") return "startDate";
  if (key == "until") return "endDate";
  if (key == "role") return key;
  if (key == "sources") return "sourceUrl";
  return {};
}

/// The properties of one FtM entity, gathered before it is written.
class FtmProperties {
 public:
  void add(std::string_view name, std::string value) {
    for (auto& [n, values] : props_) {
      if (n == name) {
        values.push_back(std::move(value));
        return;
      }
    }
    props_.emplace_back(std::string(name), std::vector<std::string>{std::move(value)});
  }
  [[nodiscard]] bool has(std::string_view name) const {
    return std::any_of(props_.begin(), props_.end(),
                       [&](const auto& p) { return p.first == name; });
  }
  void write(TextSink& out, std::string_view id, std::string_view schema) {
    out.put("{\"id\":");
    put_json_string(out, id);
    out.put(",\"schema\":");
    put_json_string(out, schema);
    out.put(",\"properties\":{");
    bool first = true;
    for (const auto& [name, values] : props_) {
      if (!first) out.put(',');
      first = false;
      put_json_string(out, name);
      out.put(":[");
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out.put(',');
        put_json_string(out, values[i]);
      }
      out.put(']');
    }
    out.put("}}\n");
    props_.clear();
  }

 private:
  std::vector<std::pair<std::string, std::vector<std::string>>> props_;
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Adds a value under `ftm` (each list element its own value), or as a note. A source
/// that is not an address goes to `publisher`, or with `citations_as_notes` to the notes.
void add_value(FtmProperties& props, const model::Graph& graph, std::string_view key,
               std::string_view ftm, const model::Value& value, std::string& notes,
               bool citations_as_notes) {
  if (value.type == model::ValueType::kList && graph.list(value.list).empty()) return;
  if (ftm.empty()) {
    if (!notes.empty()) notes += '\n';
    notes += key;
    notes += ": ";
    notes += value_text(graph, value);
    return;
  }
  auto one = [&](const model::Value& v) {
    std::string text = value_text(graph, v);
    if (ftm == "country" || ftm == "nationality") text = lower(text);
    // A source is an address (sourceUrl) or a citation (publisher).
    const bool address = text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0;
    if (ftm == "sourceUrl" && !address && citations_as_notes) {
      if (!notes.empty()) notes += '\n';
      notes += key;
      notes += ": ";
      notes += text;
      return;
    }
    props.add(ftm == "sourceUrl" && !address ? "publisher" : ftm, std::move(text));
  };
  if (value.type == model::ValueType::kList) {
    for (const auto& item : graph.list(value.list)) one(item);
  } else {
    one(value);
  }
}

}  // namespace

namespace {

bool ftm_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

/// An id as FtM's entity references take it (^[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?$).
/// An id of letters, digits and inner '-' is kept. Any other is encoded: every byte but a
/// letter, a digit or an inner '-' as '.' and two hex digits (`mun:haifa` →
/// `mun.3ahaifa`), and `x.` put before one that would start with '.' (`:a` → `x..3aa`).
/// A kept id has no '.', an encoded one has, and the encoding can be undone: two ids never
/// share a form. FtM drops a reference it cannot take, which would cut every relation
/// from its ends.
std::string ftm_id(std::string_view id) {
  bool plain = !id.empty() && ftm_alnum(id.front()) && ftm_alnum(id.back());
  for (const char c : id) plain = plain && (ftm_alnum(c) || c == '-');
  if (plain) return std::string(id);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (ftm_alnum(c) || (c == '-' && i > 0 && i + 1 < id.size())) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '.';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  if (out.empty()) return "x.0";  // no id: not one a registry gives
  if (out.front() == '.') out.insert(0, "x.");
  return out;
}

}  // namespace

void write_ftm(const explore::Subgraph& subgraph, Files& files, Progress& progress) {
  const model::Graph& graph = subgraph.graph();
  const model::Schema& schema = graph.schema();
  std::vector<std::string_view> entity_schema(schema.kinds().size(), kOtherEntity);
  for (model::KindId k = 0; k < schema.kinds().size(); ++k) {
    for (const auto& m : kEntities) {
      if (m.kind == schema.kind(k).name) entity_schema[k] = m.schema;
    }
  }
  std::vector<const RelationMapping*> relation_mapping(schema.relations().size(), &kOtherRelation);
  for (model::RelKindId k = 0; k < schema.relations().size(); ++k) {
    for (const auto& m : kRelations) {
      if (m.kind == schema.relation(k).name) relation_mapping[k] = &m;
    }
  }
  TextSink& out = files.open("");
  FtmProperties props;
  std::string notes;
  subgraph.for_each_vertex([&](model::VertexId v) {
    const std::string_view ftm_schema = entity_schema[graph.kind(v)];
    notes.clear();
    if (graph.name_sym(v) != 0) props.add("name", std::string(graph.str(graph.name_sym(v))));
    props.add("keywords", schema.kind(graph.kind(v)).name);
    for (const auto& p : graph.properties(v)) {
      const std::string_view key = graph.str(p.key);
      if (ftm_schema == "RealEstate" && key == "location" &&
          p.value.type == model::ValueType::kLocation) {
        props.add("latitude", float_text(p.value.location.lat));
        props.add("longitude", float_text(p.value.location.lon));
        continue;
      }
      add_value(props, graph, key, entity_property(ftm_schema, key), p.value, notes, false);
    }
    // FtM requires a name of every entity (and a title of a contract): the display name.
    if (!props.has("name")) props.add("name", std::string(graph.name(v)));
    if (ftm_schema == "Contract" && !props.has("title"))
      props.add("title", std::string(graph.name(v)));
    // An id FtM could not take is written in its form, and kept here as it was.
    const std::string id = ftm_id(graph.id(v));
    if (id != graph.id(v)) notes += (notes.empty() ? "id: " : "\nid: ") + std::string(graph.id(v));
    if (!notes.empty()) props.add("notes", notes);
    props.write(out, id, ftm_schema);
    progress.step();
  });
  subgraph.for_each_relation([&](model::RelationId r) {
    const model::RelKindId kind = graph.relation_kind(r);
    const RelationMapping& m = *relation_mapping[kind];
    notes.clear();
    props.add(m.from, ftm_id(graph.id(graph.relation_source(r))));
    props.add(m.to, ftm_id(graph.id(graph.relation_target(r))));
    for (const auto& p : graph.relation_properties(r)) {
      const std::string_view key = graph.str(p.key);
      if (m.schema == "Ownership" && key == "share" && p.value.type == model::ValueType::kNumber) {
        char percent[32];
        std::snprintf(percent, sizeof percent, "%.12g", p.value.number * 100);
        props.add("percentage", percent);
        continue;
      }
      add_value(props, graph, key, relation_property(key), p.value, notes, true);
    }
    if (!props.has("role")) {
      if (!m.role.empty()) {
        props.add("role", std::string(m.role));
      } else {
        std::string role = lower(schema.relation(kind).name);
        std::replace(role.begin(), role.end(), '_', ' ');
        props.add("role", std::move(role));
      }
    }
    const std::string id = ftm_id(graph.relation_id(r));
    props.add("summary",
              "relation: " + schema.relation(kind).name +
                  (id != graph.relation_id(r) ? "\nid: " + std::string(graph.relation_id(r))
                                              : std::string()) +
                  (notes.empty() ? std::string() : "\n" + notes));
    props.write(out, id, m.schema);
    progress.step();
  });
}

}  // namespace twinscan::exports
