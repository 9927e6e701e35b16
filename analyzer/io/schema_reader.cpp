#include "analyzer/io/schema_reader.h"

#include "analyzer/io/json_tree.h"
#include "analyzer/util/embedded_text.h"
#include "analyzer/util/nearest_name.h"
#include "analyzer/util/output_target.h"

namespace twinscan::io {
namespace {

using model::KindMask;
using model::PropertySpec;
using model::Schema;

class SchemaReader {
 public:
  SchemaReader(const diag::SourceText& source, Schema& schema, diag::Diagnostics& diagnostics)
      : source_(source), schema_(schema), diagnostics_(diagnostics) {}

  bool read() {
    std::string error;
    std::size_t offset = 0;
    if (!tree_.parse(source_.text(), error, offset)) {
      diagnostics_.error(source_.location(offset), error);
      return false;
    }
    const auto root = tree_.root();
    if (!root.value->IsObject()) {
      fail(root, "a schema document must be a JSON object");
      return false;
    }
    JsonTree::Node entities, relations;
    tree_.for_each_member(root, [&](std::string_view key, JsonTree::Node value) {
      if (key == "format") {
        if (!value.value->IsString() ||
            value.value->GetString() != std::string_view("twinscan-schema/1")) {
          fail(value, "\"format\" must be \"twinscan-schema/1\"");
        }
      } else if (key == "entity_properties") {
        read_properties(value, schema_.mutable_common_entity_properties());
      } else if (key == "relation_properties") {
        read_properties(value, schema_.mutable_common_relation_properties());
      } else if (key == "entities") {
        entities = value;
      } else if (key == "relations") {
        relations = value;
      } else {
        fail_key(value,
                 "unknown schema key '" + std::string(key) + "'" +
                     util::did_you_mean(key, {"format", "entity_properties", "relation_properties",
                                              "entities", "relations"}));
      }
    });
    // Kinds first: relation endpoints name them.
    if (entities.value) read_entities(entities);
    if (relations.value) read_relations(relations);
    return !failed_;
  }

 private:
  void fail(JsonTree::Node node, std::string message) {
    diagnostics_.error(source_.location(tree_.offset(node)), std::move(message));
    failed_ = true;
  }
  void fail_key(JsonTree::Node node, std::string message) {
    diagnostics_.error(source_.location(tree_.key_offset(node)), std::move(message));
    failed_ = true;
  }

  void read_properties(JsonTree::Node node, std::vector<PropertySpec>& into) {
    if (!node.value->IsObject()) return fail(node, "properties must be an object of name: type");
    tree_.for_each_member(node, [&](std::string_view name, JsonTree::Node value) {
      if (name == "id" || name == "kind" || name == "from" || name == "to") {
        return fail_key(value, "'" + std::string(name) + "' is reserved and cannot be a property");
      }
      PropertySpec spec;
      spec.name = name;
      JsonTree::Node type_node = value;
      JsonTree::Node event_node;
      if (value.value->IsObject()) {
        if (!tree_.find_member(value, "type", type_node)) {
          return fail(value, "property '" + spec.name + "' needs a \"type\"");
        }
        tree_.for_each_member(value, [&](std::string_view key, JsonTree::Node v) {
          if (key == "type") return;
          if (key == "description" && v.value->IsString()) {
            spec.description = v.value->GetString();
          } else if (key == "required" && v.value->IsBool()) {
            spec.required = v.value->GetBool();
          } else if (key == "event" && v.value->IsString() && v.value->GetStringLength() > 0) {
            spec.event = v.value->GetString();
            event_node = v;
          } else if (key == "values" && v.value->IsArray()) {
            tree_.for_each_element(v, [&](JsonTree::Node e) {
              if (e.value->IsString()) {
                spec.values.emplace_back(e.value->GetString());
              } else {
                fail(e, "enumeration values must be strings");
              }
            });
          } else {
            fail_key(v, "unknown or mistyped property attribute '" + std::string(key) +
                            "' (expected type, description, required, values, event)");
          }
        });
      }
      if (!type_node.value->IsString()) {
        return fail(type_node,
                    "a property type must be a string such as \"string\" or \"list<date>\"");
      }
      const std::string_view text(type_node.value->GetString(), type_node.value->GetStringLength());
      const auto type = model::parse_property_type(text);
      if (!type) {
        return fail(type_node, "unknown property type '" + std::string(text) +
                                   "' (expected string, int, number, bool, date, location or "
                                   "list<...> of one of them)");
      }
      spec.type = *type;
      if (!spec.event.empty() && (spec.type.scalar != model::ValueType::kDate || spec.type.list)) {
        return fail(event_node, "property '" + spec.name +
                                    "' has an \"event\" but is not of type \"date\"; only a "
                                    "date marks an event");
      }
      model::upsert_property(into, std::move(spec));
    });
  }

  void read_entities(JsonTree::Node node) {
    if (!node.value->IsObject()) return fail(node, "\"entities\" must be an object of kind: spec");
    tree_.for_each_member(node, [&](std::string_view name, JsonTree::Node value) {
      if (!value.value->IsObject()) return fail(value, "an entity kind's spec must be an object");
      auto id = schema_.find_kind(name);
      if (!id) {
        if (schema_.kinds().size() >= model::kMaxEntityKinds) {
          return fail_key(value, "too many entity kinds (at most 64)");
        }
        model::EntityKindSpec spec;
        spec.name = name;
        id = schema_.add_kind(std::move(spec));
      }
      tree_.for_each_member(value, [&](std::string_view key, JsonTree::Node v) {
        if (key == "description" && v.value->IsString()) {
          schema_.mutable_kind(*id).description = v.value->GetString();
        } else if (key == "properties") {
          read_properties(v, schema_.mutable_kind(*id).properties);
        } else {
          fail_key(v, "unknown or mistyped entity kind attribute '" + std::string(key) +
                          "' (expected description, properties)");
        }
      });
    });
  }

