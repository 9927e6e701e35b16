#include "analyzer/io/snapshot_codec.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <type_traits>

#include "analyzer/io/schema_reader.h"
#include "analyzer/model/graph_builder.h"

namespace twinscan::io {
namespace {

using model::Graph;
using model::Property;
using model::SourceRef;
using model::Value;
using model::ValueType;

constexpr std::size_t kHeaderSize = 8 + 4 + 4 + 8 + 8;

// A fast word-wise checksum: enough to catch truncation and stray corruption.
std::uint64_t checksum(const char* data, std::size_t size) {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ size;
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, data + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  for (; i < size; ++i) h = (h ^ static_cast<unsigned char>(data[i])) * 0x100000001b3ULL;
  return h;
}

class Writer {
 public:
  template <typename T>
  void scalar(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void string(const std::string& s) {
    scalar<std::uint64_t>(s.size());
    out_ += s;
  }
  template <typename T>
  void array(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    scalar<std::uint64_t>(v.size());
    out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  // Values are written field by field so that no padding byte reaches the file.
  void value(const Value& v) {
    scalar<std::uint8_t>(static_cast<std::uint8_t>(v.type));
    std::uint64_t payload = 0;
    std::memcpy(&payload, &v.integer, sizeof payload);
    scalar(payload);
  }
  void properties(const std::vector<Property>& props) {
    scalar<std::uint64_t>(props.size());
    for (const auto& p : props) {
      scalar(p.key);
      value(p.value);
    }
  }
  void source_refs(const std::vector<SourceRef>& refs) {
    scalar<std::uint64_t>(refs.size());
    for (const auto& r : refs) {
      scalar(r.document);
      scalar(r.line);
      scalar(r.column);
    }
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(const char* data, std::size_t size) : data_(data), size_(size) {}

  template <typename T>
  bool scalar(T& v) {
    if (size_ - pos_ < sizeof v) return false;
    std::memcpy(&v, data_ + pos_, sizeof v);
    pos_ += sizeof v;
    return true;
  }
  bool string(std::string& s) {
    std::uint64_t n = 0;
    if (!scalar(n) || n > size_ - pos_) return false;
    s.assign(data_ + pos_, n);
    pos_ += n;
    return true;
  }
  template <typename T>
  bool array(std::vector<T>& v) {
    std::uint64_t n = 0;
    if (!scalar(n) || n > (size_ - pos_) / sizeof(T)) return false;
    v.resize(n);
    std::memcpy(v.data(), data_ + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  bool value(Value& v) {
    std::uint8_t type = 0;
    std::uint64_t payload = 0;
    if (!scalar(type) || !scalar(payload) || type > static_cast<std::uint8_t>(ValueType::kList)) {
      return false;
    }
    v.type = static_cast<ValueType>(type);
    std::memcpy(&v.integer, &payload, sizeof payload);
    return true;
  }
  bool properties(std::vector<Property>& props) {
    std::uint64_t n = 0;
    if (!scalar(n) || n > (size_ - pos_) / 13) return false;
    props.resize(n);
    for (auto& p : props) {
      if (!scalar(p.key) || !value(p.value)) return false;
    }
    return true;
  }
  bool source_refs(std::vector<SourceRef>& refs) {
    std::uint64_t n = 0;
    if (!scalar(n) || n > (size_ - pos_) / 12) return false;
    refs.resize(n);
    for (auto& r : refs) {
      if (!scalar(r.document) || !scalar(r.line) || !scalar(r.column)) return false;
    }
    return true;
  }
  [[nodiscard]] bool at_end() const { return pos_ == size_; }

 private:
  const char* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// A value read from a file must not point outside the graph it belongs to.
bool valid_value(const Value& v, std::size_t strings, std::size_t pool, bool in_list) {
  switch (v.type) {
    case ValueType::kString:
      return v.string < strings;
    case ValueType::kList:
      return !in_list && v.list.offset <= pool && v.list.count <= pool - v.list.offset;
    case ValueType::kDate:
      return v.date.month <= 12 && v.date.day <= 31;
    default:
      return true;
  }
}

bool valid_properties(const std::vector<std::uint32_t>& starts, std::size_t count,
                      const std::vector<Property>& props, std::size_t strings, std::size_t pool) {
  if (starts.size() != count + 1 || starts.front() != 0 || starts.back() != props.size())
    return false;
  for (std::size_t i = 0; i < count; ++i) {
    if (starts[i] > starts[i + 1]) return false;
  }
  for (const auto& p : props) {
    if (p.key >= strings || !valid_value(p.value, strings, pool, false)) return false;
  }
  return true;
}

}  // namespace

bool SnapshotCodec::is_snapshot(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, sizeof head);
  return in.gcount() == 8 && std::memcmp(head, kMagic, 8) == 0;
}

std::string SnapshotCodec::encode(const Graph& g, const SchemaSources& schema) {
  Writer w;
  w.scalar<std::uint64_t>(schema.size());
  for (const auto& [name, text] : schema) {
    w.string(name);
    w.string(text);
  }
  w.scalar<std::uint64_t>(g.documents_.size());
  for (std::size_t d = 0; d < g.documents_.size(); ++d) {
    w.string(g.documents_[d]);
    w.string(g.document_sources_[d]);
  }
  std::string text;
  std::vector<std::uint64_t> ends;
  g.strings_.export_arrays(text, ends);
  w.string(text);
  w.array(ends);
  w.array(g.entity_id_);
  w.array(g.entity_kind_);
  w.array(g.entity_name_);
  w.array(g.entity_prop_start_);
  w.properties(g.entity_props_);
  w.source_refs(g.entity_source_);
  w.array(g.relation_id_);
  w.array(g.relation_kind_);
  w.array(g.relation_from_);
  w.array(g.relation_to_);
  w.array(g.relation_prop_start_);
  w.properties(g.relation_props_);
  w.source_refs(g.relation_source_ref_);
  w.scalar<std::uint64_t>(g.list_pool_.size());
  for (const auto& v : g.list_pool_) w.value(v);

  const std::string& payload = w.bytes();
  Writer header;
  for (char c : kMagic) header.scalar(c);
  header.scalar(kVersion);
  header.scalar<std::uint32_t>(0);
  header.scalar<std::uint64_t>(payload.size());
  header.scalar(checksum(payload.data(), payload.size()));
  return header.bytes() + payload;
}

std::shared_ptr<const Graph> SnapshotCodec::decode(const std::string& bytes,
                                                   const std::string& file,
                                                   Diagnostics& diagnostics) {
  auto corrupt = [&](const std::string& what) -> std::shared_ptr<const Graph> {
    diagnostics.error({file, 0, 0},
                      "corrupt snapshot: " + what + " (write it again with twinscan compile)");
    return nullptr;
  };
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    return corrupt("not a Twinscan snapshot");
  }
  Reader header(bytes.data() + 8, kHeaderSize - 8);
  std::uint32_t version = 0, zero = 0;
  std::uint64_t size = 0, sum = 0;
  (void)(header.scalar(version) && header.scalar(zero) && header.scalar(size) &&
         header.scalar(sum));
  if (version != kVersion) {
    diagnostics.error({file, 0, 0}, "snapshot format version " + std::to_string(version) +
                                        " is not supported by this twinscan (it reads version " +
                                        std::to_string(kVersion) + "); compile it again");
    return nullptr;
  }
  if (size != bytes.size() - kHeaderSize) return corrupt("truncated or padded file");
  const char* payload = bytes.data() + kHeaderSize;
  if (checksum(payload, size) != sum) return corrupt("checksum mismatch");

  Reader r(payload, size);
  std::uint64_t schema_count = 0;
  if (!r.scalar(schema_count) || schema_count > 1024) return corrupt("schema section");
  auto schema = std::make_shared<model::Schema>();
  for (std::uint64_t i = 0; i < schema_count; ++i) {
    std::string name, text;
    if (!r.string(name) || !r.string(text)) return corrupt("schema section");
    if (!read_schema(SourceText(file + ": " + name, text), *schema, diagnostics)) return nullptr;
  }
  model::GraphBuilder builder(schema);
  Graph& g = *builder.graph_;
  std::uint64_t documents = 0;
  if (!r.scalar(documents) || documents > size) return corrupt("document section");
  g.documents_.resize(documents);
  g.document_sources_.resize(documents);
  for (std::uint64_t d = 0; d < documents; ++d) {
    if (!r.string(g.documents_[d]) || !r.string(g.document_sources_[d]))
      return corrupt("document section");
  }
  std::string text;
  std::vector<std::uint64_t> ends;
  if (!r.string(text) || !r.array(ends) ||
      !util::StringPool::import_arrays(text, ends, g.strings_)) {
    return corrupt("string section");
  }
  const bool entities_read = r.array(g.entity_id_) && r.array(g.entity_kind_) &&
                             r.array(g.entity_name_) && r.array(g.entity_prop_start_) &&
                             r.properties(g.entity_props_) && r.source_refs(g.entity_source_);
  const bool relations_read =
      entities_read && r.array(g.relation_id_) && r.array(g.relation_kind_) &&
      r.array(g.relation_from_) && r.array(g.relation_to_) && r.array(g.relation_prop_start_) &&
      r.properties(g.relation_props_) && r.source_refs(g.relation_source_ref_);
  std::uint64_t pool = 0;
  if (!relations_read || !r.scalar(pool) || pool > size / 9)
    return corrupt("entity or relation section");
  g.list_pool_.resize(pool);
  for (auto& v : g.list_pool_) {
    if (!r.value(v)) return corrupt("list section");
  }
  if (!r.at_end()) return corrupt("trailing bytes");

  // Every index must stay inside the arrays it points into.
  const std::size_t n = g.entity_id_.size(), m = g.relation_id_.size(), strings = g.strings_.size();
  const std::size_t kinds = schema->kinds().size(), relation_kinds = schema->relations().size();
  if (g.entity_kind_.size() != n || g.entity_name_.size() != n || g.entity_source_.size() != n) {
    return corrupt("entity arrays disagree in length");
  }
  for (std::size_t v = 0; v < n; ++v) {
    if (g.entity_id_[v] >= strings || g.entity_name_[v] >= strings || g.entity_kind_[v] >= kinds ||
        g.entity_source_[v].document >= documents) {
      return corrupt("entity " + std::to_string(v));
    }
  }
  if (g.relation_kind_.size() != m || g.relation_from_.size() != m || g.relation_to_.size() != m ||
      g.relation_source_ref_.size() != m) {
    return corrupt("relation arrays disagree in length");
  }
  for (std::size_t e = 0; e < m; ++e) {
    if (g.relation_id_[e] >= strings || g.relation_kind_[e] >= relation_kinds ||
        g.relation_from_[e] >= n || g.relation_to_[e] >= n ||
        g.relation_source_ref_[e].document >= documents) {
      return corrupt("relation " + std::to_string(e));
    }
  }
  if (!valid_properties(g.entity_prop_start_, n, g.entity_props_, strings, pool) ||
      !valid_properties(g.relation_prop_start_, m, g.relation_props_, strings, pool)) {
    return corrupt("property section");
  }
  for (const auto& v : g.list_pool_) {
    if (!valid_value(v, strings, pool, true)) return corrupt("list section");
  }
  // The builder resolves and checks relations again and rebuilds the indexes.
  builder.relation_from_id_.resize(m);
  builder.relation_to_id_.resize(m);
  for (std::size_t e = 0; e < m; ++e) {
    builder.relation_from_id_[e] = g.entity_id_[g.relation_from_[e]];
    builder.relation_to_id_[e] = g.entity_id_[g.relation_to_[e]];
  }
  builder.relation_from_where_ = g.relation_source_ref_;
  builder.relation_to_where_ = g.relation_source_ref_;
  g.schema_ = schema;
  return builder.build(diagnostics);
}

}  // namespace twinscan::io
