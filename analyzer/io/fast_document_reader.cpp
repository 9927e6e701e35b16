#include "analyzer/io/fast_document_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <rapidjson/reader.h>
#include <simdjson.h>

#include "analyzer/diag/source_text.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/model/date.h"
#include "analyzer/util/hash.h"

namespace twinscan::io {

using model::PropertySpec;
using model::PropertyType;
using model::SourceRef;
using model::Value;
using model::ValueType;
using util::Sym;
namespace od = simdjson::ondemand;

namespace {

constexpr std::string_view kFormat = "twinscan/1";
// Property values nest at most three levels below an entity or relation (a list of
// locations and their coordinates); anything deeper is an error the full reader reports.
constexpr int kMaxDepth = 3;

// The double RapidJSON makes of the number at `text` (without kParseFullPrecisionFlag,
// as the full reader parses), so that both paths store the same bits.
struct DoubleHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DoubleHandler> {
  double value = 0;
  bool Double(double d) {
    value = d;
    return true;
  }
  static bool Default() { return false; }
};

bool rapidjson_double(const char* text, double& out) {
  rapidjson::Reader reader;
  rapidjson::StringStream stream(text);
  DoubleHandler handler;
  if (!reader.Parse<rapidjson::kParseStopWhenDoneFlag>(stream, handler)) return false;
  out = handler.value;
  return true;
}

// Code points in valid UTF-8 text, counted as a diagnostic's column counts them.
std::size_t code_points(const char* p, std::size_t n) {
  return diag::count_code_points(std::string_view(p, n));
}

}  // namespace

class FastDocumentReader::Impl {
 public:
  explicit Impl(RegistryLoader& loader)
      : loader_(loader),
        builder_(loader.builder_),
        schema_(*loader.schema_),
        strings_(loader.builder_.strings()) {
    warned_entity_keys_.resize(schema_.kinds().size());
    warned_relation_keys_.resize(schema_.relations().size());
  }

  bool read(const diag::SourceText& source, std::uint32_t document) {
    source_ = &source;
    document_ = document;
    pos_ = 0;
    line_ = 1;
    column_ = 1;
    source_set_ = false;
    seen_.clear();
    end_names_.clear();
    repeats_.clear();
    ends_table_.assign(1024, EndsSlot{});
    ends_used_ = 0;
    const std::string& text = source.text();
    simdjson::padded_string_view view;
    if (text.capacity() - text.size() >= simdjson::SIMDJSON_PADDING) {
      view = simdjson::padded_string_view(text.data(), text.size(), text.capacity());
    } else {
      padded_ = simdjson::padded_string(text);
      view = padded_;
    }
    base_ = view.data();
    unchecked_ends_.clear();
    const bool ok = read_document(view) && check_ends();
    // The strings the parser holds are not needed past the document.
    padded_ = simdjson::padded_string();
    if (!ok) return false;
    report_repeats();
    return true;
  }

 private:
  enum class Kind : std::uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
  /// A parsed value: the entity or relation being read is held as these, in pre-order,
  /// so that its members can be looked up in any order before anything is added.
  struct J {
    Kind kind = Kind::kNull;
    bool boolean = false;
    std::uint32_t end = 0;     // index one past the subtree
    std::uint32_t offset = 0;  // where it starts (only where asked for)
    std::string_view key;      // the member name naming it, if any
    std::string_view text;     // a string's unescaped text
    std::int64_t integer = 0;
    double number = 0;
    [[nodiscard]] bool is_number() const { return kind == Kind::kInt || kind == Kind::kDouble; }
    [[nodiscard]] double as_double() const {
      return kind == Kind::kInt ? static_cast<double>(integer) : number;
    }
  };

