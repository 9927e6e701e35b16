#include "analyzer/io/registry_loader.h"
#include "analyzer/io/stored_text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <functional>
#include <future>
#include <iterator>
#include <new>
#include <optional>
#include <unordered_set>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "analyzer/io/fast_document_reader.h"
#include "analyzer/io/json_tree.h"
#include "analyzer/io/string_forecast.h"
#include "analyzer/model/date.h"
#include "analyzer/util/file_start.h"
#include "analyzer/util/nearest_name.h"
#include "analyzer/util/output_target.h"
#include "analyzer/util/serial_worker.h"

namespace twinscan::io {

using model::PropertySpec;
using model::PropertyType;
using model::Value;
using model::ValueType;
using Node = JsonTree::Node;

namespace {

constexpr std::string_view kFormat = "twinscan/1";

std::string_view as_view(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

std::string quote_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

/// Reads one document: checks its shape, converts property values to their schema
/// types and feeds entities and relations to the builder.
class RegistryLoader::DocumentReader {
 public:
  DocumentReader(RegistryLoader& loader, const diag::SourceText& source, std::uint32_t document)
      : loader_(loader),
        source_(source),
        cursor_(source),
        document_(document),
        schema_(*loader.schema_),
        strings_(loader.builder_.strings()) {}

  void read() {
    std::string error;
    std::size_t offset = 0;
    const std::size_t bad_byte = diag::find_invalid_utf8(source_.text());
    if (bad_byte != std::string_view::npos) {
      // A lost document may define what others refer to: report no unresolved ids.
      loader_.builder_.suppress_unresolved();
      error_at(bad_byte, "invalid UTF-8 (byte 0x" + hex(source_.text()[bad_byte]) +
                             "); save the file as UTF-8");
      return;
    }
    if (!tree_.parse(source_.text(), error, offset)) {
      loader_.builder_.suppress_unresolved();
      error_at(offset, error);
      return;
    }
    const Node root = tree_.root();
    if (!root.value->IsObject()) {
      error_at(tree_.offset(root),
               "a registry document must be a JSON object with \"format\", "
               "\"entities\" and \"relations\"");
      return;
    }
    bool has_format = false;
    Node entities{}, relations{};
    // A second "entities" would silently replace the first: every key once.
    check_duplicate_keys(root);
    tree_.for_each_member(root, [&](std::string_view key, Node value) {
      if (key == "format") {
        has_format = true;
        if (!value.value->IsString() || as_view(*value.value) != kFormat) {
          error_at(tree_.offset(value), "\"format\" must be \"twinscan/1\"");
        }
      } else if (key == "source") {
        read_source(value);
      } else if (key == "entities") {
        entities = value;
      } else if (key == "relations") {
        relations = value;
      } else {
        warning_at(tree_.key_offset(value),
                   "unknown top-level key '" + std::string(key) + "' is ignored" +
                       util::did_you_mean(key, {"format", "source", "entities", "relations"}));
      }
    });
    if (!has_format) {
      error_at(tree_.offset(root), "missing \"format\": \"twinscan/1\" at the top of the document");
    }
    if (!source_set_) loader_.builder_.set_document_source(document_, {}, {}, {});
    if (entities.value) read_array(entities, "entities", &DocumentReader::read_entity);
    if (relations.value) read_array(relations, "relations", &DocumentReader::read_relation);
    warn_repeated_relations();
  }

 private:
  static std::string hex(char c) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    const auto b = static_cast<unsigned char>(c);
    return {kDigits[b >> 4], kDigits[b & 15]};
  }

  // "source": {"id": "mfa", "name": "...", "role": "national-register", "retrieved": ...}.
  void read_source(Node value) {
    if (!value.value->IsObject()) {
      error_at(tree_.offset(value),
               "\"source\" must be an object such as {\"id\": \"mfa\", \"name\": \"...\", "
               "\"role\": \"national-register\", \"retrieved\": \"2024-05-01\"}");
      return;
    }
    check_duplicate_keys(value);
    std::string fields[3];  // id, name, role
    const char* keys[3] = {"id", "name", "role"};
    for (int i = 0; i < 3; ++i) {
      Node field;
      if (!tree_.find_member(value, keys[i], field)) continue;
      if (!field.value->IsString() || field.value->GetStringLength() == 0) {
        error_at(tree_.offset(field),
                 std::string("\"source\".\"") + keys[i] + "\" must be a non-empty string");
        continue;
      }
      fields[i] = as_view(*field.value);
    }
    // When the source was retrieved is not used, but a value that is no date is a sign of
    // a mistake (a field shifted, a format misread) worth a word.
    if (Node retrieved;
        tree_.find_member(value, "retrieved", retrieved) && !retrieved_is_date(*retrieved.value)) {
      warning_at(tree_.offset(retrieved),
                 "\"source\".\"retrieved\" must be an ISO 8601 date such as \"2024-05-01\" "
                 "(YYYY, YYYY-MM or YYYY-MM-DD); it is ignored");
    }
    const std::string role = fields[2];
    const model::SourceInfo& source =
        loader_.builder_.set_document_source(document_, fields[1], fields[0], fields[2]);
    source_set_ = true;
    if (!role.empty() && source.role != role) {
      Node field;
      const bool found = tree_.find_member(value, "role", field);
      warning_at(tree_.offset(found ? field : value),
                 "source '" + source.id + "' already has the role '" +
                     (source.role.empty() ? std::string("(none)") : source.role) +
                     "' from an earlier document; this document's role '" + role +
                     "' is ignored (give it another source id, or the same role)");
    }
  }

  static bool retrieved_is_date(const rapidjson::Value& v) {
    return v.IsNull() || (v.IsString() && model::parse_date(as_view(v)).has_value());
  }

  void error_at(std::size_t offset, std::string message) {
    loader_.diagnostics_.error(source_.location(offset), std::move(message));
  }
  void warning_at(std::size_t offset, std::string message) {
    loader_.diagnostics_.warning(source_.location(offset), std::move(message));
  }
  model::SourceRef ref(std::size_t offset) {
    model::SourceRef out{document_, 0, 0};
    cursor_.locate(offset, out.line, out.column);
    return out;
  }

  void read_array(Node node, const char* what, void (DocumentReader::*read_one)(Node)) {
    if (!node.value->IsArray()) {
      error_at(tree_.offset(node), std::string("\"") + what + "\" must be a list, not " +
                                       std::string(json_type_name(*node.value)));
      return;
    }
    tree_.for_each_element(node, [&](Node element) { (this->*read_one)(element); });
  }

  // Reads a required string member; reports and returns false when absent or mistyped.
  bool required_string(Node object, std::string_view key, const char* what, Node& out) {
    if (!tree_.find_member(object, key, out)) {
      error_at(tree_.offset(object), std::string(what) + " has no \"" + std::string(key) + "\"");
      return false;
    }
    if (!out.value->IsString() || out.value->GetStringLength() == 0) {
      error_at(tree_.offset(out), "\"" + std::string(key) + "\" must be a non-empty string");
      return false;
    }
    return true;
  }

  /// A relation end: an id, or a name (and kind) to match against the registry.
  struct Endpoint {
    util::Sym id = 0;
    std::string name;
    model::KindMask kinds = 0;
  };

  // Reads "from" or "to": an id string, or {"name": "...", "kind": "..."} naming an
  // entity by its name or alias (a request may not know the registry's ids).
  bool endpoint(Node relation, std::string_view key, Node& node, Endpoint& out) {
    if (!tree_.find_member(relation, key, node)) {
      error_at(tree_.offset(relation), "relation has no \"" + std::string(key) + "\"");
      return false;
    }
    if (node.value->IsString() && node.value->GetStringLength() > 0) {
      out.id = strings_.intern(as_view(*node.value));
      return true;
    }
    Node name, kind;
    if (!node.value->IsObject() || !tree_.find_member(node, "name", name) ||
        !name.value->IsString() || name.value->GetStringLength() == 0) {
      error_at(tree_.offset(node),
               "\"" + std::string(key) +
                   "\" must be an entity id, or "
                   "{\"name\": \"...\", \"kind\": \"...\"} to match an entity by name");
      return false;
    }
    out.name = as_view(*name.value);
    if (tree_.find_member(node, "kind", kind)) {
      const auto k =
          kind.value->IsString() ? schema_.find_kind(as_view(*kind.value)) : std::nullopt;
      if (!k) {
        error_at(tree_.offset(kind),
                 "unknown entity kind" + (kind.value->IsString()
                                              ? " '" + std::string(as_view(*kind.value)) + "'" +
                                                    did_you_mean_kind(as_view(*kind.value))
                                              : std::string()));
        return false;
      }
      out.kinds = model::KindMask{1} << *k;
    }
    return true;
  }

  // Reports every key that appears twice in `object`, in the order the keys come.
  bool check_duplicate_keys(Node object) {
    const std::size_t members = object.value->MemberCount();
    if (members < 2) return true;
    bool ok = true;
    auto report = [&](std::string_view key, Node value) {
      error_at(tree_.key_offset(value), "key \"" + std::string(key) + "\" appears twice");
      ok = false;
    };
    // The few members of most statements are compared pair by pair; an object of many (an
    // entity with hundreds of properties) is checked against a set of the names seen,
    // where pairs would cost the square of their number.
    if (members <= kPairwiseKeys) {
      std::vector<std::string_view> seen;
      tree_.for_each_member(object, [&](std::string_view key, Node value) {
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) report(key, value);
        seen.push_back(key);
      });
      return ok;
    }
    std::unordered_set<std::string_view> seen;
    seen.reserve(members);
    tree_.for_each_member(object, [&](std::string_view key, Node value) {
      if (!seen.insert(key).second) report(key, value);
    });
    return ok;
  }
  static constexpr std::size_t kPairwiseKeys = 16;