  KindMask read_endpoints(JsonTree::Node node) {
    if (node.value->IsString() && node.value->GetString() == std::string_view("*")) {
      return ~KindMask{0};
    }
    if (!node.value->IsArray()) {
      fail(node, "relation endpoints must be a list of entity kinds or \"*\"");
      return 0;
    }
    KindMask mask = 0;
    tree_.for_each_element(node, [&](JsonTree::Node e) {
      if (!e.value->IsString()) return fail(e, "an endpoint must be an entity kind name");
      const std::string_view name(e.value->GetString(), e.value->GetStringLength());
      if (const auto kind = schema_.find_kind(name)) {
        mask |= KindMask{1} << *kind;
      } else {
        fail(e, "unknown entity kind '" + std::string(name) + "'" +
                    util::did_you_mean(name, schema_.kind_names()));
      }
    });
    return mask;
  }

  // "pairs": [["Municipality", "ForeignCity"], ...]: the only kinds a relation may join,
  // as (source, target); each kind is also allowed at its end.
  void read_pairs(JsonTree::Node node, model::RelationKindSpec& spec) {
    if (!node.value->IsArray())
      return fail(node, "\"pairs\" must be a list of [source kind, target kind] pairs");
    tree_.for_each_element(node, [&](JsonTree::Node pair) {
      if (!pair.value->IsArray() || pair.value->Size() != 2 || !(*pair.value)[0].IsString() ||
          !(*pair.value)[1].IsString())
        return fail(pair,
                    "a pair must be [source kind, target kind], such as "
                    "[\"Municipality\", \"ForeignCity\"]");
      model::KindId ends[2] = {0, 0};
      for (rapidjson::SizeType i = 0; i < 2; ++i) {
        const std::string_view name((*pair.value)[i].GetString(),
                                    (*pair.value)[i].GetStringLength());
        const auto kind = schema_.find_kind(name);
        if (!kind)
          return fail(pair, "unknown entity kind '" + std::string(name) + "'" +
                                util::did_you_mean(name, schema_.kind_names()));
        ends[i] = *kind;
      }
      spec.pairs.emplace_back(ends[0], ends[1]);
      spec.from |= KindMask{1} << ends[0];
      spec.to |= KindMask{1} << ends[1];
    });
  }

  void read_relations(JsonTree::Node node) {
    if (!node.value->IsObject()) return fail(node, "\"relations\" must be an object of kind: spec");
    tree_.for_each_member(node, [&](std::string_view name, JsonTree::Node value) {
      if (!value.value->IsObject()) return fail(value, "a relation kind's spec must be an object");
      auto id = schema_.find_relation(name);
      const bool is_new = !id;
      if (is_new) {
        model::RelationKindSpec spec;
        spec.name = name;
        id = schema_.add_relation(std::move(spec));
      }
      bool has_from = false, has_to = false;
      tree_.for_each_member(value, [&](std::string_view key, JsonTree::Node v) {
        auto& spec = schema_.mutable_relation(*id);
        if (key == "description" && v.value->IsString()) {
          spec.description = v.value->GetString();
        } else if (key == "from") {
          spec.from |= read_endpoints(v);
          has_from = true;
        } else if (key == "to") {
          spec.to |= read_endpoints(v);
          has_to = true;
        } else if (key == "properties") {
          read_properties(v, spec.properties);
        } else if (key == "pairs") {
          read_pairs(v, spec);
        } else {
          fail_key(v, "unknown or mistyped relation kind attribute '" + std::string(key) +
                          "' (expected description, from, to, pairs, properties)");
        }
      });
      if (is_new && (!has_from || !has_to)) {
        fail_key(value, "relation kind '" + std::string(name) + "' needs \"from\" and \"to\"");
      }
    });
  }

  const diag::SourceText& source_;
  Schema& schema_;
  diag::Diagnostics& diagnostics_;
  JsonTree tree_;
  bool failed_ = false;
};

}  // namespace

bool read_schema(const diag::SourceText& source, model::Schema& schema,
                 diag::Diagnostics& diagnostics) {
  return SchemaReader(source, schema, diagnostics).read();
}

std::shared_ptr<const model::Schema> load_schema(
    const std::vector<std::string>& extensions, diag::Diagnostics& diagnostics, bool& missing,
    std::vector<std::pair<std::string, std::string>>* texts) {
  auto schema = std::make_shared<model::Schema>();
  const std::string builtin(util::builtin_schema_text());
  bool ok = read_schema(diag::SourceText(kBuiltinSchemaName, builtin), *schema, diagnostics);
  if (texts) texts->emplace_back(kBuiltinSchemaName, builtin);
  for (const auto& path : extensions) {
    diag::SourceText source("", "");
    std::string error;
    const auto status = diag::SourceText::read_file(path, source, error);
    if (status != diag::SourceText::ReadStatus::kOk) {
      if (status == diag::SourceText::ReadStatus::kMissing) missing = true;
      diagnostics.error({path, 0, 0}, "cannot read schema: " + error);
      ok = false;
      continue;
    }
    util::protect_input(path);  // no output of this run may replace the schema it reads
    ok = read_schema(source, *schema, diagnostics) && ok;
    if (texts) texts->emplace_back(path, source.text());
  }
  return ok ? schema : nullptr;
}

}  // namespace twinscan::io
