#include "analyzer/io/import/csv_mapping.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "analyzer/io/json_tree.h"
#include "analyzer/util/embedded_text.h"
#include "analyzer/util/nearest_name.h"
#include "analyzer/util/utf8.h"

namespace twinscan::io::csv {
namespace {

using Node = JsonTree::Node;

const rapidjson::Document& schema_json() {
  static const rapidjson::Document kJson = [] {
    rapidjson::Document d;
    const std::string_view text = util::import_mapping_schema_text();
    d.Parse(text.data(), text.size());
    return d;
  }();
  return kJson;
}

const rapidjson::SchemaDocument& mapping_schema() {
  static const rapidjson::SchemaDocument kSchema(schema_json());
  return kSchema;
}

Node resolve_pointer(const JsonTree& tree, const std::string& pointer) {
  Node node = tree.root();
  std::size_t pos = 1;
  while (pointer.size() > 1 && pos <= pointer.size()) {
    const std::size_t next = pointer.find('/', pos);
    std::string token =
        pointer.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    for (std::size_t i; (i = token.find("~1")) != std::string::npos;) token.replace(i, 2, "/");
    for (std::size_t i; (i = token.find("~0")) != std::string::npos;) token.replace(i, 2, "~");
    Node child{};
    if (node.value->IsObject()) {
      if (!tree.find_member(node, token, child)) return node;
    } else if (node.value->IsArray()) {
      const std::size_t index = std::strtoul(token.c_str(), nullptr, 10);
      std::size_t i = 0;
      tree.for_each_element(node, [&](Node e) {
        if (i++ == index) child = e;
      });
      if (child.value == nullptr) return node;
    } else {
      return node;
    }
    node = child;
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return node;
}

std::string describe_schema_error(const std::string& keyword, const std::string& schema_pointer,
                                  const rapidjson::Value& instance) {
  std::string path = schema_pointer;
  if (!path.empty() && path[0] == '#') path.erase(0, 1);
  const rapidjson::Value* schema =
      path.empty() ? &schema_json() : rapidjson::Pointer(path.c_str()).Get(schema_json());
  if (keyword == "required" && schema && schema->HasMember("required") && instance.IsObject()) {
    std::string names;
    for (const auto& name : (*schema)["required"].GetArray()) {
      if (!instance.HasMember(name)) {
        names += (names.empty() ? "\"" : ", \"") + std::string(name.GetString()) + "\"";
      }
    }
    return "missing " + names;
  }
  if (keyword == "additionalProperties" && schema && schema->HasMember("properties") &&
      instance.IsObject()) {
    std::vector<std::string> known;
    for (auto it = (*schema)["properties"].MemberBegin(); it != (*schema)["properties"].MemberEnd();
         ++it) {
      known.emplace_back(it->name.GetString());
    }
    for (auto it = instance.MemberBegin(); it != instance.MemberEnd(); ++it) {
      if (!(*schema)["properties"].HasMember(it->name)) {
        return std::string("unknown key \"") + it->name.GetString() + "\"" +
               util::did_you_mean(it->name.GetString(), known);
      }
    }
  }
  if (keyword == "enum" && schema && schema->HasMember("enum")) {
    std::string values;
    for (const auto& e : (*schema)["enum"].GetArray()) {
      values += (values.empty() ? "" : ", ") + std::string(e.GetString());
    }
    return "expected one of: " + values;
  }
  if (keyword == "type" && schema && schema->HasMember("type")) {
    const auto& t = (*schema)["type"];
    return std::string("expected ") + (t.IsString() ? t.GetString() : "another type") + ", found " +
           std::string(json_type_name(instance));
  }
  if (keyword == "oneOf") {
    if (path.find("columnRef") != std::string::npos) {
      return "expected a header name or a column number from 1";
    }
    if (path.find("/kind") != std::string::npos ||
        path.find("definitions/kind") != std::string::npos) {
      return "expected a kind name or {\"column\", \"values\"}";
    }
    return "expected a string or a list of strings";
  }
  if (keyword == "minLength") return "must not be empty";
  if (keyword == "maxLength") return "too long";
  if (keyword == "minimum") return "too small";
  if (keyword == "minItems") return "must not be empty";
  return "does not satisfy the mapping schema (" + keyword + ")";
}

std::string str(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out;
}

// " (did you mean 'X'?)" or "".
std::string near(std::string_view name, const std::vector<std::string>& names) {
  const auto n = util::nearest_name(name, names);
  return n ? " (did you mean '" + *n + "'?)" : std::string();
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void append_slug(std::string& out, std::string_view text) {
  // A slug is never longer than its text (a dash stands for at least one separator), so
  // it is written in place and the rest cut off.
  const std::size_t start = out.size();
  out.resize(start + text.size());
  char* const base = out.data() + start;
  char* w = base;
  bool dash = false;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      const bool lower = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      const bool upper = c >= 'A' && c <= 'Z';
      if (lower || upper) {
        if (dash) *w++ = '-';
        dash = false;
        *w++ = upper ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
      } else if (c != '\'') {
        dash = w > base;  // spaces and punctuation; an apostrophe joins: Re'ut → reut
      }
      ++i;
      continue;
    }
    std::uint32_t cp = c;
    std::size_t len = util::decode_utf8(text, i, cp);
    if (len == 0) len = 1;
    // Spaces and punctuation: no-break spaces, dashes, the Hebrew maqaf and geresh marks
    // (and what a byte that is not UTF-8 decodes to below U+0080).
    const bool separator = cp < 0x80 || cp == 0xA0 || cp == 0x202F ||
                           (cp >= 0x2010 && cp <= 0x2015) || cp == 0x05BE || cp == 0x05F3 ||
                           cp == 0x05F4 || cp == 0x2018 || cp == 0x2019;
    const bool ascii_word =
        (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp == '\'' || cp == 0x2019 || cp == 0x05F3) {
      // an apostrophe joins
    } else if (separator && !ascii_word) {
      dash = w > base;
    } else {
      if (dash) *w++ = '-';
      dash = false;
      if (cp >= 'A' && cp <= 'Z') {
        *w++ = static_cast<char>(cp - 'A' + 'a');
      } else {
        std::memcpy(w, text.data() + i, len);
        w += len;
      }
    }
    i += len;
  }
  out.resize(start + static_cast<std::size_t>(w - base));
}

std::string slug(std::string_view text) {
  std::string out;
  append_slug(out, text);
  return out;
}

bool Template::expand(const Record& record, std::string_view self, std::string& out,
                      int& empty_column) const {
  for (const Piece& p : pieces) {
    if (p.column == -1) {
      out += p.literal;
      continue;
    }
    std::string_view field = p.column == -2
                                 ? self
                                 : (static_cast<std::size_t>(p.column) < record.size()
                                        ? record.field(static_cast<std::size_t>(p.column))
                                        : std::string_view());
    field = trim(field);
    if (field.empty()) {
      empty_column = p.column;
      return false;
    }
    if (p.slug) {
      append_slug(out, field);
    } else if (p.lower) {
      for (char c : field) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else {
      out += field;
    }
  }
  return true;
}

bool Template::names_self() const {
  return std::any_of(pieces.begin(), pieces.end(), [](const Piece& p) { return p.column == -2; });
}

bool Mapping::When::holds(const Record& record) const {
  if (column == -1) return true;
  if (column < 0 || static_cast<std::size_t>(column) >= record.size()) return false;
  const std::string_view field = trim(record.field(static_cast<std::size_t>(column)));
  return std::find(values.begin(), values.end(), field) != values.end();
}

Mapping::Mapping() = default;
Mapping::~Mapping() = default;

std::unique_ptr<Mapping> Mapping::read(const diag::SourceText& source,
                                       diag::Diagnostics& diagnostics) {
  std::unique_ptr<Mapping> m(new Mapping());
  m->tree_ = std::make_unique<JsonTree>();
  m->source_text_ = &source;
  std::string error;
  std::size_t offset = 0;
  if (!m->tree_->parse(source.text(), error, offset)) {
    diagnostics.error(source.location(offset), error);
    return nullptr;
  }
  const Node root = m->tree_->root();
  rapidjson::SchemaValidator validator(mapping_schema());
  if (!root.value->Accept(validator)) {
    rapidjson::StringBuffer pointer;
    validator.GetInvalidDocumentPointer().StringifyUriFragment(pointer);
    std::string where = pointer.GetString();
    if (!where.empty() && where[0] == '#') where.erase(0, 1);
    // RapidJSON escapes the pointer as a URI fragment; the mapping's keys are plain.
    const Node node = resolve_pointer(*m->tree_, where);
    rapidjson::StringBuffer schema_pointer;
    validator.GetInvalidSchemaPointer().StringifyUriFragment(schema_pointer);
    diagnostics.error(source.location(m->tree_->offset(node)),
                      (where.empty() ? std::string("/") : where) + ": " +
                          describe_schema_error(validator.GetInvalidSchemaKeyword(),
                                                schema_pointer.GetString(), *node.value) +
                          "; see docs/import-csv.md");
    return nullptr;
  }
  const rapidjson::Value& v = *root.value;
  if (v.HasMember("repeated_ids")) m->keep_first_ = str(v["repeated_ids"]) == "keep-first";
  if (v.HasMember("csv")) {
    const auto& c = v["csv"];
    if (c.HasMember("delimiter")) {
      std::string d = str(c["delimiter"]);
      if (d == "\\t") d = "\t";
      if (d.size() != 1 || d[0] == '\n' || d[0] == '\r' || d[0] == '"') {
        Node n{};
        Node csv{};
        (void)m->tree_->find_member(root, "csv", csv);
        (void)m->tree_->find_member(csv, "delimiter", n);
        diagnostics.error(source.location(m->tree_->offset(n)),
                          "/csv/delimiter: a delimiter is one character (\"\\t\" for a tab), "
                          "not a quote or a line break");
        return nullptr;
      }
      m->dialect_.delimiter = d[0];
    }
    if (c.HasMember("quote")) {
      const std::string q = str(c["quote"]);
      m->dialect_.quote = q.empty() ? '\0' : q[0];
    }
    if (c.HasMember("header")) m->dialect_.header = c["header"].GetBool();
    if (c.HasMember("trim")) m->dialect_.trim = c["trim"].GetBool();
    if (c.HasMember("skip_lines")) m->dialect_.skip_lines = c["skip_lines"].GetUint64();
  }
  return m;
}

namespace {

// Binds one mapping to the header and the registry schema, reporting at JSON pointers.
class Binder {
 public:
  Binder(const JsonTree& tree, const diag::SourceText& source,
         const std::vector<std::string>& header, bool has_names, const std::string& csv_file,
         const model::Schema& schema, diag::Diagnostics& diagnostics)
      : tree_(tree),
        source_(source),
        header_(header),
        has_names_(has_names),
        csv_file_(csv_file),
        schema_(schema),
        diagnostics_(diagnostics) {}

  bool ok() const { return ok_; }

  void error(Node node, const std::string& pointer, const std::string& message) {
    diagnostics_.error(source_.location(tree_.offset(node)), pointer + ": " + message);
    ok_ = false;
  }
  void warning(Node node, const std::string& pointer, const std::string& message) {
    diagnostics_.warning(source_.location(tree_.offset(node)), pointer + ": " + message);
  }

  // A column named by header name or 1-based number; -1 after reporting.
  int column(Node node, const std::string& pointer, std::string_view name_in_template = {}) {
    std::string name;
    if (name_in_template.data() != nullptr) {
      if (is_digits(name_in_template))
        return number(node, pointer,
                      std::strtoul(std::string(name_in_template).c_str(), nullptr, 10),
                      name_in_template);
      name = name_in_template;
    } else if (node.value->IsInt64() || node.value->IsUint64()) {
      return number(node, pointer, node.value->GetUint64(), {});
    } else {
      name = str(*node.value);
    }
    if (!has_names_) {
      error(node, pointer,
            "column '" + name +
                "': the input has no header (\"csv\": {\"header\": false}); "
                "name columns by number, from 1");
      return -1;
    }
    int found = -1;
    for (std::size_t i = 0; i < header_.size(); ++i) {
      if (header_[i] == name) {
        if (found >= 0) {
          error(node, pointer,
                "column '" + name + "' appears twice in the header of " + csv_file_ + " (columns " +
                    std::to_string(found + 1) + " and " + std::to_string(i + 1) +
                    "); name it by its number");
          return -1;
        }
        found = static_cast<int>(i);
      }
    }
    if (found < 0) {
      error(node, pointer,
            "no column '" + name + "' in the header of " + csv_file_ + near(name, header_) +
                "; its columns are " + quoted_list(header_));
    }
    return found;
  }

  int number(Node node, const std::string& pointer, std::uint64_t n, std::string_view as_written) {
    if (n < 1 || n > header_.size()) {
      error(node, pointer,
            "column " + (as_written.empty() ? std::to_string(n) : std::string(as_written)) +
                " is past the " + std::to_string(header_.size()) + " columns of " + csv_file_ +
                " (columns are numbered from 1)");
      return -1;
    }
    return static_cast<int>(n - 1);
  }

  Template make_template(Node node, const std::string& pointer, bool allow_self) {
    Template t;
    const std::string text = str(*node.value);
    t.text_ = text;
    std::size_t i = 0;
    std::string literal;
    while (i < text.size()) {
      if (text[i] != '{') {
        literal += text[i++];
        continue;
      }
      const std::size_t close = text.find('}', i);
      if (close == std::string::npos) {
        error(node, pointer, "'{' without '}' in the template '" + text + "'");
        return t;
      }
      if (!literal.empty()) t.pieces.push_back({literal, -1, {}, false, false});
      literal.clear();
      std::string inner = text.substr(i + 1, close - i - 1);
      Template::Piece p;
      const std::size_t bar = inner.rfind('|');
      if (bar != std::string::npos) {
        const std::string filter = inner.substr(bar + 1);
        if (filter == "slug") {
          p.slug = true;
        } else if (filter == "lower") {
          p.lower = true;
        } else {
          error(node, pointer,
                "unknown filter '|" + filter + "' in the template '" + text +
                    "'; filters are |slug and |lower");
        }
        inner.resize(bar);
      }
      p.name = inner;
      if (inner.empty()) {
        if (!allow_self) {
          error(node, pointer, "'{}' stands for the mapped column's field; name a column here");
        }
        p.column = -2;
      } else {
        p.column = column(node, pointer, inner);
        if (p.column < 0) p.column = -3;  // reported
      }
      t.pieces.push_back(std::move(p));
      i = close + 1;
    }
    if (!literal.empty()) t.pieces.push_back({literal, -1, {}, false, false});
    return t;
  }

  void bind_when(Node parent, const std::string& pointer, Mapping::When& when) {
    Node w{}, col{}, in{};
    if (!tree_.find_member(parent, "when", w)) return;
    (void)tree_.find_member(w, "column", col);
    (void)tree_.find_member(w, "in", in);
    when.column = column(col, pointer + "/when/column");
    if (when.column < 0) when.column = -3;
    for (const auto& v : in.value->GetArray()) when.values.push_back(str(v));
  }

  // The kinds the entity may have (one when fixed), for property checks.
  void bind_entity(Node node, const std::string& pointer, Mapping::Entity& e) {
    e.pointer = pointer;
    bind_when(node, pointer, e.when);
    Node id{}, kind{}, columns{};
    (void)tree_.find_member(node, "id", id);
    e.id = make_template(id, pointer + "/id", false);
    (void)tree_.find_member(node, "kind", kind);
    std::vector<model::KindId> kinds;
    if (kind.value->IsString()) {
      e.fixed_kind = str(*kind.value);
      if (auto k = schema_.find_kind(e.fixed_kind)) {
        kinds.push_back(*k);
      } else {
        error(kind, pointer + "/kind",
              "unknown kind '" + e.fixed_kind + "'" +
                  util::did_you_mean(e.fixed_kind, schema_.kind_names()));
      }
    } else {
      Node col{}, values{};
      (void)tree_.find_member(kind, "column", col);
      (void)tree_.find_member(kind, "values", values);
      e.kind_column = column(col, pointer + "/kind/column");
      if (e.kind_column >= 0) e.kind_column_name = header_[static_cast<std::size_t>(e.kind_column)];
      tree_.for_each_member(values, [&](std::string_view key, Node value) {
        const std::string k = str(*value.value);
        e.kind_table.emplace_back(std::string(key), k);
        if (auto id_kind = schema_.find_kind(k)) {
          if (std::find(kinds.begin(), kinds.end(), *id_kind) == kinds.end())
            kinds.push_back(*id_kind);
        } else {
          error(value, pointer + "/kind/values/" + std::string(key),
                "unknown kind '" + k + "'" + util::did_you_mean(k, schema_.kind_names()));
        }
      });
    }
    if (!tree_.find_member(node, "columns", columns)) return;
    std::size_t index = 0;
    std::vector<std::pair<std::string, std::string>> mapped;  // property, pointer
    tree_.for_each_element(columns, [&](Node c) {
      const std::string p = pointer + "/columns/" + std::to_string(index++);
      if (c.value->HasMember("relation")) {
        Mapping::Relation r;
        bind_relation(c, p, r);
        e.relations.push_back(std::move(r));
        return;
      }
      Mapping::Value v;
      if (!bind_value(c, p, v, &kinds, std::nullopt)) return;
      if (!v.list) {
        for (const auto& [prop, where] : mapped) {
          if (prop == v.property) {
            error(c, p + "/property",
                  "'" + v.property + "' is already mapped by " + where +
                      "; a single value comes from one column");
          }
        }
      }
      mapped.emplace_back(v.property, p);
      e.values.push_back(std::move(v));
    });
  }

  void bind_relation(Node c, const std::string& p, Mapping::Relation& r) {
    r.pointer = p;
    bind_when(c, p, r.when);
    Node kind{}, col{}, target{}, direction{}, split{}, props{};
    (void)tree_.find_member(c, "relation", kind);
    r.kind = str(*kind.value);
    const auto rel = schema_.find_relation(r.kind);
    if (!rel) {
      error(kind, p + "/relation",
            "unknown relation kind '" + r.kind + "'" +
                util::did_you_mean(r.kind, schema_.relation_names()));
    }
    if (!tree_.find_member(c, "column", col)) {
      error(c, p, "a relation needs the \"column\" that names its other end");
      return;
    }
    r.column = column(col, p + "/column");
    if (r.column >= 0) r.column_name = header_[static_cast<std::size_t>(r.column)];
    if (tree_.find_member(c, "target", target)) {
      r.target = make_template(target, p + "/target", true);
    } else {
      r.target.pieces.push_back({{}, -2, {}, false, false});
    }
    if (tree_.find_member(c, "direction", direction)) r.outgoing = str(*direction.value) == "out";
    if (tree_.find_member(c, "split", split)) r.split = str(*split.value);
    for (const char* key : {"property", "type", "format", "value", "template", "values", "true",
                            "false", "decimal", "thousands", "required"}) {
      Node n{};
      if (tree_.find_member(c, key, n)) {
        error(n, p + "/" + key,
              std::string("\"") + key +
                  "\" belongs to a property; a relation's properties go in its \"properties\"");
      }
    }
    if (tree_.find_member(c, "properties", props)) {
      std::size_t index = 0;
      tree_.for_each_element(props, [&](Node pc) {
        const std::string pp = p + "/properties/" + std::to_string(index++);
        if (pc.value->HasMember("relation")) {
          error(pc, pp + "/relation", "a relation's property cannot be a relation");
          return;
        }
        Mapping::Value v;
        if (bind_value(pc, pp, v, nullptr, rel)) r.properties.push_back(std::move(v));
      });
    }
  }

  static model::ValueType value_type(Mapping::Type t) {
    switch (t) {
      case Mapping::Type::kString:
        return model::ValueType::kString;
      case Mapping::Type::kInt:
        return model::ValueType::kInt;
      case Mapping::Type::kNumber:
      case Mapping::Type::kPercentage:
        return model::ValueType::kNumber;
      case Mapping::Type::kBool:
        return model::ValueType::kBool;
      case Mapping::Type::kDate:
        return model::ValueType::kDate;
    }
    return model::ValueType::kString;
  }

  bool bind_value(Node c, const std::string& p, Mapping::Value& v,
                  const std::vector<model::KindId>* kinds, std::optional<model::RelKindId> rel) {
    v.pointer = p;
    Node prop{}, col{}, tmpl{}, fixed{}, type{};
    if (!tree_.find_member(c, "property", prop)) {
      error(c, p, "missing \"property\" (or \"relation\"): say what the column becomes");
      return false;
    }
    v.property = str(*prop.value);
    if (v.property == "id" || v.property == "kind" || v.property == "from" || v.property == "to") {
      error(prop, p + "/property",
            "'" + v.property +
                "' is not a property; the entity's id and kind are the mapping's "
                "\"id\" and \"kind\"");
      return false;
    }
    const int sources = static_cast<int>(tree_.find_member(c, "column", col)) +
                        static_cast<int>(tree_.find_member(c, "template", tmpl)) +
                        static_cast<int>(tree_.find_member(c, "value", fixed));
    if (sources != 1) {
      error(c, p, "give exactly one of \"column\", \"template\" or \"value\"");
      return false;
    }
    if (col.value != nullptr) {
      v.column = column(col, p + "/column");
      if (v.column >= 0) v.column_name = header_[static_cast<std::size_t>(v.column)];
    } else if (tmpl.value != nullptr) {
      v.tmpl = make_template(tmpl, p + "/template", false);
      v.from_template = true;
    }
    // The declared type of the property.
    std::optional<model::PropertyType> declared;
    bool declared_somewhere = false;
    std::string declared_on;
    if (kinds != nullptr) {
      for (model::KindId k : *kinds) {
        if (const auto* spec = schema_.entity_property(k, v.property)) {
          declared = spec->type;
          declared_somewhere = true;
          declared_on = schema_.kind(k).name;
        }
      }
    } else if (rel) {
      if (const auto* spec = schema_.relation_property(*rel, v.property)) {
        declared = spec->type;
        declared_somewhere = true;
        declared_on = schema_.relation(*rel).name;
      }
    }
    if (!declared_somewhere && (kinds == nullptr || !kinds->empty()) && (kinds != nullptr || rel)) {
      const auto names = kinds != nullptr
                             ? schema_.entity_property_names(
                                   kinds->size() == 1 ? std::optional((*kinds)[0]) : std::nullopt)
                             : schema_.relation_property_names(rel);
      warning(prop, p + "/property",
              "'" + v.property + "' is not a declared property" +
                  util::did_you_mean(v.property, names) +
                  "; it is imported as written and the registry will warn about it");
    }
    if (tree_.find_member(c, "type", type)) {
      static const std::pair<const char*, Mapping::Type> kTypes[] = {
          {"string", Mapping::Type::kString}, {"int", Mapping::Type::kInt},
          {"number", Mapping::Type::kNumber}, {"percentage", Mapping::Type::kPercentage},
          {"bool", Mapping::Type::kBool},     {"date", Mapping::Type::kDate}};
      const std::string t = str(*type.value);
      for (const auto& [name, ty] : kTypes) {
        if (t == name) v.type = ty;
      }
      if (declared) {
        const model::ValueType want = declared->scalar;
        const model::ValueType got = value_type(v.type);
        const bool fits =
            want == got || (want == model::ValueType::kNumber && got == model::ValueType::kInt);
        if (!fits) {
          error(type, p + "/type",
                "'" + v.property + "' is declared " + declared->to_string() + " on " + declared_on +
                    ", so a column read as " + t + " cannot fill it; use \"type\": \"" +
                    std::string(model::to_string(want)) + "\"");
          return false;
        }
      }
    } else if (declared) {
      switch (declared->scalar) {
        case model::ValueType::kInt:
          v.type = Mapping::Type::kInt;
          break;
        case model::ValueType::kNumber:
          v.type = Mapping::Type::kNumber;
          break;
        case model::ValueType::kBool:
          v.type = Mapping::Type::kBool;
          break;
        case model::ValueType::kDate:
          v.type = Mapping::Type::kDate;
          break;
        case model::ValueType::kString:
          v.type = Mapping::Type::kString;
          break;
        default:
          error(prop, p + "/property",
                "'" + v.property + "' is declared " + declared->to_string() +
                    ", which a CSV column cannot fill");
          return false;
      }
    }
    if (!declared && type.value == nullptr && c.value->HasMember("format")) {
      v.type = Mapping::Type::kDate;  // an undeclared property with a date format is a date
    }
    Node split{};
    if (tree_.find_member(c, "split", split)) {
      v.split = str(*split.value);
      if (declared && !declared->list) {
        error(split, p + "/split",
              "'" + v.property + "' is declared " + declared->to_string() + " on " + declared_on +
                  ", one value; a split column makes a list");
        return false;
      }
    }
    v.list = !v.split.empty() || (declared && declared->list);
    Node n{};
    if (tree_.find_member(c, "format", n)) {
      if (v.type != Mapping::Type::kDate) {
        error(n, p + "/format", "a \"format\" is for dates only");
      }
      auto add = [&](Node f, const std::string& fp) {
        std::string why;
        if (auto df = DateFormat::parse(str(*f.value), why)) {
          v.formats.push_back(std::move(*df));
        } else {
          error(f, fp, "the date format '" + str(*f.value) + "' is not valid: " + why);
        }
      };
      if (n.value->IsString()) {
        add(n, p + "/format");
      } else {
        std::size_t i = 0;
        tree_.for_each_element(n, [&](Node f) { add(f, p + "/format/" + std::to_string(i++)); });
      }
    }
    if (tree_.find_member(c, "decimal", n)) v.number.decimal = str(*n.value);
    if (tree_.find_member(c, "thousands", n)) v.number.thousands = str(*n.value);
    if (v.number.decimal == v.number.thousands) {
      error(n, p + "/thousands", "the thousands separator is the decimal separator");
    }
    auto words = [&](const char* key, std::vector<std::string>& out) {
      if (!tree_.find_member(c, key, n)) return;
      if (v.type != Mapping::Type::kBool) {
        error(n, p + "/" + key, std::string("\"") + key + "\" words are for \"type\": \"bool\"");
      }
      out.clear();
      for (const auto& w : n.value->GetArray()) out.push_back(str(w));
    };
    words("true", v.true_words);
    words("false", v.false_words);
    if (tree_.find_member(c, "values", n)) {
      if (v.type != Mapping::Type::kString) {
        error(n, p + "/values", "a \"values\" table is for strings");
      }
      tree_.for_each_member(n, [&](std::string_view key, Node value) {
        v.table.emplace_back(std::string(key), str(*value.value));
      });
    }
    if (tree_.find_member(c, "required", n)) v.required = n.value->GetBool();
    if (fixed.value != nullptr) {
      rapidjson::StringBuffer b;
      rapidjson::Writer<rapidjson::StringBuffer> w(b);
      fixed.value->Accept(w);
      v.fixed_json = b.GetString();
    }
    return true;
  }

 private:
  const JsonTree& tree_;
  const diag::SourceText& source_;
  const std::vector<std::string>& header_;
  bool has_names_;
  const std::string& csv_file_;
  const model::Schema& schema_;
  diag::Diagnostics& diagnostics_;
  bool ok_ = true;
};

}  // namespace

bool Mapping::bind(const std::vector<std::string>& header, const std::string& csv_file,
                   const model::Schema& schema, diag::Diagnostics& diagnostics) {
  Binder binder(*tree_, *source_text_, header, dialect_.header, csv_file, schema, diagnostics);
  entities_.clear();
  header_ = header;
  const Node root = tree_->root();
  entities_.emplace_back();
  binder.bind_entity(root, "", entities_.back());
  Node others{};
  if (tree_->find_member(root, "entities", others)) {
    std::size_t i = 0;
    tree_->for_each_element(others, [&](Node e) {
      entities_.emplace_back();
      binder.bind_entity(e, "/entities/" + std::to_string(i++), entities_.back());
    });
  }
  share_expansions();
  auto lead = [](const Template& t) {
    return !t.pieces.empty() && t.pieces.front().column == -1 ? t.pieces.front().literal
                                                              : std::string();
  };
  const std::string own = lead(entities_.front().id);
  own_ids_apart_ = !own.empty();
  for (std::size_t i = 1; i < entities_.size(); ++i) {
    const std::string other = lead(entities_[i].id);
    const std::size_t n = std::min(own.size(), other.size());
    if (other.empty() || own.compare(0, n, other, 0, n) == 0) own_ids_apart_ = false;
  }
  return binder.ok();
}

bool Mapping::convert(const Value& v, std::string_view text, std::string& json, bool& is_text,
                      std::string& error) const {
  is_text = v.type == Type::kString || v.type == Type::kDate;
  switch (v.type) {
    case Type::kString:
      if (!v.table.empty()) {
        for (const auto& [from, to] : v.table) {
          if (from == text) {
            json += to;
            return true;
          }
        }
        std::vector<std::string> keys;
        for (const auto& kv : v.table) keys.push_back(kv.first);
        error = "is not in the value table of " + v.pointer + "/values (" + quoted_list(keys) +
                "); add it there";
        return false;
      }
      json += text;
      return true;
    case Type::kInt: {
      const auto n = read_integer(text, v.number);
      if (!n) {
        error = "is not a whole number (decimal separator '" + v.number.decimal +
                "', thousands separator '" + v.number.thousands + "', as " + v.pointer +
                " declares)";
        return false;
      }
      json += std::to_string(*n);
      return true;
    }
    case Type::kNumber: {
      const auto n = read_number(text, v.number);
      if (!n) {
        error = "is not a number (decimal separator '" + v.number.decimal +
                "', thousands separator '" + v.number.thousands + "', as " + v.pointer +
                " declares)";
        return false;
      }
      json += number_text(*n);
      return true;
    }
    case Type::kPercentage: {
      const auto n = read_percentage(text, v.number);
      if (!n) {
        error = "is not a percentage from 0 to 100 (such as \"51 %\" or \"51" + v.number.decimal +
                "5%\", as " + v.pointer + " declares)";
        return false;
      }
      json += number_text(*n);
      return true;
    }
    case Type::kBool:
      for (const auto& w : v.true_words) {
        if (equals_folded(w, text)) {
          json += "true";
          return true;
        }
      }
      for (const auto& w : v.false_words) {
        if (equals_folded(w, text)) {
          json += "false";
          return true;
        }
      }
      error = "is not one of the words " + v.pointer + " declares for true (" +
              quoted_list(v.true_words) + ") or false (" + quoted_list(v.false_words) + ")";
      return false;
    case Type::kDate: {
      if (v.formats.empty()) {
        if (const auto d = model::parse_date(text)) {
          json += d->to_string();
          return true;
        }
        error = "is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD); declare its format in " +
                v.pointer + "/format";
        return false;
      }
      for (const auto& f : v.formats) {
        if (const auto d = f.read(text)) {
          json += d->to_string();
          return true;
        }
      }
      std::string formats;
      for (const auto& f : v.formats) formats += (formats.empty() ? "" : " or ") + f.pattern();
      error = "is not a date in the format " + formats + " (declared at " + v.pointer + "/format)";
      return false;
    }
  }
  return false;
}

namespace {

void split_items(std::string_view text, std::string_view sep, std::vector<std::string_view>& out) {
  out.clear();
  if (sep.empty()) {
    if (!trim(text).empty()) out.push_back(trim(text));
    return;
  }
  std::size_t pos = 0;
  for (;;) {
    const std::size_t next = text.find(sep, pos);
    const std::string_view item = trim(
        text.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
    if (!item.empty()) out.push_back(item);
    if (next == std::string_view::npos) break;
    pos = next + sep.size();
  }
}

}  // namespace

bool Mapping::add_value(const Value& v, const Record& record, imports::Fields& fields,
                        std::vector<RowError>& errors) const {
  if (v.column < 0 && !v.from_template) {
    fields.raw(v.property, v.fixed_json);
    return true;
  }
  std::string& expanded = expanded_;
  expanded.clear();
  std::string_view text;
  const std::size_t col = v.column >= 0 ? static_cast<std::size_t>(v.column) : 0;
  if (v.from_template) {
    int empty = -1;
    if (!expand(v.tmpl, record, {}, expanded, empty)) {
      if (v.required) {
        errors.push_back({record.line(), 1,
                          "the template of " + v.pointer +
                              " needs a value in every field it names, and '" +
                              (empty >= 0 && static_cast<std::size_t>(empty) < header_.size()
                                   ? header_[static_cast<std::size_t>(empty)]
                                   : std::string("?")) +
                              "' is empty; fill it in"});
        return false;
      }
      return true;
    }
    text = expanded;
  } else {
    text = trim(record.field(col));
  }
  auto error_at = [&](std::string message) {
    if (v.from_template) {
      errors.push_back({record.line(), 1, std::move(message)});
    } else {
      errors.push_back({record.field_line(col), record.field_column(col), std::move(message)});
    }
  };
  if (text.empty()) {
    if (v.required) {
      error_at("column '" + v.column_name + "' is empty, and " + v.pointer +
               " requires a value; fill it in");
      return false;
    }
    return true;
  }
  std::vector<std::string_view>& items = value_items_;
  split_items(text, v.split, items);
  if (items.empty()) return true;
  bool ok = true;
  std::string& list_json = list_json_;
  list_json.clear();
  std::string& value = value_;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string why;
    bool is_text = false;
    value.clear();
    if (!convert(v, items[i], value, is_text, why)) {
      error_at("'" + std::string(items[i]) + "' in column '" +
               (v.from_template ? v.tmpl.text() : v.column_name) + "' " + why);
      ok = false;
      continue;
    }
    if (is_text && value.empty()) continue;  // a value table's "" says: no value
    if (!v.list) {
      if (is_text) {
        fields.text(v.property, value);
      } else {
        fields.raw(v.property, value);
      }
    } else if (is_text) {
      fields.add(v.property, value);
    } else {
      list_json += list_json.empty() ? "[" : ", ";
      list_json += value;
    }
  }
  if (!list_json.empty()) {
    list_json += ']';
    fields.raw(v.property, list_json);
  }
  return ok;
}

imports::Entity& RowOutput::next_entity() {
  if (entity_count == entities.size()) entities.emplace_back();
  imports::Entity& e = entities[entity_count];
  e.id.clear();
  e.kind.clear();
  e.fields.clear();
  return e;
}

imports::Relation& RowOutput::next_relation() {
  if (relation_count == relations.size()) relations.emplace_back();
  imports::Relation& r = relations[relation_count];
  r.kind.clear();
  r.from.clear();
  r.to.clear();
  r.id.clear();
  r.fields.clear();
  return r;
}

bool Mapping::own_id(const Record& record, std::string& out) const {
  out.clear();
  if (entities_.empty() || !entities_.front().when.holds(record)) return false;
  int empty = -1;
  return entities_.front().id.expand(record, {}, out, empty);
}

void Mapping::share_expansions() {
  std::vector<Template*> all;
  for (Entity& e : entities_) {
    all.push_back(&e.id);
    for (Value& v : e.values) {
      if (v.from_template) all.push_back(&v.tmpl);
    }
    for (Relation& r : e.relations) {
      // Unsplit, the field being mapped is the relation's column: "city:{|slug}" of the
      // Partner column makes what "city:{Partner|slug}" does.
      if (r.split.empty() && r.column >= 0) {
        for (Template::Piece& piece : r.target.pieces) {
          if (piece.column == -2) piece.column = r.column;
        }
      }
      all.push_back(&r.target);
      for (Value& v : r.properties) {
        if (v.from_template) all.push_back(&v.tmpl);
      }
    }
  }
  const auto same = [](const Template& a, const Template& b) {
    return std::equal(a.pieces.begin(), a.pieces.end(), b.pieces.begin(), b.pieces.end(),
                      [](const Template::Piece& x, const Template::Piece& y) {
                        return x.column == y.column && x.literal == y.literal && x.slug == y.slug &&
                               x.lower == y.lower;
                      });
  };
  std::vector<const Template*> shared;
  for (Template* t : all) {
    t->expansion = -1;
    if (t->names_self()) continue;
    const auto found =
        std::find_if(shared.begin(), shared.end(), [&](const Template* o) { return same(*o, *t); });
    t->expansion = static_cast<int>(found - shared.begin());
    if (found == shared.end()) shared.push_back(t);
  }
  expansions_.assign(shared.size(), Expansion{});
}

bool Mapping::expand(const Template& t, const Record& record, std::string_view self,
                     std::string& out, int& empty_column) const {
  if (t.expansion < 0) return t.expand(record, self, out, empty_column);
  Expansion& e = expansions_[static_cast<std::size_t>(t.expansion)];
  if (e.row != row_) {
    e.row = row_;
    e.text.clear();
    e.empty_column = -1;
    e.ok = t.expand(record, {}, e.text, e.empty_column);
  }
  empty_column = e.empty_column;
  if (e.ok) out += e.text;
  return e.ok;
}

void Mapping::map_row(const Record& record, RowOutput& out, std::vector<RowError>& errors,
                      KnownIds known) const {
  out.clear();
  ++row_;  // a new row: the expansions of the last are stale
  if (known.prefetches()) {
    // The other entities' ids are asked about below, one by one: their slots in the table
    // of known ids are fetched together first.
    for (std::size_t ei = 1; ei < entities_.size(); ++ei) {
      const Template& id = entities_[ei].id;
      if (id.expansion < 0 || !entities_[ei].when.holds(record)) continue;
      int empty = -1;
      value_.clear();
      if (expand(id, record, {}, value_, empty)) known.prefetch(value_);
    }
  }
  std::vector<std::string_view>& items = relation_items_;
  for (std::size_t ei = 0; ei < entities_.size(); ++ei) {
    const Entity& e = entities_[ei];
    const bool primary = ei == 0;
    if (!e.when.holds(record)) continue;
    imports::Entity& entity = out.next_entity();
    int empty = -1;
    if (!expand(e.id, record, {}, entity.id, empty)) {
      if (primary) {
        const bool present = empty >= 0 && static_cast<std::size_t>(empty) < record.size();
        const auto col = static_cast<std::size_t>(present ? empty : 0);
        errors.push_back({present ? record.field_line(col) : record.line(),
                          present ? record.field_column(col) : 1,
                          "the id '" + e.id.text() + "' needs column '" +
                              (present ? header_[col] : std::string("?")) +
                              "', which is empty in this row; fill it in"});
      }
      continue;  // another entity of the row is named only when its id's fields are filled
    }
    if (e.kind_column >= 0) {
      const auto col = static_cast<std::size_t>(e.kind_column);
      const std::string_view text = trim(record.field(col));
      for (const auto& [from, to] : e.kind_table) {
        if (from == text) entity.kind = to;
      }
      if (entity.kind.empty()) {
        std::vector<std::string> keys;
        for (const auto& kv : e.kind_table) keys.push_back(kv.first);
        errors.push_back({record.field_line(col), record.field_column(col),
                          "'" + std::string(text) + "' in column '" + e.kind_column_name +
                              "' is not in the kind table of " + e.pointer + "/kind/values (" +
                              quoted_list(keys) + "); add it there"});
        continue;
      }
    } else {
      entity.kind = e.fixed_kind;
    }
    // Another entity named again (a municipality on many rows) is not read again.
    const bool skip = !primary && known(entity.id);
    if (!skip) {
      for (const Value& v : e.values) add_value(v, record, entity.fields, errors);
    }
    for (const Relation& r : e.relations) {
      if (!r.when.holds(record)) continue;
      const auto col = static_cast<std::size_t>(r.column);
      split_items(trim(record.field(col)), r.split, items);
      for (std::string_view self : items) {
        imports::Relation& rel = out.next_relation();
        std::string& target = r.outgoing ? rel.to : rel.from;
        int empty_target = -1;
        if (!expand(r.target, record, self, target, empty_target)) continue;
        rel.kind = r.kind;
        (r.outgoing ? rel.from : rel.to) = entity.id;
        for (const Value& v : r.properties) add_value(v, record, rel.fields, errors);
        ++out.relation_count;
      }
    }
    if (primary) out.has_primary = true;
    if (!skip) ++out.entity_count;
  }
}

}  // namespace twinscan::io::csv