  void read_entity(Node node) {
    if (!node.value->IsObject()) {
      error_at(tree_.offset(node),
               "an entity must be an object, not " + std::string(json_type_name(*node.value)));
      return;
    }
    check_duplicate_keys(node);
    Node id_node, kind_node;
    const bool has_id = required_string(node, "id", "entity", id_node);
    if (!required_string(node, "kind", "entity", kind_node)) {
      if (has_id) loader_.builder_.add_dropped_entity(strings_.intern(as_view(*id_node.value)));
      return;
    }
    const std::string_view kind_name = as_view(*kind_node.value);
    const auto kind = schema_.find_kind(kind_name);
    if (!kind) {
      error_at(tree_.offset(kind_node), "unknown entity kind '" + std::string(kind_name) + "'" +
                                            did_you_mean_kind(kind_name));
      if (has_id) loader_.builder_.add_dropped_entity(strings_.intern(as_view(*id_node.value)));
      return;
    }
    if (!has_id) return;
    util::Sym name = 0;
    bool has_name = false;
    loader_.builder_.begin_entity(strings_.intern(as_view(*id_node.value)), *kind, 0,
                                  ref(tree_.offset(node)));
    tree_.for_each_member(node, [&](std::string_view key, Node value) {
      if (key == "id" || key == "kind") return;
      if (key == "from" || key == "to") {
        error_at(tree_.key_offset(value),
                 "\"" + std::string(key) + "\" belongs to relations; an entity cannot have it");
        return;
      }
      const KeyInfo& info = loader_.entity_key(*kind, key);
      if (key == "name") {
        if (!value.value->IsString()) {
          error_at(tree_.offset(value), "\"name\" must be a string");
        } else {
          name = strings_.intern(as_view(*value.value));
          has_name = true;
        }
        return;
      }
      if (!info.spec) warn_undeclared(key, schema_.kind(*kind).name, value, false);
      Value converted;
      if (convert(value, info.spec, key, converted)) {
        loader_.builder_.add_entity_property(info.sym, converted);
      }
    });
    // "name" is optional: reports show the "title", else the id (Graph::name).
    if (has_name) loader_.builder_.set_entity_name(name);
  }