  bool read_document(simdjson::padded_string_view view) {
    od::document doc;
    if (parser_.iterate(view).get(doc)) return false;
    od::object root;
    if (doc.get_object().get(root)) return false;
    bool has_format = false, seen_source = false, seen_entities = false, seen_relations = false;
    for (auto member : root) {
      od::field field;
      std::string_view key;
      if (std::move(member).get(field) || field.unescaped_key().get(key)) return false;
      od::value value = field.value();
      if (key == "format") {
        std::string_view format;
        if (has_format || value.get_string().get(format) || format != kFormat) return false;
        has_format = true;
      } else if (key == "source") {
        if (seen_source || seen_entities || seen_relations) return false;
        seen_source = true;
        nodes_.clear();
        if (!parse(value, 0, {}, false) || !read_source()) return false;
      } else if (key == "entities") {
        if (seen_entities || seen_relations) return false;
        seen_entities = true;
        start_statements();
        od::array array;
        if (value.get_array().get(array)) return false;
        for (auto element : array) {
          od::value v;
          if (std::move(element).get(v) || !read_entity(v)) return false;
        }
      } else if (key == "relations") {
        if (seen_relations) return false;
        seen_relations = true;
        start_statements();
        od::array array;
        if (value.get_array().get(array)) return false;
        for (auto element : array) {
          od::value v;
          if (std::move(element).get(v) || !read_relation(v)) return false;
        }
      } else {
        return false;  // an unknown key is warned about
      }
    }
    // Nothing may follow the top-level object.
    const char* rest = nullptr;
    if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) return false;
    if (!has_format) return false;
    start_statements();
    return true;
  }

  void start_statements() {
    if (source_set_) return;
    builder_.set_document_source(document_, {}, {}, {});
    source_set_ = true;
  }

  // Parses `value` (and what it holds) onto nodes_; false on malformed JSON or nesting
  // deeper than any valid property.
  bool parse(od::value& value, int depth, std::string_view key, bool want_offset) {
    od::json_type type;
    if (value.type().get(type)) return false;
    J node;
    node.key = key;
    if (want_offset) {
      node.offset = static_cast<std::uint32_t>(value.raw_json_token().data() - base_);
    }
    const auto index = static_cast<std::uint32_t>(nodes_.size());
    switch (type) {
      case od::json_type::object: {
        if (depth >= kMaxDepth) return false;
        node.kind = Kind::kObject;
        nodes_.push_back(node);
        od::object object;
        if (value.get_object().get(object)) return false;
        for (auto member : object) {
          od::field field;
          std::string_view k;
          if (std::move(member).get(field) || field.unescaped_key().get(k)) return false;
          const bool end = depth == 0 && (k == "from" || k == "to");
          if (!parse(field.value(), depth + 1, k, end)) return false;
        }
        nodes_[index].end = static_cast<std::uint32_t>(nodes_.size());
        return true;
      }
      case od::json_type::array: {
        if (depth >= kMaxDepth) return false;
        node.kind = Kind::kArray;
        nodes_.push_back(node);
        od::array array;
        if (value.get_array().get(array)) return false;
        for (auto element : array) {
          od::value v;
          if (std::move(element).get(v) || !parse(v, depth + 1, {}, false)) return false;
        }
        nodes_[index].end = static_cast<std::uint32_t>(nodes_.size());
        return true;
      }
      case od::json_type::number: {
        od::number_type number_type;
        if (value.get_number_type().get(number_type)) return false;
        if (number_type == od::number_type::signed_integer) {
          node.kind = Kind::kInt;
          if (value.get_int64().get(node.integer)) return false;
        } else if (number_type == od::number_type::floating_point_number) {
          node.kind = Kind::kDouble;
          if (value.get_double().get(node.number) ||
              !rapidjson_double(value.raw_json_token().data(), node.number)) {
            return false;
          }
        } else {
          return false;  // past int64: RapidJSON holds it otherwise
        }
        break;
      }
      case od::json_type::string:
        node.kind = Kind::kString;
        if (value.get_string().get(node.text)) return false;
        break;
      case od::json_type::boolean:
        node.kind = Kind::kBool;
        if (value.get_bool().get(node.boolean)) return false;
        break;
      case od::json_type::null: {
        bool is_null = false;
        if (value.is_null().get(is_null) || !is_null) return false;
        node.kind = Kind::kNull;
        break;
      }
      default:
        return false;
    }
    node.end = index + 1;
    nodes_.push_back(node);
    return true;
  }

