#include "analyzer/io/snapshot_codec.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <span>
#include <thread>

#include "analyzer/io/schema_reader.h"
#include "analyzer/util/embedded_text.h"
#include "analyzer/util/hash.h"
#include "analyzer/util/output_target.h"
#include "analyzer/util/parallel_for.h"

namespace twinscan::io {
namespace {

using model::Adjacency;
using model::EdgeRange;
using model::Graph;
using model::GraphArrays;
using model::Property;
using model::SourceRef;
using model::Value;
using model::ValueType;
using model::VertexId;
using util::Column;
using util::StringPool;

static_assert(std::endian::native == std::endian::little,
              "snapshots are little-endian and mapped as they are");

constexpr std::size_t kHeaderSize = 64;
constexpr std::size_t kAlign = 64;
constexpr std::uint32_t kByteOrderMark = 0x01020304;
constexpr std::size_t kChecksumChunk = std::size_t{1} << 22;

enum Section : std::size_t {
  kSchema,
  kDocuments,
  kStringText,
  kStringOffsets,
  kStringTable,
  kEntityId,
  kEntityKind,
  kEntityName,
  kEntityPropStart,
  kEntityProps,
  kEntitySource,
  kRelationId,
  kRelationKind,
  kRelationFrom,
  kRelationTo,
  kRelationPropStart,
  kRelationProps,
  kRelationSource,
  kRelationKindCount,
  kListPool,
  kVertexOfSym,
  kByKind,
  kKindStart,
  kOutRange,
  kOutAdjacency,
  kInRange,
  kInAdjacency,
  kEntitySources,
  kRelationSources,
  kSourceSetStart,
  kSourceSetMembers,
  kDisagreements,
  kSectionCount
};

// Each section's element size, checked on open so that a file written for other
// layouts is refused rather than misread.
constexpr std::uint64_t kElementSize[kSectionCount] = {1,
                                                       1,
                                                       1,
                                                       8,
                                                       sizeof(StringPool::Slot),
                                                       sizeof(model::Sym),
                                                       sizeof(model::KindId),
                                                       sizeof(model::Sym),
                                                       4,
                                                       sizeof(Property),
                                                       sizeof(SourceRef),
                                                       sizeof(model::Sym),
                                                       sizeof(model::RelKindId),
                                                       sizeof(VertexId),
                                                       sizeof(VertexId),
                                                       4,
                                                       sizeof(Property),
                                                       sizeof(SourceRef),
                                                       8,
                                                       sizeof(Value),
                                                       sizeof(VertexId),
                                                       sizeof(VertexId),
                                                       4,
                                                       sizeof(EdgeRange),
                                                       sizeof(Adjacency),
                                                       sizeof(EdgeRange),
                                                       sizeof(Adjacency),
                                                       sizeof(model::SourceSetId),
                                                       sizeof(model::SourceSetId),
                                                       4,
                                                       4,
                                                       sizeof(model::Disagreement)};

struct SectionEntry {
  std::uint64_t offset = 0;
  std::uint64_t count = 0;
  std::uint64_t capacity = 0;
  std::uint64_t element_size = 0;
};

constexpr std::size_t kTableEnd = kHeaderSize + kSectionCount * sizeof(SectionEntry);
constexpr std::size_t kDataStart = (kTableEnd + kAlign - 1) / kAlign * kAlign;

// Room after an array that a merged request grows in place; a column that outgrows it
// moves to the heap, so this bounds only the cost, never the size, of a merge.
std::uint64_t with_room(std::uint64_t count) {
  return count + std::max<std::uint64_t>(256, count / 256);
}

// The payload's checksum: chunks hashed on all cores, their hashes then hashed in order.
// `alongside` runs as the first item, so that it overlaps the hashing of the chunks.
template <typename Work>
std::uint64_t checksum(const unsigned char* p, std::size_t n, Work&& alongside) {
  const std::size_t chunks = (n + kChecksumChunk - 1) / kChecksumChunk;
  std::vector<std::uint64_t> hashes(chunks);
  const unsigned cores = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
  util::parallel_for(chunks + 1, cores, [&](std::size_t i) {
    if (i == 0) {
      alongside();
      return;
    }
    const std::size_t begin = (i - 1) * kChecksumChunk;
    hashes[i - 1] = util::hash_bytes(p + begin, std::min(kChecksumChunk, n - begin));
  });
  return util::hash_words(std::span<const std::uint64_t>(hashes), n);
}

std::uint64_t checksum(const unsigned char* p, std::size_t n) {
  return checksum(p, n, [] {});
}

// ------------------------------------------------------------------------------ writing

class SnapshotWriter {
 public:
  SnapshotWriter() : out_(kDataStart, '\0') {}