  void read_relation(Node node) {
    if (!node.value->IsObject()) {
      error_at(tree_.offset(node),
               "a relation must be an object, not " + std::string(json_type_name(*node.value)));
      return;
    }
    check_duplicate_keys(node);
    Node kind_node, from_node, to_node;
    if (!required_string(node, "kind", "relation", kind_node)) return;
    Endpoint from, to;
    const bool has_from = endpoint(node, "from", from_node, from);
    const bool has_to = endpoint(node, "to", to_node, to);
    const std::string_view kind_name = as_view(*kind_node.value);
    const auto kind = schema_.find_relation(kind_name);
    if (!kind) {
      error_at(tree_.offset(kind_node), "unknown relation kind '" + std::string(kind_name) + "'" +
                                            did_you_mean_relation(kind_name));
      return;
    }
    if (!has_from || !has_to) return;
    util::Sym id = 0;
    Node id_node;
    if (tree_.find_member(node, "id", id_node)) {
      if (!id_node.value->IsString() || id_node.value->GetStringLength() == 0) {
        error_at(tree_.offset(id_node), "\"id\" must be a non-empty string");
      } else {
        id = strings_.intern(as_view(*id_node.value));
      }
    }
    // In document order, so that the position cursor mostly moves forward.
    const model::SourceRef where = ref(tree_.offset(node));
    const model::SourceRef from_where = ref(tree_.offset(from_node));
    const model::SourceRef to_where = ref(tree_.offset(to_node));
    loader_.builder_.begin_relation(id, *kind, from.id, from_where, to.id, to_where, where);
    if (!from.name.empty()) loader_.builder_.refer_by_name(false, from.name, from.kinds);
    if (!to.name.empty()) loader_.builder_.refer_by_name(true, to.name, to.kinds);
    std::optional<model::Date> since, until;
    tree_.for_each_member(node, [&](std::string_view key, Node value) {
      if (key == "id" || key == "kind" || key == "from" || key == "to") return;
      const KeyInfo& info = loader_.relation_key(*kind, key);
      if (!info.spec) warn_undeclared(key, schema_.relation(*kind).name, value, true);
      Value converted;
      if (convert(value, info.spec, key, converted)) {
        loader_.builder_.add_relation_property(info.sym, converted);
        if (converted.type == model::ValueType::kDate && (key == "since" || key == "until"))
          (key == "since" ? since : until) = converted.date;
      }
    });
    const std::string from_text = endpoint_text(from);
    const std::string to_text = endpoint_text(to);
    // A period that ends before it begins is a typo or swapped dates: the rules would read
    // the relation as never in force.
    if (since && until && until->last_days_since_epoch() < since->days_since_epoch()) {
      warning_at(tree_.offset(node), "relation " + std::string(kind_name) + " from '" + from_text +
                                         "' to '" + to_text + "' ends (until " +
                                         until->to_string() + ") before it begins (since " +
                                         since->to_string() + "); check its dates");
    }
    if (from.id == to.id && from.name == to.name && from.kinds == to.kinds) {
      warning_at(tree_.offset(node), "relation " + std::string(kind_name) + " goes from '" +
                                         from_text + "' to itself; check its \"from\" and \"to\"");
    }
    remember_relation(node, *kind, from_text, to_text, id != 0, where);
  }

  // How an endpoint is written in messages and compared: its id, or the name it gives.
  std::string endpoint_text(const Endpoint& end) const {
    return end.name.empty() ? std::string(strings_.str(end.id)) : end.name;
  }

  /// What is needed to find a relation repeated within the document: a hash of its kind
  /// and ends, a hash of its properties, and where it is.
  struct SeenRelation {
    std::uint64_t ends_hash;
    std::uint64_t properties_hash;
    std::uint64_t period_hash;  // since and until: two spells of a relation are no restatement
    bool has_id;
    std::uint32_t order;
    model::SourceRef where;
    model::RelKindId kind;
    Node node;  // to name its ends in a message (the tree lives while the document is read)
  };

  void remember_relation(Node node, model::RelKindId kind, const std::string& from,
                         const std::string& to, bool has_id, model::SourceRef where) {
    // Texts may hold any character, NUL included: the first end's length keeps the key
    // from reading two different pairs of ends alike.
    std::string ends = std::to_string(kind);
    ends += '\0';
    ends += std::to_string(from.size());
    ends += ':';
    ends += from;
    ends += to;
    std::vector<std::pair<std::string_view, std::string>> properties;
    tree_.for_each_member(node, [&](std::string_view key, Node value) {
      if (key == "id" || key == "kind" || key == "from" || key == "to") return;
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
      value.value->Accept(writer);
      properties.emplace_back(key, std::string(buffer.GetString(), buffer.GetSize()));
    });
    std::sort(properties.begin(), properties.end());
    std::string flat;
    std::string period;
    for (const auto& [key, text] : properties) {
      // A key may hold NUL; a value written as JSON holds none.
      std::string& into = key == "since" || key == "until" ? period : flat;
      into += std::to_string(key.size());
      into += ':';
      into += key;
      into += text;
      into += '\0';
    }
    flat += '\1';
    flat += period;
    seen_relations_.push_back(
        {util::hash_bytes(ends), util::hash_bytes(flat), util::hash_bytes(period), has_id,
         static_cast<std::uint32_t>(seen_relations_.size()), where, kind, node});
  }