  // The first member `key` of object node `object`, or 0 (the root is never a member).
  [[nodiscard]] std::uint32_t find(std::uint32_t object, std::string_view key) const {
    for (std::uint32_t i = object + 1; i < nodes_[object].end; i = nodes_[i].end) {
      if (nodes_[i].key == key) return i;
    }
    return 0;
  }
  [[nodiscard]] bool has_duplicate_keys(std::uint32_t object) const {
    for (std::uint32_t i = object + 1; i < nodes_[object].end; i = nodes_[i].end) {
      for (std::uint32_t j = object + 1; j < i; j = nodes_[j].end) {
        if (nodes_[j].key == nodes_[i].key) return true;
      }
    }
    return false;
  }
  [[nodiscard]] bool non_empty_string(std::uint32_t node) const {
    return node != 0 && nodes_[node].kind == Kind::kString && !nodes_[node].text.empty();
  }

  bool read_source() {
    if (nodes_[0].kind != Kind::kObject) return false;
    std::string fields[3];
    const char* keys[3] = {"id", "name", "role"};
    for (int i = 0; i < 3; ++i) {
      const std::uint32_t field = find(0, keys[i]);
      if (field == 0) continue;
      if (!non_empty_string(field)) return false;
      fields[i] = nodes_[field].text;
    }
    const std::string role = fields[2];
    const model::SourceInfo& source =
        builder_.set_document_source(document_, fields[1], fields[0], fields[2]);
    source_set_ = true;
    return role.empty() || source.role == role;  // else warned about
  }

  // Line and column of `offset`, as SourceText::Cursor gives them; offsets mostly grow.
  SourceRef ref(std::uint32_t offset) {
    if (offset < pos_) {
      const diag::SourceLocation at = source_->location(offset);
      line_ = at.line;
      column_ = at.column;
    } else {
      const char* p = base_ + pos_;
      const char* end = base_ + offset;
      const char* line_start = nullptr;
      while (p < end) {
        const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
        if (nl == nullptr) break;
        ++line_;
        p = static_cast<const char*>(nl) + 1;
        line_start = p;
      }
      if (line_start != nullptr) {
        column_ = 1 + static_cast<std::uint32_t>(
                          code_points(line_start, static_cast<std::size_t>(end - line_start)));
      } else {
        column_ += static_cast<std::uint32_t>(code_points(base_ + pos_, offset - pos_));
      }
    }
    pos_ = offset;
    return {document_, line_, column_};
  }

  // True when the full reader would not warn about undeclared property `key` (it has
  // already warned about it, once for the run).
  bool warned_undeclared(
      std::vector<std::unordered_set<std::string, util::StringHash, std::equal_to<>>>& cache,
      std::size_t kind, const std::string& kind_name, std::string_view key) {
    auto& known = cache[kind];
    if (known.find(key) != known.end()) return true;
    std::string token = kind_name + "." + std::string(key);
    if (loader_.warned_undeclared_.count(token) == 0) return false;
    known.emplace(key);
    return true;
  }

  bool read_entity(od::value& element) {
    nodes_.clear();
    if (!parse(element, 0, {}, true)) return false;
    if (nodes_[0].kind != Kind::kObject || has_duplicate_keys(0)) return false;
    const std::uint32_t id = find(0, "id");
    const std::uint32_t kind_node = find(0, "kind");
    if (!non_empty_string(id) || !non_empty_string(kind_node)) return false;
    const auto kind = schema_.find_kind(nodes_[kind_node].text);
    if (!kind) return false;
    builder_.begin_entity(strings_.intern(nodes_[id].text), *kind, 0, ref(nodes_[0].offset));
    Sym name = 0;
    bool has_name = false;
    for (std::uint32_t i = 1; i < nodes_[0].end; i = nodes_[i].end) {
      const std::string_view key = nodes_[i].key;
      if (key == "id" || key == "kind") continue;
      if (key == "from" || key == "to") return false;
      const RegistryLoader::KeyInfo& info = loader_.entity_key(*kind, key);
      if (key == "name") {
        if (nodes_[i].kind != Kind::kString) return false;
        name = strings_.intern(nodes_[i].text);
        has_name = true;
        continue;
      }
      if (!info.spec &&
          !warned_undeclared(warned_entity_keys_, *kind, schema_.kind(*kind).name, key)) {
        return false;
      }
      Value converted;
      const int result = convert(i, info.spec, key, converted);
      if (result < 0) return false;
      if (result > 0) builder_.add_entity_property(info.sym, converted);
    }
    if (has_name) builder_.set_entity_name(name);
    return true;
  }