  void blob(Section s, const std::string& bytes) {
    put(s, bytes.data(), bytes.size(), bytes.size());
  }

  template <typename T>
  void column(Section s, const Column<T>& c, bool grows) {
    put(s, c.data(), c.size(), grows ? with_room(c.size()) : c.size());
  }
  template <typename T>
  void column(Section s, const std::vector<T>& c) {
    put(s, c.data(), c.size(), c.size());
  }
  // Properties and values are written field by field so that no padding byte, whose
  // content is unspecified, reaches the file.
  void properties(Section s, const Column<Property>& props) {
    const std::size_t at = begin(s, props.size(), with_room(props.size()));
    for (std::size_t i = 0; i < props.size(); ++i) {
      char* dst = out_.data() + at + i * sizeof(Property);
      std::memcpy(dst + offsetof(Property, key), &props[i].key, sizeof props[i].key);
      std::memcpy(dst + offsetof(Property, sources), &props[i].sources, sizeof props[i].sources);
      put_value(dst + offsetof(Property, value), props[i].value);
    }
  }
  void disagreements(Section s, const Column<model::Disagreement>& all) {
    using model::Disagreement;
    const std::size_t at = begin(s, all.size(), with_room(all.size()));
    for (std::size_t i = 0; i < all.size(); ++i) {
      char* dst = out_.data() + at + i * sizeof(Disagreement);
      const Disagreement& d = all[i];
      std::memcpy(dst + offsetof(Disagreement, subject), &d.subject, sizeof d.subject);
      std::memcpy(dst + offsetof(Disagreement, on_relation), &d.on_relation, sizeof d.on_relation);
      std::memcpy(dst + offsetof(Disagreement, key), &d.key, sizeof d.key);
      std::memcpy(dst + offsetof(Disagreement, sources), &d.sources, sizeof d.sources);
      put_value(dst + offsetof(Disagreement, value), d.value);
    }
  }
  void values(Section s, const Column<Value>& values) {
    const std::size_t at = begin(s, values.size(), with_room(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i)
      put_value(out_.data() + at + i * sizeof(Value), values[i]);
  }

  std::string finish() {
    for (std::size_t s = 0; s < kSectionCount; ++s)
      std::memcpy(out_.data() + kHeaderSize + s * sizeof(SectionEntry), &table_[s],
                  sizeof(SectionEntry));
    const std::uint64_t payload = out_.size() - kHeaderSize;
    char* h = out_.data();
    std::memcpy(h, SnapshotCodec::kMagic, 8);
    const std::uint32_t version = SnapshotCodec::kVersion;
    std::memcpy(h + 8, &version, 4);
    std::memcpy(h + 12, &kByteOrderMark, 4);
    std::memcpy(h + 16, &payload, 8);
    const std::uint64_t sections = kSectionCount;
    std::memcpy(h + 32, &sections, 8);
    SnapshotCodec::seal(out_);
    return std::move(out_);
  }

 private:
  static void put_value(char* dst, const Value& v) {
    dst[offsetof(Value, type)] = static_cast<char>(v.type);
    std::memcpy(dst + offsetof(Value, integer), &v.integer, sizeof v.integer);
  }
  // Starts section `s` at the next boundary, zeroed, and returns its offset.
  std::size_t begin(Section s, std::uint64_t count, std::uint64_t capacity) {
    out_.resize((out_.size() + kAlign - 1) / kAlign * kAlign, '\0');
    const std::size_t at = out_.size();
    table_[s] = {at, count, capacity, kElementSize[s]};
    out_.resize(at + capacity * kElementSize[s], '\0');
    return at;
  }
  void put(Section s, const void* data, std::uint64_t count, std::uint64_t capacity) {
    const std::size_t at = begin(s, count, capacity);
    if (count > 0) std::memcpy(out_.data() + at, data, count * kElementSize[s]);
  }

  std::string out_;
  SectionEntry table_[kSectionCount];
};

void put_u64(std::string& out, std::uint64_t v) {
  out.append(reinterpret_cast<const char*>(&v), 8);
}
void put_string(std::string& out, const std::string& s) {
  put_u64(out, s.size());
  out += s;
}

// ------------------------------------------------------------------------------ reading

// Snapshot bytes in memory: a private mapping of the file, or a heap copy.
class Mapping {
 public:
  static std::shared_ptr<Mapping> map_file(int fd, std::size_t size) {
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) return nullptr;
    ::madvise(p, size, MADV_WILLNEED);
    return std::shared_ptr<Mapping>(new Mapping(static_cast<unsigned char*>(p), size, true));
  }
  static std::shared_ptr<Mapping> copy(const std::string& bytes) {
    const std::size_t size = std::max<std::size_t>(bytes.size(), 1);
    auto* p = static_cast<unsigned char*>(
        std::aligned_alloc(kAlign, (size + kAlign - 1) / kAlign * kAlign));
    if (!p) return nullptr;
    std::memcpy(p, bytes.data(), bytes.size());
    return std::shared_ptr<Mapping>(new Mapping(p, bytes.size(), false));
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (mapped_) {
      ::munmap(data_, size_);
    } else {
      std::free(data_);
    }
  }
  [[nodiscard]] unsigned char* data() const { return data_; }
  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  Mapping(unsigned char* data, std::size_t size, bool mapped)
      : data_(data), size_(size), mapped_(mapped) {}
  unsigned char* data_;
  std::size_t size_;
  bool mapped_;
};

// What identifies a file's content without reading it: where it is, its size and its
// modification and change times (the change time cannot be set back by its owner).
struct FileIdentity {
  dev_t device;
  ino_t inode;
  off_t size;
  time_t modified;
  long modified_ns;
  time_t changed;
  long changed_ns;
  bool operator==(const FileIdentity&) const = default;
};

// The snapshot files this process has checked whole.
class VerifiedFiles {
 public:
  bool contains(const FileIdentity& id) {
    const std::lock_guard lock(mutex_);
    return std::find(files_.begin(), files_.end(), id) != files_.end();
  }
  void add(const FileIdentity& id) {
    const std::lock_guard lock(mutex_);
    if (std::find(files_.begin(), files_.end(), id) == files_.end()) files_.push_back(id);
  }