  // The id a relation end gives, or the name it gives.
  std::string end_label(Node relation, std::string_view key) const {
    Node end, name;
    if (!tree_.find_member(relation, key, end)) return {};
    if (end.value->IsString()) return std::string(as_view(*end.value));
    if (tree_.find_member(end, "name", name) && name.value->IsString())
      return std::string(as_view(*name.value));
    return {};
  }

  // A relation given twice in one document (same kind, ends and properties, and not two
  // ids) is most likely a copy; it is warned about, not dropped.
  void warn_repeated_relations() {
    if (seen_relations_.size() < 2) return;
    auto& seen = seen_relations_;
    std::sort(seen.begin(), seen.end(), [](const SeenRelation& a, const SeenRelation& b) {
      return a.ends_hash != b.ends_hash ? a.ends_hash < b.ends_hash : a.order < b.order;
    });
    struct Repeat {
      std::uint32_t order;
      const SeenRelation* first;
      bool same_properties;
    };
    std::vector<Repeat> repeats;
    std::vector<const SeenRelation*> by_order(seen.size());
    for (const auto& r : seen) by_order[r.order] = &r;
    for (std::size_t begin = 0; begin < seen.size();) {
      std::size_t end = begin + 1;
      while (end < seen.size() && seen[end].ends_hash == seen[begin].ends_hash) ++end;
      for (std::size_t j = begin + 1; j < end; ++j) {
        const SeenRelation& b = seen[j];
        const SeenRelation* restated = nullptr;
        bool repeated = false;
        for (std::size_t i = begin; i < j; ++i) {
          const SeenRelation& a = seen[i];
          if (a.kind != b.kind) continue;
          // Two ids say the author meant two relations.
          if (!(a.has_id && b.has_id) && a.properties_hash == b.properties_hash) {
            repeats.push_back({b.order, &a, true});
            repeated = true;
            break;
          }
          if (restated == nullptr && !a.has_id && !b.has_id && a.period_hash == b.period_hash)
            restated = &a;
        }
        if (!repeated && restated != nullptr) repeats.push_back({b.order, restated, false});
      }
      begin = end;
    }
    std::sort(repeats.begin(), repeats.end(),
              [](const Repeat& a, const Repeat& b) { return a.order < b.order; });
    for (const Repeat& repeat : repeats) {
      const SeenRelation& r = *by_order[repeat.order];
      loader_.diagnostics_.warning(
          {source_.name(), r.where.line, r.where.column},
          repeated_relation_message(
              schema_.relation(r.kind).name, end_label(r.node, "from"), end_label(r.node, "to"),
              source_.name() + ":" + std::to_string(repeat.first->where.line) + ":" +
                  std::to_string(repeat.first->where.column),
              repeat.same_properties));
    }
    seen_relations_ = {};
  }

  std::string did_you_mean_kind(std::string_view name) const {
    auto hint = util::did_you_mean(name, schema_.kind_names());
    if (hint.empty()) hint = " (known kinds: " + quote_list(schema_.kind_names()) + ")";
    return hint;
  }
  std::string did_you_mean_relation(std::string_view name) const {
    auto hint = util::did_you_mean(name, schema_.relation_names());
    if (hint.empty())
      hint = " (known relation kinds: " + quote_list(schema_.relation_names()) + ")";
    return hint;
  }

  // An undeclared property is kept (typed from its JSON) but warned about once per
  // kind and key, with the nearest declared name when it looks like a typo.
  void warn_undeclared(std::string_view key, const std::string& kind_name, Node value,
                       bool relation) {
    const std::string token = kind_name + "." + std::string(key);
    if (!loader_.warned_undeclared_.insert(token).second) return;
    std::vector<std::string> names;
    if (relation) {
      names = schema_.relation_property_names(schema_.find_relation(kind_name));
    } else {
      names = schema_.entity_property_names(schema_.find_kind(kind_name));
    }
    warning_at(tree_.key_offset(value),
               "property '" + std::string(key) + "' is not in the schema for " + kind_name +
                   util::did_you_mean(key, names) + " (declare it with --schema to type-check it)");
  }

  // Converts a JSON value to the declared type, or infers a type when undeclared.
  // Returns false (after reporting) when the value does not fit; null means absent.
  bool convert(Node node, const PropertySpec* spec, std::string_view key, Value& out) {
    const rapidjson::Value& v = *node.value;
    if (v.IsNull()) return false;
    PropertyType type;
    if (spec) {
      type = spec->type;
    } else if (!infer_type(node, key, type)) {
      return false;
    }
    if (type.list) {
      if (!v.IsArray()) {
        error_at(tree_.offset(node),
                 "property '" + std::string(key) + "' must be a " + type.to_string() + ", not " +
                     std::string(json_type_name(v)) + " (write it as a list: [ ... ])");
        return false;
      }
      std::vector<Value> elements;
      elements.reserve(v.Size());
      bool ok = true;
      tree_.for_each_element(node, [&](Node element) {
        Value e;
        if (element.value->IsNull()) return;
        if (convert_scalar(element, type.scalar, key, spec, e)) {
          elements.push_back(e);
        } else {
          ok = false;
        }
      });
      if (!ok) return false;
      out = Value::of_list(loader_.builder_.add_list(elements));
      return true;
    }
    return convert_scalar(node, type.scalar, key, spec, out);
  }