  struct Endpoint {
    Sym id = 0;
    std::string_view name;
    model::KindMask kinds = 0;
  };

  // Relation ends by id taken as the symbol whose hash they share, before their texts
  // were compared (the text is the parser's, which lives while the document is read).
  struct UncheckedEnd {
    Sym sym;
    std::string_view text;
  };
  std::vector<UncheckedEnd> unchecked_ends_;

  // Compares the texts of the ends taken on their hash, a few symbols' texts asked for
  // ahead so that their cache misses overlap. A mismatch (two texts with one hash) gives
  // the document back to the full reader, as any problem does.
  bool check_ends() const {
    // Where a text lies is asked for 16 ends ahead, the text itself 8 ahead.
    constexpr std::size_t kAhead = 8;
    const std::size_t n = unchecked_ends_.size();
    for (std::size_t i = 0; i < std::min(2 * kAhead, n); ++i)
      strings_.prefetch_entry(unchecked_ends_[i].sym);
    for (std::size_t i = 0; i < std::min(kAhead, n); ++i)
      strings_.prefetch_text(unchecked_ends_[i].sym);
    for (std::size_t i = 0; i < n; ++i) {
      if (i + 2 * kAhead < n) strings_.prefetch_entry(unchecked_ends_[i + 2 * kAhead].sym);
      if (i + kAhead < n) strings_.prefetch_text(unchecked_ends_[i + kAhead].sym);
      if (strings_.str(unchecked_ends_[i].sym) != unchecked_ends_[i].text) return false;
    }
    return true;
  }

  // The pool's hash of an end given by id (0 otherwise), its table slot asked for ahead:
  // both ends' slots are then fetched from memory together, not one after the other.
  std::uint64_t prefetch_end(std::uint32_t node) {
    if (node == 0 || !non_empty_string(node)) return 0;
    const std::uint64_t h = util::StringPool::hash(nodes_[node].text);
    strings_.prefetch(h);
    return h;
  }

  bool endpoint(std::uint32_t node, Endpoint& out, std::uint64_t hash) {
    if (node == 0) return false;
    if (non_empty_string(node)) {
      bool unchecked = false;
      out.id = strings_.intern_unchecked(nodes_[node].text, hash, unchecked);
      if (unchecked) unchecked_ends_.push_back({out.id, nodes_[node].text});
      return true;
    }
    if (nodes_[node].kind != Kind::kObject) return false;
    const std::uint32_t name = find(node, "name");
    if (!non_empty_string(name)) return false;
    out.name = nodes_[name].text;
    if (const std::uint32_t kind = find(node, "kind"); kind != 0) {
      if (nodes_[kind].kind != Kind::kString) return false;
      const auto k = schema_.find_kind(nodes_[kind].text);
      if (!k) return false;
      out.kinds = model::KindMask{1} << *k;
    }
    return true;
  }

  bool read_relation(od::value& element) {
    nodes_.clear();
    if (!parse(element, 0, {}, true)) return false;
    if (nodes_[0].kind != Kind::kObject || has_duplicate_keys(0)) return false;
    const std::uint32_t kind_node = find(0, "kind");
    if (!non_empty_string(kind_node)) return false;
    const std::uint32_t from_node = find(0, "from");
    const std::uint32_t to_node = find(0, "to");
    Endpoint from, to;
    const std::uint64_t from_hash = prefetch_end(from_node);
    const std::uint64_t to_hash = prefetch_end(to_node);
    if (!endpoint(from_node, from, from_hash) || !endpoint(to_node, to, to_hash)) return false;
    const auto kind = schema_.find_relation(nodes_[kind_node].text);
    if (!kind) return false;
    Sym id = 0;
    if (const std::uint32_t id_node = find(0, "id"); id_node != 0) {
      if (!non_empty_string(id_node)) return false;
      id = strings_.intern(nodes_[id_node].text);
    }
    const SourceRef where = ref(nodes_[0].offset);
    const SourceRef from_where = ref(nodes_[from_node].offset);
    const SourceRef to_where = ref(nodes_[to_node].offset);
    builder_.begin_relation(id, *kind, from.id, from_where, to.id, to_where, where);
    if (!from.name.empty()) builder_.refer_by_name(false, std::string(from.name), from.kinds);
    if (!to.name.empty()) builder_.refer_by_name(true, std::string(to.name), to.kinds);
    std::uint64_t properties_hash = 0;
    for (std::uint32_t i = 1; i < nodes_[0].end; i = nodes_[i].end) {
      const std::string_view key = nodes_[i].key;
      if (key == "id" || key == "kind" || key == "from" || key == "to") continue;
      // The members as a multiset: the same whatever their order.
      properties_hash += util::hash_mix(util::hash_bytes(key), value_hash(i));
      const RegistryLoader::KeyInfo& info = loader_.relation_key(*kind, key);
      if (!info.spec &&
          !warned_undeclared(warned_relation_keys_, *kind, schema_.relation(*kind).name, key)) {
        return false;
      }
      Value converted;
      const int result = convert(i, info.spec, key, converted);
      if (result < 0) return false;
      if (result > 0) builder_.add_relation_property(info.sym, converted);
    }
    if (from.id == to.id && from.name == to.name && from.kinds == to.kinds) {
      return false;  // a relation to itself is warned about
    }
    return remember_relation(*kind, from, to, id != 0, properties_hash, where);
  }