 private:
  std::mutex mutex_;
  std::vector<FileIdentity> files_;
};

VerifiedFiles& verified_files() {
  static VerifiedFiles files;
  return files;
}

// Reads the length-prefixed strings of a blob section.
class BlobReader {
 public:
  BlobReader(const unsigned char* data, std::size_t size) : data_(data), size_(size) {}
  bool u64(std::uint64_t& v) {
    if (size_ - pos_ < 8) return false;
    std::memcpy(&v, data_ + pos_, 8);
    pos_ += 8;
    return true;
  }
  bool string(std::string& s) {
    std::uint64_t n = 0;
    if (!u64(n) || n > size_ - pos_) return false;
    s.assign(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return true;
  }
  [[nodiscard]] bool at_end() const { return pos_ == size_; }

 private:
  const unsigned char* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// A value read from a file must not point outside the graph it belongs to.
bool valid_value(const Value& v, std::size_t strings, std::size_t pool, bool in_list) {
  if (static_cast<std::uint8_t>(v.type) > static_cast<std::uint8_t>(ValueType::kList)) return false;
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

bool valid_properties(const Column<std::uint32_t>& starts, std::size_t count,
                      const Column<Property>& props, std::size_t strings, std::size_t pool,
                      std::size_t sets) {
  if (starts.size() != count + 1 || starts.front() != 0 || starts.back() != props.size())
    return false;
  for (std::size_t i = 0; i < count; ++i) {
    if (starts[i] > starts[i + 1]) return false;
  }
  for (const auto& p : props) {
    if (p.key >= strings || p.sources >= sets || !valid_value(p.value, strings, pool, false))
      return false;
  }
  return true;
}

bool valid_adjacency(const Column<EdgeRange>& ranges, const Column<Adjacency>& adjacency,
                     std::size_t vertices, std::size_t relations, std::size_t relation_kinds) {
  if (ranges.size() != vertices) return false;
  for (const auto& r : ranges) {
    if (r.begin > adjacency.size() || r.count > adjacency.size() - r.begin) return false;
  }
  for (const auto& a : adjacency) {
    if (a.other >= vertices || a.relation >= relations || a.kind >= relation_kinds) return false;
  }
  return true;
}

}  // namespace

bool SnapshotCodec::seal(std::string& bytes) {
  if (bytes.size() < kHeaderSize) return false;
  const std::uint64_t sum =
      checksum(reinterpret_cast<const unsigned char*>(bytes.data()) + kHeaderSize,
               bytes.size() - kHeaderSize);
  std::memcpy(bytes.data() + 24, &sum, 8);
  return true;
}

bool SnapshotCodec::is_snapshot(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, sizeof head);
  return in.gcount() == 8 && std::memcmp(head, kMagic, 8) == 0;
}

std::string SnapshotCodec::encode(const Graph& graph, const SchemaSources& schema) {
  const GraphArrays& g = graph.arrays();
  SnapshotWriter w;
  std::string blob;
  put_u64(blob, schema.size());
  for (const auto& [name, text] : schema) {
    put_string(blob, name);
    put_string(blob, text);
  }
  w.blob(kSchema, blob);
  blob.clear();
  put_u64(blob, g.documents.size());
  for (std::size_t d = 0; d < g.documents.size(); ++d) {
    put_string(blob, g.documents[d]);
    put_string(blob, g.document_sources[d]);
    put_u64(blob, g.document_source[d]);
  }
  put_u64(blob, g.sources.size());
  for (const auto& source : g.sources) {
    put_string(blob, source.id);
    put_string(blob, source.name);
    put_string(blob, source.role);
  }
  w.blob(kDocuments, blob);
  std::string text;
  std::vector<std::uint64_t> offsets;
  g.strings.export_arrays(text, offsets);
  w.blob(kStringText, text);
  w.column(kStringOffsets, offsets);
  const auto table = g.strings.table();
  w.column(kStringTable, std::vector<StringPool::Slot>(table.begin(), table.end()));
  w.column(kEntityId, g.entity_id, true);
  w.column(kEntityKind, g.entity_kind, true);
  w.column(kEntityName, g.entity_name, true);
  w.column(kEntityPropStart, g.entity_prop_start, true);
  w.properties(kEntityProps, g.entity_props);
  w.column(kEntitySource, g.entity_source, true);
  w.column(kRelationId, g.relation_id, true);
  w.column(kRelationKind, g.relation_kind, true);
  w.column(kRelationFrom, g.relation_from, true);
  w.column(kRelationTo, g.relation_to, true);
  w.column(kRelationPropStart, g.relation_prop_start, true);
  w.properties(kRelationProps, g.relation_props);
  w.column(kRelationSource, g.relation_source_ref, true);
  w.column(kRelationKindCount, g.relation_kind_count, false);
  w.values(kListPool, g.list_pool);
  w.column(kVertexOfSym, g.vertex_of_sym, true);
  w.column(kByKind, g.by_kind, true);
  w.column(kKindStart, g.kind_start, false);
  w.column(kOutRange, g.out_range, true);
  w.column(kOutAdjacency, g.out_adj, true);
  w.column(kInRange, g.in_range, true);
  w.column(kInAdjacency, g.in_adj, true);
  w.column(kEntitySources, g.entity_sources, true);
  w.column(kRelationSources, g.relation_sources, true);
  w.column(kSourceSetStart, g.source_set_start, true);
  w.column(kSourceSetMembers, g.source_set_members, true);
  w.disagreements(kDisagreements, g.disagreements);
  return w.finish();
}

std::unique_ptr<Graph> SnapshotCodec::open(const std::string& path,
                                           diag::Diagnostics& diagnostics) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    diagnostics.error({path, 1, 1}, std::string("cannot read: ") + std::strerror(errno));
    return nullptr;
  }
  util::protect_input(path);  // no output of this run may replace the snapshot it maps
  auto graph = open_descriptor(fd, path, diagnostics);
  ::close(fd);
  return graph;
}

std::unique_ptr<Graph> SnapshotCodec::open_descriptor(int fd, const std::string& path,
                                                      diag::Diagnostics& diagnostics) {
  struct stat st {};
  std::shared_ptr<Mapping> mapping;
  std::string error;
  if (::fstat(fd, &st) != 0) {
    error = std::strerror(errno);
  } else if (st.st_size == 0) {
    mapping = Mapping::copy("");
  } else {
    mapping = Mapping::map_file(fd, static_cast<std::size_t>(st.st_size));
    if (!mapping) error = std::strerror(errno);
  }
  if (!mapping) {
    diagnostics.error({path, 1, 1}, "cannot read: " + (error.empty() ? "out of memory" : error));
    return nullptr;
  }
  // A file this process has checked whole, and that has not changed since (same device,
  // inode, size, modification and change times), is mapped again without checking it
  // again: a server merging each request into the registry it opened at start pays for
  // the checks once.
  const FileIdentity identity{st.st_dev,         st.st_ino,          st.st_size,
                              st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_ctim.tv_sec,
                              st.st_ctim.tv_nsec};
  const bool trusted = verified_files().contains(identity);
  auto graph = open_bytes(mapping, mapping->data(), mapping->size(), path, diagnostics, trusted);
  if (graph && !trusted) verified_files().add(identity);
  return graph;
}

std::unique_ptr<Graph> SnapshotCodec::decode(const std::string& bytes, const std::string& file,
                                             diag::Diagnostics& diagnostics) {
  auto mapping = Mapping::copy(bytes);
  if (!mapping) {
    diagnostics.error({file, 0, 0}, "out of memory");
    return nullptr;
  }
  return open_bytes(mapping, mapping->data(), mapping->size(), file, diagnostics);
}

std::unique_ptr<Graph> SnapshotCodec::open_bytes(std::shared_ptr<void> holder,
                                                 unsigned char* const base, const std::size_t size,
                                                 const std::string& file,
                                                 diag::Diagnostics& diagnostics, bool trusted) {
  auto corrupt = [&](const std::string& what) -> std::unique_ptr<Graph> {
    diagnostics.error({file, 0, 0},
                      "corrupt snapshot: " + what + " (write it again with twinscan compile)");
    return nullptr;
  };
  if (size < kHeaderSize || std::memcmp(base, SnapshotCodec::kMagic, 8) != 0)
    return corrupt("not a Twinscan snapshot");
  std::uint32_t version = 0, byte_order = 0;
  std::uint64_t payload = 0, sum = 0, sections = 0;
  std::memcpy(&version, base + 8, 4);
  std::memcpy(&byte_order, base + 12, 4);
  std::memcpy(&payload, base + 16, 8);
  std::memcpy(&sum, base + 24, 8);
  std::memcpy(&sections, base + 32, 8);
  if (version != SnapshotCodec::kVersion) {
    diagnostics.error({file, 0, 0}, "snapshot format version " + std::to_string(version) +
                                        " is not supported by this twinscan (it reads version " +
                                        std::to_string(SnapshotCodec::kVersion) +
                                        "); compile it again");
    return nullptr;
  }
  if (byte_order != kByteOrderMark) return corrupt("written with another byte order");
  if (payload != size - kHeaderSize) return corrupt("truncated or padded file");
  if (sections != kSectionCount || size < kDataStart) return corrupt("section table");

  // The section table: every section inside the file, in order, none overlapping, so
  // that growing one in place can never write over another.
  SectionEntry table[kSectionCount];
  std::uint64_t end_of_previous = kDataStart;
  for (std::size_t s = 0; s < kSectionCount; ++s) {
    std::memcpy(&table[s], base + kHeaderSize + s * sizeof(SectionEntry), sizeof(SectionEntry));
    const SectionEntry& e = table[s];
    if (e.element_size != kElementSize[s] || e.offset % kAlign != 0 || e.offset < end_of_previous ||
        e.offset > size || e.capacity < e.count ||
        e.capacity > (size - e.offset) / e.element_size) {
      return corrupt("section " + std::to_string(s) + " lies outside the file");
    }
    end_of_previous = e.offset + e.capacity * e.element_size;
  }
  auto at = [&](Section s) { return base + table[s].offset; };
  auto column = [&]<typename T>(Section s, Column<T>& out) {
    out = Column<T>::borrow(reinterpret_cast<T*>(at(s)), table[s].count, table[s].capacity);
  };

  GraphArrays g;  // over the sections; a Graph is made of them once every check passed
  std::string problem;
  std::shared_ptr<model::Schema> schema;
  // Everything but the checksum is checked on this thread while the other cores hash.
  auto check = [&] {
    BlobReader schema_blob(at(kSchema), table[kSchema].count);
    std::uint64_t schema_count = 0;
    if (!schema_blob.u64(schema_count) || schema_count > 1024) {
      problem = "schema section";
      return;
    }
    schema = std::make_shared<model::Schema>();
    for (std::uint64_t i = 0; i < schema_count; ++i) {
      std::string name, text;
      if (!schema_blob.string(name) || !schema_blob.string(text)) {
        problem = "schema section";
        return;
      }
      if (!read_schema(diag::SourceText(file + ": " + name, text), *schema, diagnostics)) {
        problem = "schema";
        return;
      }
      // The snapshot keeps the schema it was compiled with: what this version's schema
      // added since (properties, events) is unknown to it, and rules that read them fail.
      if (name == kBuiltinSchemaName && text != util::builtin_schema_text()) {
        diagnostics.warning({file, 0, 0},
                            "this snapshot was compiled with an earlier built-in schema than "
                            "this twinscan's, so what the schema gained since is unknown to it "
                            "(rules that read it report unknown properties); compile it again "
                            "with `twinscan compile`");
      }
    }
    BlobReader documents_blob(at(kDocuments), table[kDocuments].count);
    std::uint64_t documents = 0;
    if (!documents_blob.u64(documents) || documents > table[kDocuments].count) {
      problem = "document section";
      return;
    }
    g.documents.resize(documents);
    g.document_sources.resize(documents);
    g.document_source.resize(documents);
    for (std::uint64_t d = 0; d < documents; ++d) {
      std::uint64_t source = 0;
      if (!documents_blob.string(g.documents[d]) || !documents_blob.string(g.document_sources[d]) ||
          !documents_blob.u64(source) || source >= documents) {
        problem = "document section";
        return;
      }
      g.document_source[d] = static_cast<std::uint32_t>(source);
    }
    std::uint64_t source_count = 0;
    if (!documents_blob.u64(source_count) || source_count > documents) {
      problem = "source section";
      return;
    }
    g.sources.resize(source_count);
    for (auto& source : g.sources) {
      if (!documents_blob.string(source.id) || !documents_blob.string(source.name) ||
          !documents_blob.string(source.role)) {
        problem = "source section";
        return;
      }
    }
    if (std::any_of(g.document_source.begin(), g.document_source.end(),
                    [&](std::uint32_t s) { return s >= source_count; })) {
      problem = "source section";
      return;
    }
    if (table[kStringOffsets].count < 2 ||
        !StringPool::borrow(
            reinterpret_cast<const char*>(at(kStringText)), table[kStringText].count,
            reinterpret_cast<const std::uint64_t*>(at(kStringOffsets)),
            table[kStringOffsets].count - 1, reinterpret_cast<StringPool::Slot*>(at(kStringTable)),
            table[kStringTable].count, g.strings, trusted)) {
      problem = "string section";
      return;
    }
    column(kEntityId, g.entity_id);
    column(kEntityKind, g.entity_kind);
    column(kEntityName, g.entity_name);
    column(kEntityPropStart, g.entity_prop_start);
    column(kEntityProps, g.entity_props);
    column(kEntitySource, g.entity_source);
    column(kRelationId, g.relation_id);
    column(kRelationKind, g.relation_kind);
    column(kRelationFrom, g.relation_from);
    column(kRelationTo, g.relation_to);
    column(kRelationPropStart, g.relation_prop_start);
    column(kRelationProps, g.relation_props);
    column(kRelationSource, g.relation_source_ref);
    column(kRelationKindCount, g.relation_kind_count);
    column(kListPool, g.list_pool);
    column(kVertexOfSym, g.vertex_of_sym);
    column(kByKind, g.by_kind);
    column(kKindStart, g.kind_start);
    column(kOutRange, g.out_range);
    column(kOutAdjacency, g.out_adj);
    column(kInRange, g.in_range);
    column(kInAdjacency, g.in_adj);
    column(kEntitySources, g.entity_sources);
    column(kRelationSources, g.relation_sources);
    column(kSourceSetStart, g.source_set_start);
    column(kSourceSetMembers, g.source_set_members);
    column(kDisagreements, g.disagreements);
    if (trusted) return;

    // Every index must stay inside the arrays it points into.
    const std::size_t n = g.entity_id.size(), m = g.relation_id.size();
    const std::size_t strings = g.strings.size(), pool = g.list_pool.size();
    const std::size_t kinds = schema->kinds().size(), relation_kinds = schema->relations().size();
    if (g.entity_kind.size() != n || g.entity_name.size() != n || g.entity_source.size() != n ||
        n >= model::kNoVertex) {
      problem = "entity arrays disagree in length";
      return;
    }
    for (std::size_t v = 0; v < n; ++v) {
      if (g.entity_id[v] >= strings || g.entity_name[v] >= strings || g.entity_kind[v] >= kinds ||
          g.entity_source[v].document >= documents) {
        problem = "entity " + std::to_string(v);
        return;
      }
    }
    if (g.relation_kind.size() != m || g.relation_from.size() != m || g.relation_to.size() != m ||
        g.relation_source_ref.size() != m || g.relation_kind_count.size() != relation_kinds) {
      problem = "relation arrays disagree in length";
      return;
    }
    for (std::size_t e = 0; e < m; ++e) {
      if (g.relation_id[e] >= strings || g.relation_kind[e] >= relation_kinds ||
          g.relation_from[e] >= n || g.relation_to[e] >= n ||
          g.relation_source_ref[e].document >= documents) {
        problem = "relation " + std::to_string(e);
        return;
      }
    }
    const auto& set_start = g.source_set_start;
    if (set_start.size() == 0 || set_start.front() != 0 ||
        set_start.back() != g.source_set_members.size() ||
        !std::is_sorted(set_start.begin(), set_start.end()) ||
        std::any_of(g.source_set_members.begin(), g.source_set_members.end(),
                    [&](std::uint32_t s) { return s >= g.sources.size(); })) {
      problem = "source sets";
      return;
    }
    const std::size_t sets = set_start.size() - 1;
    auto bad_set = [&](model::SourceSetId s) { return s >= sets; };
    if (g.entity_sources.size() != n || g.relation_sources.size() != m ||
        std::any_of(g.entity_sources.begin(), g.entity_sources.end(), bad_set) ||
        std::any_of(g.relation_sources.begin(), g.relation_sources.end(), bad_set)) {
      problem = "provenance";
      return;
    }
    if (!valid_properties(g.entity_prop_start, n, g.entity_props, strings, pool, sets) ||
        !valid_properties(g.relation_prop_start, m, g.relation_props, strings, pool, sets)) {
      problem = "property section";
      return;
    }
    for (std::size_t i = 0; i < g.disagreements.size(); ++i) {
      const auto& d = g.disagreements[i];
      const bool ordered =
          i == 0 || std::pair(g.disagreements[i - 1].on_relation, g.disagreements[i - 1].subject) <=
                        std::pair(d.on_relation, d.subject);
      if (d.on_relation > 1 || d.subject >= (d.on_relation ? m : n) || d.key >= strings ||
          bad_set(d.sources) || !valid_value(d.value, strings, pool, false) || !ordered) {
        problem = "disagreement section";
        return;
      }
    }
    for (const auto& v : g.list_pool) {
      if (!valid_value(v, strings, pool, true)) {
        problem = "list section";
        return;
      }
    }
    if (g.vertex_of_sym.size() != strings ||
        std::any_of(g.vertex_of_sym.begin(), g.vertex_of_sym.end(),
                    [&](VertexId v) { return v >= n && v != model::kNoVertex; })) {
      problem = "id index";
      return;
    }
    if (g.kind_start.size() != kinds + 1 || g.kind_start.front() != 0 || g.kind_start.back() != n ||
        g.by_kind.size() != n || !std::is_sorted(g.kind_start.begin(), g.kind_start.end()) ||
        std::any_of(g.by_kind.begin(), g.by_kind.end(), [&](VertexId v) { return v >= n; })) {
      problem = "kind index";
      return;
    }
    if (!valid_adjacency(g.out_range, g.out_adj, n, m, relation_kinds) ||
        !valid_adjacency(g.in_range, g.in_adj, n, m, relation_kinds)) {
      problem = "adjacency";
      return;
    }
  };
  if (trusted) {
    check();
  } else if (checksum(base + kHeaderSize, payload, check) != sum) {
    return corrupt("checksum mismatch");
  }
  if (problem == "schema") return nullptr;  // reported by read_schema
  if (!problem.empty()) return corrupt(problem);
  g.mapping = std::move(holder);
  return std::make_unique<Graph>(std::move(schema), std::move(g));
}

}  // namespace twinscan::io