  bool infer_type(Node node, std::string_view key, PropertyType& type) {
    const rapidjson::Value& v = *node.value;
    const rapidjson::Value* sample = &v;
    if (v.IsArray()) {
      type.list = true;
      if (v.Empty()) {
        type.scalar = ValueType::kString;
        return true;
      }
      sample = &v[0];
    }
    if (sample->IsString()) {
      type.scalar = ValueType::kString;
    } else if (sample->IsBool()) {
      type.scalar = ValueType::kBool;
    } else if (sample->IsInt64()) {
      type.scalar = ValueType::kInt;
    } else if (sample->IsNumber()) {
      type.scalar = ValueType::kNumber;
    } else if (sample->IsObject() && sample->HasMember("lat") && sample->HasMember("lon")) {
      type.scalar = ValueType::kLocation;
    } else {
      error_at(tree_.offset(node), "property '" + std::string(key) + "' holds " +
                                       std::string(json_type_name(*sample)) +
                                       "; a property holds a string, number, bool, date, "
                                       "location or a list of one of these");
      return false;
    }
    if (type.list) {
      // Undeclared lists of mixed integers and fractions are numbers.
      for (const auto& e : v.GetArray()) {
        if (type.scalar == ValueType::kInt && e.IsNumber() && !e.IsInt64()) {
          type.scalar = ValueType::kNumber;
        }
      }
    }
    return true;
  }

  bool convert_scalar(Node node, ValueType type, std::string_view key, const PropertySpec* spec,
                      Value& out) {
    const rapidjson::Value& v = *node.value;
    auto mistyped = [&](const std::string& hint) {
      error_at(tree_.offset(node), "property '" + std::string(key) + "' must be " + article(type) +
                                       ", not " + std::string(json_type_name(v)) + hint);
      return false;
    };
    switch (type) {
      case ValueType::kString:
        if (!v.IsString()) return mistyped("");
        check_enumeration(node, spec, key);
        out = Value::of_string(strings_.intern(stored_text(key, as_view(v), scratch_)));
        return true;
      case ValueType::kInt:
        if (!v.IsInt64()) return mistyped(v.IsNumber() ? " (a whole number is expected)" : "");
        out = Value::of_int(v.GetInt64());
        return true;
      case ValueType::kNumber:
        if (!v.IsNumber()) return mistyped("");
        out = Value::of_number(v.GetDouble());
        if (key == "share" && (out.number < 0 || out.number > 1)) {
          error_at(tree_.offset(node),
                   "'share' must lie between 0 and 1 (a fraction, not a "
                   "percentage)");
          return false;
        }
        return true;
      case ValueType::kBool:
        if (!v.IsBool())
          return mistyped(v.IsString() ? " (write true or false without quotes)" : "");
        out = Value::of_bool(v.GetBool());
        return true;
      case ValueType::kDate: {
        if (!v.IsString()) {
          return mistyped(v.IsNumber() ? " (write the date as a string: \"2019\", \"2019-04\" or "
                                         "\"2019-04-17\")"
                                       : "");
        }
        const auto date = model::parse_date(as_view(v));
        if (!date) {
          error_at(tree_.offset(node), "property '" + std::string(key) + "': '" +
                                           std::string(as_view(v)) +
                                           "' is not an ISO 8601 date (YYYY, YYYY-MM or "
                                           "YYYY-MM-DD)");
          return false;
        }
        out = Value::of_date(*date);
        return true;
      }
      case ValueType::kLocation:
        return convert_location(node, key, out);
      case ValueType::kNull:
      case ValueType::kList:
        break;
    }
    return mistyped("");
  }

  static std::string article(ValueType type) {
    switch (type) {
      case ValueType::kString:
        return "a string";
      case ValueType::kInt:
        return "an int";
      case ValueType::kNumber:
        return "a number";
      case ValueType::kBool:
        return "a bool (true or false)";
      case ValueType::kDate:
        return "a date";
      case ValueType::kLocation:
        return "a location {\"lat\": ..., \"lon\": ...}";
      default:
        return "a scalar";
    }
  }

  bool convert_location(Node node, std::string_view key, Value& out) {
    const rapidjson::Value& v = *node.value;
    if (!v.IsObject()) {
      error_at(tree_.offset(node), "property '" + std::string(key) +
                                       "' must be a location {\"lat\": ..., \"lon\": ...}, not " +
                                       std::string(json_type_name(v)));
      return false;
    }
    double lat = NAN, lon = NAN;
    bool ok = true;
    tree_.for_each_member(node, [&](std::string_view k, Node c) {
      double* slot = k == "lat" ? &lat : k == "lon" ? &lon : nullptr;
      if (!slot) {
        error_at(tree_.key_offset(c), "a location has only \"lat\" and \"lon\", not '" +
                                          std::string(k) + "'" +
                                          util::did_you_mean(k, {"lat", "lon"}));
        ok = false;
      } else if (!c.value->IsNumber()) {
        error_at(tree_.offset(c), "\"" + std::string(k) + "\" must be a number of degrees");
        ok = false;
      } else {
        *slot = c.value->GetDouble();
      }
    });
    if (!ok) return false;
    if (std::isnan(lat) || std::isnan(lon)) {
      error_at(tree_.offset(node), "a location needs both \"lat\" and \"lon\"");
      return false;
    }
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
      error_at(tree_.offset(node),
               "location out of range: lat must lie in [-90, 90] and lon in "
               "[-180, 180]");
      return false;
    }
    out = Value::of_location({static_cast<float>(lat), static_cast<float>(lon)});
    return true;
  }