  // A hash of a value that two values share exactly when RapidJSON writes them alike.
  [[nodiscard]] std::uint64_t value_hash(std::uint32_t node) const {
    const J& j = nodes_[node];
    std::uint64_t h = static_cast<std::uint64_t>(j.kind) + 1;
    switch (j.kind) {
      case Kind::kNull:
        return h;
      case Kind::kBool:
        return util::hash_mix(h, j.boolean ? 1 : 0);
      case Kind::kInt:
        return util::hash_mix(h, static_cast<std::uint64_t>(j.integer));
      case Kind::kDouble: {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &j.number, sizeof bits);
        return util::hash_mix(h, bits);
      }
      case Kind::kString:
        return util::hash_mix(h, util::hash_bytes(j.text));
      case Kind::kArray:
      case Kind::kObject:
        for (std::uint32_t i = node + 1; i < j.end; i = nodes_[i].end) {
          if (j.kind == Kind::kObject) h = util::hash_mix(h, util::hash_bytes(nodes_[i].key));
          h = util::hash_mix(h, value_hash(i));
        }
        return h;
    }
    return h;
  }

  // Converts property value `node` as the full reader does: 1 converted, 0 null (absent),
  // -1 the full reader would report something.
  int convert(std::uint32_t node, const PropertySpec* spec, std::string_view key, Value& out) {
    const J& v = nodes_[node];
    if (v.kind == Kind::kNull) return 0;
    PropertyType type;
    if (spec) {
      type = spec->type;
    } else if (!infer_type(node, type)) {
      return -1;
    }
    if (!type.list) return convert_scalar(node, type.scalar, key, spec, out) ? 1 : -1;
    if (v.kind != Kind::kArray) return -1;
    const std::size_t first = elements_.size();
    for (std::uint32_t i = node + 1; i < v.end; i = nodes_[i].end) {
      if (nodes_[i].kind == Kind::kNull) continue;
      Value e;
      if (!convert_scalar(i, type.scalar, key, spec, e)) {
        elements_.resize(first);
        return -1;
      }
      elements_.push_back(e);
    }
    out = Value::of_list(builder_.add_list(
        std::span<const Value>(elements_.data() + first, elements_.size() - first)));
    elements_.resize(first);
    return 1;
  }

  bool infer_type(std::uint32_t node, PropertyType& type) const {
    const J& v = nodes_[node];
    std::uint32_t sample = node;
    if (v.kind == Kind::kArray) {
      type.list = true;
      if (v.end == node + 1) {
        type.scalar = ValueType::kString;
        return true;
      }
      sample = node + 1;
    }
    const J& s = nodes_[sample];
    if (s.kind == Kind::kString) {
      type.scalar = ValueType::kString;
    } else if (s.kind == Kind::kBool) {
      type.scalar = ValueType::kBool;
    } else if (s.kind == Kind::kInt) {
      type.scalar = ValueType::kInt;
    } else if (s.kind == Kind::kDouble) {
      type.scalar = ValueType::kNumber;
    } else if (s.kind == Kind::kObject && find(sample, "lat") != 0 && find(sample, "lon") != 0) {
      type.scalar = ValueType::kLocation;
    } else {
      return false;
    }
    if (type.list) {
      for (std::uint32_t i = node + 1; i < v.end; i = nodes_[i].end) {
        if (type.scalar == ValueType::kInt && nodes_[i].kind == Kind::kDouble) {
          type.scalar = ValueType::kNumber;
        }
      }
    }
    return true;
  }

  bool convert_scalar(std::uint32_t node, ValueType type, std::string_view key,
                      const PropertySpec* spec, Value& out) {
    const J& v = nodes_[node];
    switch (type) {
      case ValueType::kString:
        if (v.kind != Kind::kString || !enumeration_ok(spec, key, v.text)) return false;
        out = Value::of_string(strings_.intern(v.text));
        return true;
      case ValueType::kInt:
        if (v.kind != Kind::kInt) return false;
        out = Value::of_int(v.integer);
        return true;
      case ValueType::kNumber:
        if (!v.is_number()) return false;
        out = Value::of_number(v.as_double());
        return !(key == "share" && (out.number < 0 || out.number > 1));
      case ValueType::kBool:
        if (v.kind != Kind::kBool) return false;
        out = Value::of_bool(v.boolean);
        return true;
      case ValueType::kDate: {
        if (v.kind != Kind::kString) return false;
        const auto date = model::parse_date(v.text);
        if (!date) return false;
        out = Value::of_date(*date);
        return true;
      }
      case ValueType::kLocation:
        return convert_location(node, out);
      case ValueType::kNull:
      case ValueType::kList:
        break;
    }
    return false;
  }

  bool convert_location(std::uint32_t node, Value& out) const {
    const J& v = nodes_[node];
    if (v.kind != Kind::kObject) return false;
    double lat = NAN, lon = NAN;
    for (std::uint32_t i = node + 1; i < v.end; i = nodes_[i].end) {
      const std::string_view k = nodes_[i].key;
      double* slot = k == "lat" ? &lat : k == "lon" ? &lon : nullptr;
      if (!slot || !nodes_[i].is_number()) return false;
      *slot = nodes_[i].as_double();
    }
    if (std::isnan(lat) || std::isnan(lon)) return false;
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return false;
    out = Value::of_location({static_cast<float>(lat), static_cast<float>(lon)});
    return true;
  }

  // False when the full reader would warn about an unusual value.
  bool enumeration_ok(const PropertySpec* spec, std::string_view key, std::string_view text) {
    if (!spec || spec->values.empty()) return true;
    if (std::find(spec->values.begin(), spec->values.end(), text) != spec->values.end())
      return true;
    const std::string token = "value:" + std::string(key) + "=" + std::string(text);
    return loader_.warned_undeclared_.count(token) != 0;
  }

  /// A relation read, to find those repeated within the document (as the full reader's
  /// warn_repeated_relations does).
  struct Seen {
    std::uint64_t properties_hash;
    SourceRef where;
    Sym from;
    Sym to;
    std::uint32_t from_name;  // into end_names_, or UINT32_MAX when `from` is an id
    std::uint32_t to_name;
    std::uint32_t next;  // the next relation with the same ends, or UINT32_MAX
    model::RelKindId kind;
    bool has_id;
  };
  struct EndsSlot {
    std::uint64_t hash = 0;
    std::uint32_t head = UINT32_MAX;  // UINT32_MAX: empty
    std::uint32_t tail = UINT32_MAX;
  };

  std::string_view end_text(Sym id, std::uint32_t name) const {
    return name == UINT32_MAX ? strings_.str(id) : std::string_view(end_names_[name]);
  }

  // An end as the symbol of its text, which two ends share exactly when their texts are
  // the same: an id is interned, a name usually is (entities' names are). False for a
  // name not interned yet: an id given later in the document could have its text.
  bool end_key(const Endpoint& end, Sym& key) const {
    if (end.name.empty()) {
      key = end.id;
      return true;
    }
    return strings_.find(end.name, key);
  }

  // Notes a relation read; false when it cannot tell whether a later one repeats it.
  bool remember_relation(model::RelKindId kind, const Endpoint& from, const Endpoint& to,
                         bool has_id, std::uint64_t properties_hash, SourceRef where) {
    Sym from_key = 0, to_key = 0;
    if (!end_key(from, from_key) || !end_key(to, to_key)) return false;
    const auto order = static_cast<std::uint32_t>(seen_.size());
    Seen s{properties_hash, where,      from.id, to.id, UINT32_MAX,
           UINT32_MAX,      UINT32_MAX, kind,    has_id};
    if (!from.name.empty()) {
      s.from_name = static_cast<std::uint32_t>(end_names_.size());
      end_names_.emplace_back(from.name);
    }
    if (!to.name.empty()) {
      s.to_name = static_cast<std::uint32_t>(end_names_.size());
      end_names_.emplace_back(to.name);
    }
    seen_.push_back(s);
    // The full reader keys on the text "KIND\0FROM\0TO": the same ends give the same key.
    const std::uint64_t ends = util::hash_mix(util::hash_mix(kind, from_key), to_key);
    if ((ends_used_ + 1) * 2 > ends_table_.size()) grow_ends();
    const std::size_t mask = ends_table_.size() - 1;
    std::size_t slot = ends & mask;
    while (ends_table_[slot].head != UINT32_MAX && ends_table_[slot].hash != ends)
      slot = (slot + 1) & mask;
    EndsSlot& e = ends_table_[slot];
    if (e.head == UINT32_MAX) {
      e = {ends, order, order};
      ++ends_used_;
      return true;
    }
    // The first earlier relation it repeats, in document order.
    for (std::uint32_t i = e.head; i != UINT32_MAX; i = seen_[i].next) {
      const Seen& a = seen_[i];
      if (a.kind != kind) continue;
      if (!(a.has_id && has_id) && a.properties_hash == properties_hash) {
        repeats_.emplace_back(order, i);
        break;
      }
    }
    seen_[e.tail].next = order;
    e.tail = order;
    return true;
  }

  void grow_ends() {
    std::vector<EndsSlot> bigger(ends_table_.size() * 2);
    const std::size_t mask = bigger.size() - 1;
    for (const EndsSlot& e : ends_table_) {
      if (e.head == UINT32_MAX) continue;
      std::size_t slot = e.hash & mask;
      while (bigger[slot].head != UINT32_MAX) slot = (slot + 1) & mask;
      bigger[slot] = e;
    }
    ends_table_ = std::move(bigger);
  }

  void report_repeats() {
    const std::string& file = source_->name();
    for (const auto& [order, first_order] : repeats_) {
      const Seen& r = seen_[order];
      const Seen& first = seen_[first_order];
      loader_.diagnostics_.warning(
          {file, r.where.line, r.where.column},
          "relation " + schema_.relation(r.kind).name + " from '" +
              std::string(end_text(r.from, r.from_name)) + "' to '" +
              std::string(end_text(r.to, r.to_name)) + "' repeats the one at " + file + ":" +
              std::to_string(first.where.line) + ":" + std::to_string(first.where.column) +
              " (same properties); remove one, or give each its own \"id\" if they are "
              "different relations");
    }
  }

  RegistryLoader& loader_;
  model::GraphBuilder& builder_;
  const model::Schema& schema_;
  util::StringPool& strings_;
  od::parser parser_;
  simdjson::padded_string padded_;
  const diag::SourceText* source_ = nullptr;
  const char* base_ = nullptr;
  std::uint32_t document_ = 0;
  bool source_set_ = false;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t column_ = 1;
  std::vector<J> nodes_;
  std::vector<Value> elements_;
  std::vector<Seen> seen_;
  std::vector<std::string> end_names_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> repeats_;  // (repeat, first)
  std::vector<EndsSlot> ends_table_;
  std::size_t ends_used_ = 0;
  std::vector<std::unordered_set<std::string, util::StringHash, std::equal_to<>>>
      warned_entity_keys_;
  std::vector<std::unordered_set<std::string, util::StringHash, std::equal_to<>>>
      warned_relation_keys_;
};

FastDocumentReader::FastDocumentReader(RegistryLoader& loader)
    : impl_(std::make_unique<Impl>(loader)) {}

FastDocumentReader::~FastDocumentReader() = default;

bool FastDocumentReader::read(const diag::SourceText& source, std::uint32_t document) {
  return impl_->read(source, document);
}

}  // namespace twinscan::io