  void check_enumeration(Node node, const PropertySpec* spec, std::string_view key) {
    if (!spec || spec->values.empty()) return;
    const std::string_view text = as_view(*node.value);
    if (std::find(spec->values.begin(), spec->values.end(), text) != spec->values.end()) return;
    const std::string token = "value:" + std::string(key) + "=" + std::string(text);
    if (!loader_.warned_undeclared_.insert(token).second) return;
    auto hint = util::did_you_mean(text, spec->values);
    if (hint.empty()) hint = " (known values: " + quote_list(spec->values) + ")";
    warning_at(tree_.offset(node),
               "unusual value '" + std::string(text) + "' for '" + std::string(key) + "'" + hint);
  }

  RegistryLoader& loader_;
  const diag::SourceText& source_;
  diag::SourceText::Cursor cursor_;
  std::uint32_t document_;
  const model::Schema& schema_;
  util::StringPool& strings_;
  std::string scratch_;  // a property text rewritten before it is interned
  JsonTree tree_;
  std::vector<SeenRelation> seen_relations_;
  bool source_set_ = false;
};

RegistryLoader::RegistryLoader(std::shared_ptr<const model::Schema> schema,
                               diag::Diagnostics& diagnostics)
    : schema_(schema), diagnostics_(diagnostics), builder_(schema) {
  entity_keys_.resize(schema_->kinds().size());
  relation_keys_.resize(schema_->relations().size());
}

RegistryLoader::RegistryLoader(std::unique_ptr<model::Graph> base, diag::Diagnostics& diagnostics)
    : schema_(base->schema_ptr()),
      diagnostics_(diagnostics),
      builder_(std::move(base)),
      extending_(true) {
  documents_ = builder_.document_count();
  entity_keys_.resize(schema_->kinds().size());
  relation_keys_.resize(schema_->relations().size());
}

RegistryLoader::~RegistryLoader() = default;

const RegistryLoader::KeyInfo& RegistryLoader::entity_key(model::KindId kind,
                                                          std::string_view key) {
  auto& cache = entity_keys_[kind];
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  KeyInfo info{builder_.strings().intern(key), schema_->entity_property(kind, key)};
  return cache.emplace(std::string(key), info).first->second;
}

const RegistryLoader::KeyInfo& RegistryLoader::relation_key(model::RelKindId kind,
                                                            std::string_view key) {
  auto& cache = relation_keys_[kind];
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  KeyInfo info{builder_.strings().intern(key), schema_->relation_property(kind, key)};
  return cache.emplace(std::string(key), info).first->second;
}

std::uint32_t RegistryLoader::add_source(const diag::SourceText& source) {
  return add_source(source, nullptr);
}

FastDocumentReader* RegistryLoader::fast_reader() {
  // A request merged into a snapshot is small: the full reader alone reads it.
  if (!fast_path_ || extending_) return nullptr;
  if (!fast_) {
    fast_ = std::make_unique<FastDocumentReader>(*this);
    fast_->set_parse_ahead(parse_ahead_.first, parse_ahead_.second);
    fast_->set_windows(windows_.first, windows_.second);
  }
  return fast_.get();
}

std::uint32_t RegistryLoader::add_source(const diag::SourceText& source,
                                         std::unique_ptr<FastDocumentReader::Parse> begun) {
  const std::uint32_t document = builder_.add_document(source.name());
  bytes_read_ += source.text().size();
  ++documents_;
  if (FastDocumentReader* fast = fast_reader()) {
    const model::GraphBuilder::Mark mark = builder_.mark(document);
    const bool read_whole = fast->read(source, document, std::move(begun));
    documents_parsed_ahead_ = fast->parsed_ahead();
    if (read_whole) {
      ++fast_documents_;
      return document;
    }
    // Take back all the fast reader added of the document, and read it again with the
    // full reader, whose diagnostics are the reference.
    builder_.rollback(mark);
    for (auto& cache : entity_keys_) cache.clear();
    for (auto& cache : relation_keys_) cache.clear();
    ++fallback_documents_;
  }
  DocumentReader(*this, source, document).read();
  return document;
}

void RegistryLoader::add_path(const std::string& path) {
  add_paths({path});
}

void RegistryLoader::add_paths(const std::vector<std::string>& paths) {
  // A document smaller than this is read when its turn comes, on this thread: handing it
  // to the reader and waiting for it costs more than reading it (a folder of thousands of
  // small documents, one per agreement, say). A larger one is read ahead. A small one
  // listed in a folder is read whole as the listing reads its start (while the texts so
  // kept take up to 32 MiB), and every one the listing opened has its size from then.
  constexpr std::uint64_t kReadAheadBytes = 64 * 1024;
  // Each path is a file to read or a problem to report, in the order given.
  struct Step {
    std::string file;
    std::optional<diag::Diagnostic> problem;
    std::size_t group = 0;    ///< whose strings are forecast together (forecast_groups)
    std::uint64_t bytes = 0;  ///< the file's size when listed
    /// A small document, read whole when its folder was listed (read inline: it is
    /// smaller than kReadAheadBytes).
    std::unique_ptr<util::FileLook> whole;
  };
  std::vector<Step> steps;
  std::vector<std::optional<std::string>> folder_of_file(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(paths[i], ec))
      folder_of_file[i] = std::filesystem::path(paths[i]).parent_path().string();
  }
  const std::vector<std::size_t> group_of_path = forecast_groups(folder_of_file);
  // Small documents of folders are kept whole as they are listed, up to 32 MiB in all.
  KeepWhole keep_whole{kReadAheadBytes, std::uint64_t{32} << 20};
  for (const std::string& path : paths) {
    const std::size_t group = group_of_path[static_cast<std::size_t>(&path - paths.data())];
    std::vector<ListedDocument> files;
    std::string listing_error;
    auto report = [&](diag::SourceLocation where, std::string message) {
      missing_input_ = true;
      Step step;
      step.group = group;
      step.problem =
          diag::Diagnostic{diag::Severity::kError, std::move(where), std::move(message), {}};
      steps.push_back(std::move(step));
    };
    switch (list_registry_documents(path, files, listing_error, keep_whole)) {
      case PathStatus::kOk:
        for (ListedDocument& listed : files) {
          Step step{std::move(listed.path), std::nullopt, group, 0, std::move(listed.whole)};
          if (listed.size) {
            step.bytes = *listed.size;
          } else {
            std::error_code ec;
            const std::uintmax_t size = std::filesystem::file_size(step.file, ec);
            step.bytes = ec ? 0 : static_cast<std::uint64_t>(size);
          }
          steps.push_back(std::move(step));
        }
        break;
      case PathStatus::kMissing:
        report({path, 0, 0}, "no such file or folder");
        break;
      case PathStatus::kNoDocuments:
        // An empty folder is more likely a wrong path than an empty registry.
        report({path, 0, 0},
               "folder holds no *.json documents; name a folder of registry documents, or the "
               "documents themselves");
        break;
      case PathStatus::kUnreadableFolder:
        report({path, 1, 1}, "cannot read folder: " + listing_error);
        break;
    }
  }
  // Before each document, the string pool's table is made large enough for the strings
  // the rest of its group is expected to add (string_forecast.h): a guess before the
  // group's first document, then at the rate its documents added new strings so far.
  std::vector<std::uint64_t> bytes_left_in_group(steps.size() + 1, 0);
  for (std::size_t i = steps.size(); i-- > 0;) {
    const bool same_group = i + 1 < steps.size() && steps[i + 1].group == steps[i].group;
    bytes_left_in_group[i] =
        (steps[i].problem ? 0 : steps[i].bytes) + (same_group ? bytes_left_in_group[i + 1] : 0);
  }
  std::size_t forecast_group = 0;  // none yet (groups are numbered from 1)
  std::uint64_t group_bytes_seen = 0;
  std::size_t group_strings_before = 0;
  auto expect_strings = [&](std::size_t i) {
    // A request merged into a snapshot adds a few strings to the snapshot's table.
    if (extending_) return;
    util::StringPool& strings = builder_.strings();
    if (steps[i].group != forecast_group) {
      forecast_group = steps[i].group;
      group_bytes_seen = 0;
      group_strings_before = strings.size();
    }
    const std::size_t expected = strings_to_expect(
        group_bytes_seen, strings.size() - group_strings_before, bytes_left_in_group[i]);
    try {
      strings.reserve(expected);
    } catch (const std::bad_alloc&) {
      // The table then grows as strings come, as it would have without the forecast.
    }
    group_bytes_seen += steps[i].bytes;
  };
  // While one document is parsed, the next is read from disk on a reader thread kept for
  // the whole load (reading a file costs about a tenth of parsing it), into the memory of the
  // document before last: two texts take turns, so that the memory of a new document is not faulted
  // in afresh. Once read, the next document's parse begins on a thread of its own (parsing takes
  // about twice as long as adding what was parsed, so one parse alone would leave the adding thread
  // waiting). What each read gives, its diagnostics included, is taken in the given order, so
  // nothing shows which thread read it.
  struct Read {
    diag::SourceText source{"", ""};
    std::string error;
    diag::SourceText::ReadStatus status = diag::SourceText::ReadStatus::kOk;
    std::unique_ptr<FastDocumentReader::Parse> parse;  // of `source`, so destroyed first
  };
  FastDocumentReader* const fast = fast_reader();
  // The number the next document added will have.
  auto next_document = [this] { return static_cast<std::uint32_t>(builder_.document_count()); };
  // `document`: the number the document will have (its parse's positions name it).
  auto read = [&steps, fast](std::size_t i, std::string buffer, std::uint32_t document) {
    auto r = std::make_unique<Read>();  // where the parse begun below finds it
    if (steps[i].whole) {
      // Read when its folder was listed. No output of this run may replace it.
      util::protect_input(steps[i].file, steps[i].whole->status);
      r->source = diag::SourceText(steps[i].file, std::move(steps[i].whole->text));
      steps[i].whole.reset();
    } else {
      // No output of this run may replace a document it read.
      r->status =
          diag::SourceText::read_file(steps[i].file, r->source, r->error, std::move(buffer), true);
    }
    if (r->status == diag::SourceText::ReadStatus::kOk) {
      try {
        if (fast) r->parse = fast->parse_ahead(r->source, document);
      } catch (const std::bad_alloc&) {
        // No room to begin it now: the document is parsed when it is added.
      }
    }
    return r;
  };
  auto next_file = [&steps](std::size_t from) {
    while (from < steps.size() && steps[from].problem) ++from;
    return from;
  };
  std::string spare;
  auto read_ahead = [&steps](std::size_t i) {
    return i < steps.size() && steps[i].bytes >= kReadAheadBytes;
  };
  // The document read ahead, and its step (none: steps.size()).
  std::future<std::unique_ptr<Read>> next;
  std::size_t next_index = steps.size();
  // After everything its reads refer to, so that it is done with them before they go.
  util::SerialWorker reader;
  auto begin_reading = [&](std::size_t index, std::string buffer, std::uint32_t document) {
    next_index = index;
    next = reader.run([&read, index, buffer = std::move(buffer), document]() mutable {
      return read(index, std::move(buffer), document);
    });
  };
  if (const std::size_t first = next_file(0); read_ahead(first))
    begin_reading(first, std::string(), next_document());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].problem) {
      diagnostics_.report(std::move(*steps[i].problem));
      continue;
    }
    // A document the listing kept has its own text: the spare buffer stays for the next.
    const bool kept = steps[i].whole != nullptr;
    std::unique_ptr<Read> current =
        next_index == i ? next.get()
                        : read(i, kept ? std::string() : std::move(spare), next_document());
    const bool adds_document = current->status == diag::SourceText::ReadStatus::kOk;
    if (const std::size_t following = next_file(i + 1); read_ahead(following)) {
      begin_reading(following, std::move(spare), next_document() + (adds_document ? 1 : 0));
    }
    const std::string& file = steps[i].file;
    switch (current->status) {
      case diag::SourceText::ReadStatus::kOk:
        expect_strings(i);
        add_source(current->source, std::move(current->parse));
        break;
      case diag::SourceText::ReadStatus::kMissing:
        missing_input_ = true;
        diagnostics_.error({file, 0, 0}, "no such file or folder");
        break;
      case diag::SourceText::ReadStatus::kUnreadable:
      case diag::SourceText::ReadStatus::kTooLarge:
        diagnostics_.error({file, 1, 1}, "cannot read: " + current->error);
        break;
    }
    if (!kept) spare = std::move(current->source).take_text();
  }
}

std::shared_ptr<const model::Graph> RegistryLoader::finish() {
  fast_.reset();  // the parsers' buffers (about 6 bytes per byte of the largest document each)
  auto graph = builder_.build(diagnostics_);
  return diagnostics_.has_errors() ? nullptr : graph;
}

namespace {

// Whether `text`, the start of a file, starts as a judgements file does. The format is the
// first member of a judgements file (twinscan judge writes it so): the start is enough.
bool starts_as_judgements(std::string_view text) {
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  auto expect = [&](std::string_view token) {
    skip_space();
    if (text.substr(i, token.size()) != token) return false;
    i += token.size();
    return true;
  };
  return expect("{") && expect("\"format\"") && expect(":") && expect("\"twinscan-judgements/1\"");
}

// Whether the regular file at `path` starts as a judgements file does.
bool has_judgements_head(const std::string& path) {
  char room[512];
  return starts_as_judgements(util::read_file_start(path, room));
}

}  // namespace

bool is_judgements_file(const std::string& path) {
  // Only a regular file is opened: opening a FIFO waits for a writer, and the reader
  // reports it as not a regular file anyway.
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && has_judgements_head(path);
}

PathStatus list_registry_documents(const std::string& path, std::vector<ListedDocument>& documents,
                                   std::string& error, KeepWhole& keep) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) {
    // It exists but cannot be examined: reading it says why.
    documents.push_back({path, std::nullopt, nullptr});
    return PathStatus::kOk;
  }
  if (ec || !fs::exists(status)) return PathStatus::kMissing;
  if (!fs::is_directory(status)) {
    documents.push_back({path, std::nullopt, nullptr});
    return PathStatus::kOk;
  }
  std::vector<ListedDocument> found;
  fs::directory_iterator it(path, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const auto& entry = *it;
    std::error_code entry_ec;
    // A broken or looping link is kept: reading it reports the problem. The entry's type
    // comes with the listing (only a link's is looked up): only a regular file's start is
    // read, to leave out a judgements file, and a small one is kept whole then.
    if (entry.path().extension() != ".json" || entry.is_directory(entry_ec)) continue;
    ListedDocument document{entry.path().string(), std::nullopt, nullptr};
    if (entry.is_regular_file(entry_ec)) {
      char room[512];
      constexpr std::uint64_t kPadding = diag::SourceText::kPadding;
      // Kept only while its text and its room past the end fit what is left to keep.
      const std::uint64_t keep_below =
          keep.in_all > kPadding ? std::min(keep.smaller_than, keep.in_all - kPadding + 1) : 0;
      util::FileLook look;
      const std::string_view start =
          util::look_at_file(document.path, room, keep_below, kPadding, look);
      if (starts_as_judgements(start)) continue;
      if (look.opened) document.size = static_cast<std::uint64_t>(look.status.st_size);
      if (look.whole) {
        keep.in_all -= std::min<std::uint64_t>(keep.in_all, look.text.capacity());
        document.whole = std::make_unique<util::FileLook>(std::move(look));
      }
    }
    found.push_back(std::move(document));
  }
  if (ec) {
    error = ec.message();
    return PathStatus::kUnreadableFolder;
  }
  if (found.empty()) return PathStatus::kNoDocuments;
  std::sort(found.begin(), found.end(),
            [](const ListedDocument& a, const ListedDocument& b) { return a.path < b.path; });
  documents.insert(documents.end(), std::make_move_iterator(found.begin()),
                   std::make_move_iterator(found.end()));
  return PathStatus::kOk;
}

PathStatus list_registry_path(const std::string& path, std::vector<std::string>& files,
                              std::string& error) {
  std::vector<ListedDocument> documents;
  KeepWhole keep_none;
  const PathStatus status = list_registry_documents(path, documents, error, keep_none);
  for (ListedDocument& document : documents) files.push_back(std::move(document.path));
  return status;
}

bool expand_registry_path(const std::string& path, std::vector<std::string>& files) {
  std::string error;
  return list_registry_path(path, files, error) != PathStatus::kMissing;
}

std::string repeated_relation_message(std::string_view kind, std::string_view from,
                                      std::string_view to, const std::string& first_at,
                                      bool same_properties) {
  std::string out = "relation " + std::string(kind) + " from '" + std::string(from) + "' to '" +
                    std::string(to) + "' ";
  if (same_properties) {
    return out + "repeats the one at " + first_at +
           " (same properties); remove one, or give each its own \"id\" if they are "
           "different relations";
  }
  return out + "is stated again, with other properties, after the one at " + first_at +
         "; both are kept and every rule reads both (two shares of one holder add up): "
         "remove the wrong one, or give each its own \"id\" if they are different "
         "relations";
}

}  // namespace twinscan::io
