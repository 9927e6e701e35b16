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
#include <functional>
#include <mutex>
#include <span>
#include <thread>

#include "analyzer/io/schema_reader.h"
#include "analyzer/model/made_relation_id.h"
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

// Lets go of the whole pages of [p, p + n) that this process has touched in a private
// mapping of a file, keeping the mapping: each is read again from the page cache when next
// used. Only before anything is written there: a private page once written would be lost.
void release_pages(const unsigned char* p, std::size_t n) {
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const std::uintptr_t begin = (reinterpret_cast<std::uintptr_t>(p) + page - 1) / page * page;
  const std::uintptr_t end = (reinterpret_cast<std::uintptr_t>(p) + n) / page * page;
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

// The payload's checksum: chunks hashed on all cores, their hashes then hashed in order.
// `alongside` runs as the first item, so that it overlaps the hashing of the chunks. The
// pages of `release` (a private mapping of a file, which nothing reads meanwhile) are let
// go of as soon as they are hashed.
template <typename Work>
std::uint64_t checksum(const unsigned char* p, std::size_t n, Work&& alongside,
                       std::span<const unsigned char> release = {}) {
  const std::size_t chunks = (n + kChecksumChunk - 1) / kChecksumChunk;
  std::vector<std::uint64_t> hashes(chunks);
  const unsigned cores = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
  util::parallel_for(chunks + 1, cores, [&](std::size_t i) {
    if (i == 0) {
      alongside();
      return;
    }
    const std::size_t begin = (i - 1) * kChecksumChunk;
    const std::size_t length = std::min(kChecksumChunk, n - begin);
    hashes[i - 1] = util::hash_bytes(p + begin, length);
    const unsigned char* from = std::max(p + begin, release.data());
    const unsigned char* to = std::min(p + begin + length, release.data() + release.size());
    if (!release.empty() && from < to) release_pages(from, static_cast<std::size_t>(to - from));
  });
  return util::hash_words(std::span<const std::uint64_t>(hashes), n);
}

std::uint64_t checksum(const unsigned char* p, std::size_t n) {
  return checksum(p, n, [] {});
}

// ------------------------------------------------------------------------------ writing

void put_u64(std::string& out, std::uint64_t v) {
  out.append(reinterpret_cast<const char*>(&v), 8);
}
void put_string(std::string& out, const std::string& s) {
  put_u64(out, s.size());
  out += s;
}

// Gathers a snapshot's bytes, given in order, into blocks handed to `full`: the header
// is a block of its own, then the payload comes in blocks of kChecksumChunk bytes (the
// last one shorter), each the piece the checksum hashes at once. So a snapshot can be
// made and written, or checksummed, without holding more of it than a block.
class BlockBuffer {
 public:
  using Full = std::function<bool(std::string_view block)>;
  explicit BlockBuffer(Full full) : full_(std::move(full)) { block_.reserve(kChecksumChunk); }

  void put(const void* data, std::size_t size) {
    const auto* p = static_cast<const char*>(data);
    append(size, [&](std::size_t n) {
      block_.append(p, n);
      p += n;
    });
  }
  void put(std::string_view text) { put(text.data(), text.size()); }
  void zeros(std::size_t size) {
    append(size, [&](std::size_t n) { block_.append(n, '\0'); });
  }
  [[nodiscard]] std::uint64_t written() const { return written_ + block_.size(); }
  // Hands on the last block; false when `full` refused a block.
  bool finish() {
    if (!block_.empty()) flush();
    return ok_;
  }

 private:
  // Appends `size` bytes, `take(n)` appending the next n, a block at most at a time.
  template <typename Take>
  void append(std::size_t size, Take&& take) {
    while (size > 0 && ok_) {
      const std::size_t n = std::min(size, room());
      take(n);
      size -= n;
      if (room() == 0) flush();
    }
  }
  [[nodiscard]] std::size_t room() const {
    return (header_done_ ? kChecksumChunk : kHeaderSize) - block_.size();
  }
  void flush() {
    if (ok_) ok_ = full_(block_);
    written_ += block_.size();
    header_done_ = true;
    block_.clear();
  }

  Full full_;
  std::string block_;
  std::uint64_t written_ = 0;
  bool header_done_ = false;
  bool ok_ = true;
};

// Where each section of a graph's snapshot lies, worked out before any byte is made, so
// that the header and the table of sections come first and the bytes can be made as
// often as needed (once for the checksum, once to write them) without being held.
class SnapshotLayout {
 public:
  SnapshotLayout(const Graph& graph, const SchemaSources& schema) : g_(graph.arrays()) {
    put_u64(schema_blob_, schema.size());
    for (const auto& [name, text] : schema) {
      put_string(schema_blob_, name);
      put_string(schema_blob_, text);
    }
    put_u64(documents_blob_, g_.documents.size());
    for (std::size_t d = 0; d < g_.documents.size(); ++d) {
      put_string(documents_blob_, g_.documents[d]);
      put_string(documents_blob_, g_.document_sources[d]);
      put_u64(documents_blob_, g_.document_source[d]);
    }
    put_u64(documents_blob_, g_.sources.size());
    for (const auto& source : g_.sources) {
      put_string(documents_blob_, source.id);
      put_string(documents_blob_, source.name);
      put_string(documents_blob_, source.role);
    }
    std::uint64_t text_size = 0;
    for (util::Sym sym = 0; sym < g_.strings.size(); ++sym) text_size += g_.strings.str(sym).size();

    blob(kSchema, schema_blob_);
    blob(kDocuments, documents_blob_);
    section(kStringText, text_size, text_size, [this](BlockBuffer& out) {
      for (util::Sym sym = 0; sym < g_.strings.size(); ++sym) out.put(g_.strings.str(sym));
    });
    const std::uint64_t symbols = g_.strings.size();
    section(kStringOffsets, symbols + 1, symbols + 1, [this](BlockBuffer& out) {
      std::uint64_t offset = 0;
      for (util::Sym sym = 0; sym < g_.strings.size(); ++sym) {
        out.put(&offset, 8);
        offset += g_.strings.str(sym).size();
      }
      out.put(&offset, 8);
    });
    // A table borrowed from a snapshot was never walked (StringPool::borrow): the symbols
    // are placed afresh rather than a damaged table copied under a new checksum.
    std::span<const util::StringPool::Slot> table = g_.strings.table();
    if (g_.strings.table_borrowed()) {
      placed_table_ = g_.strings.placed_table();
      table = placed_table_;
    }
    section(kStringTable, table.size(), table.size(),
            [table](BlockBuffer& out) { out.put(table.data(), table.size_bytes()); });
    column(kEntityId, g_.entity_id, true);
    column(kEntityKind, g_.entity_kind, true);
    column(kEntityName, g_.entity_name, true);
    column(kEntityPropStart, g_.entity_prop_start, true);
    properties(kEntityProps, g_.entity_props);
    column(kEntitySource, g_.entity_source, true);
    column(kRelationId, g_.relation_id, true);
    column(kRelationKind, g_.relation_kind, true);
    column(kRelationFrom, g_.relation_from, true);
    column(kRelationTo, g_.relation_to, true);
    column(kRelationPropStart, g_.relation_prop_start, true);
    properties(kRelationProps, g_.relation_props);
    column(kRelationSource, g_.relation_source_ref, true);
    column(kRelationKindCount, g_.relation_kind_count, false);
    values(kListPool, g_.list_pool);
    column(kVertexOfSym, g_.vertex_of_sym, true);
    column(kByKind, g_.by_kind, true);
    column(kKindStart, g_.kind_start, false);
    column(kOutRange, g_.out_range, true);
    column(kOutAdjacency, g_.out_adj, true);
    column(kInRange, g_.in_range, true);
    column(kInAdjacency, g_.in_adj, true);
    column(kEntitySources, g_.entity_sources, true);
    column(kRelationSources, g_.relation_sources, true);
    column(kSourceSetStart, g_.source_set_start, true);
    column(kSourceSetMembers, g_.source_set_members, true);
    disagreements(kDisagreements, g_.disagreements);
  }

  [[nodiscard]] std::uint64_t size() const { return end_; }

  // Gives every byte of the snapshot in order to `out`, `checksum` in its header.
  void emit(std::uint64_t checksum, BlockBuffer& out) const {
    char header[kHeaderSize] = {};
    const std::uint64_t payload = end_ - kHeaderSize;
    std::memcpy(header, SnapshotCodec::kMagic, 8);
    const std::uint32_t version = SnapshotCodec::kVersion;
    std::memcpy(header + 8, &version, 4);
    std::memcpy(header + 12, &kByteOrderMark, 4);
    std::memcpy(header + 16, &payload, 8);
    std::memcpy(header + 24, &checksum, 8);
    const std::uint64_t sections = kSectionCount;
    std::memcpy(header + 32, &sections, 8);
    out.put(header, sizeof header);
    out.put(table_, sizeof table_);
    for (const Part& part : parts_) {
      const SectionEntry& entry = table_[part.section];
      out.zeros(entry.offset - out.written());
      part.content(out);
      out.zeros((entry.capacity - entry.count) * entry.element_size);
    }
    out.zeros(end_ - out.written());
  }

 private:
  using Content = std::function<void(BlockBuffer&)>;
  struct Part {
    Section section;
    Content content;  // the section's `count` elements, in order
  };

  // Places section `s` at the next boundary, with room for `capacity` elements.
  void section(Section s, std::uint64_t count, std::uint64_t capacity, Content content) {
    const std::uint64_t at = (end_ + kAlign - 1) / kAlign * kAlign;
    table_[s] = {at, count, capacity, kElementSize[s]};
    end_ = at + capacity * kElementSize[s];
    parts_.push_back({s, std::move(content)});
  }
  void blob(Section s, const std::string& bytes) {
    section(s, bytes.size(), bytes.size(), [&bytes](BlockBuffer& out) { out.put(bytes); });
  }
  template <typename T>
  void column(Section s, const Column<T>& c, bool grows) {
    section(s, c.size(), grows ? with_room(c.size()) : c.size(),
            [&c](BlockBuffer& out) { out.put(c.data(), c.size() * sizeof(T)); });
  }
  // Properties and values are given field by field, in elements zeroed first, so that
  // no padding byte, whose content is unspecified, reaches the file.
  static void put_value(char* dst, const Value& v) {
    dst[offsetof(Value, type)] = static_cast<char>(v.type);
    std::memcpy(dst + offsetof(Value, integer), &v.integer, sizeof v.integer);
  }
  void properties(Section s, const Column<Property>& props) {
    section(s, props.size(), with_room(props.size()), [&props](BlockBuffer& out) {
      for (const Property& p : props) {
        char element[sizeof(Property)] = {};
        std::memcpy(element + offsetof(Property, key), &p.key, sizeof p.key);
        std::memcpy(element + offsetof(Property, sources), &p.sources, sizeof p.sources);
        put_value(element + offsetof(Property, value), p.value);
        out.put(element, sizeof element);
      }
    });
  }
  void values(Section s, const Column<Value>& all) {
    section(s, all.size(), with_room(all.size()), [&all](BlockBuffer& out) {
      for (const Value& v : all) {
        char element[sizeof(Value)] = {};
        put_value(element, v);
        out.put(element, sizeof element);
      }
    });
  }
  void disagreements(Section s, const Column<model::Disagreement>& all) {
    using model::Disagreement;
    section(s, all.size(), with_room(all.size()), [&all](BlockBuffer& out) {
      for (const Disagreement& d : all) {
        char element[sizeof(Disagreement)] = {};
        std::memcpy(element + offsetof(Disagreement, subject), &d.subject, sizeof d.subject);
        std::memcpy(element + offsetof(Disagreement, on_relation), &d.on_relation,
                    sizeof d.on_relation);
        std::memcpy(element + offsetof(Disagreement, key), &d.key, sizeof d.key);
        std::memcpy(element + offsetof(Disagreement, sources), &d.sources, sizeof d.sources);
        put_value(element + offsetof(Disagreement, value), d.value);
        out.put(element, sizeof element);
      }
    });
  }

  const GraphArrays& g_;
  util::Column<util::StringPool::Slot> placed_table_;  // see the string table's section
  std::string schema_blob_;
  std::string documents_blob_;
  SectionEntry table_[kSectionCount];
  std::vector<Part> parts_;
  std::uint64_t end_ = kDataStart;
};

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

  [[nodiscard]] bool mapped() const { return mapped_; }

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
  const SnapshotLayout layout(graph, schema);
  std::string bytes;
  bytes.reserve(layout.size());
  BlockBuffer out([&bytes](std::string_view block) {
    bytes += block;
    return true;
  });
  layout.emit(0, out);
  out.finish();
  seal(bytes);
  return bytes;
}

bool SnapshotCodec::write(const Graph& graph, const SchemaSources& schema, const Sink& sink) {
  const SnapshotLayout layout(graph, schema);
  // First the checksum, block by block as seal() hashes them; then the bytes again, with
  // it, for `sink`.
  std::vector<std::uint64_t> hashes;
  bool header = true;
  BlockBuffer hashing([&](std::string_view block) {
    if (!header) hashes.push_back(util::hash_bytes(block.data(), block.size()));
    header = false;
    return true;
  });
  layout.emit(0, hashing);
  hashing.finish();
  const std::uint64_t sum =
      util::hash_words(std::span<const std::uint64_t>(hashes), layout.size() - kHeaderSize);
  BlockBuffer writing(sink);
  layout.emit(sum, writing);
  return writing.finish();
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
  auto graph = open_bytes(mapping, mapping->data(), mapping->size(), path, diagnostics, trusted,
                          mapping->mapped());
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
                                                 diag::Diagnostics& diagnostics, bool trusted,
                                                 bool release_checked_pages) {
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
      const model::Sym id = g.relation_id[e];
      if ((model::is_made_relation_id(id) ? model::made_relation_number(id) == 0 : id >= strings) ||
          g.relation_kind[e] >= relation_kinds || g.relation_from[e] >= n ||
          g.relation_to[e] >= n || g.relation_source_ref[e].document >= documents) {
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
  } else if (checksum(base + kHeaderSize, payload, check,
                      release_checked_pages ? std::span<const unsigned char>(
                                                  at(kStringText), table[kStringText].capacity)
                                            : std::span<const unsigned char>()) != sum) {
    return corrupt("checksum mismatch");
  }
  if (problem == "schema") return nullptr;  // reported by read_schema
  if (!problem.empty()) return corrupt(problem);
  // The checks read every byte, but the national catalogue at 10^6 uses 390 of its 550 MB
  // (not the texts of ids no report shows, nor the positions of statements no report
  // names, ...), and pages left mapped count against the process's memory as its heap
  // does. The texts, which the other checks do not read, were let go of as they were
  // hashed (letting go of every chunk so cost screening a tenth more: the checks on this
  // thread read much of it again); the rest is let go of on every core (on this thread
  // alone it cost a screening 6 ms of its 125). Nothing has been written into it yet.
  if (release_checked_pages && !trusted) {
    const std::size_t chunks = (size + kChecksumChunk - 1) / kChecksumChunk;
    const unsigned cores = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    util::parallel_for(chunks, cores, [&](std::size_t i) {
      release_pages(base + i * kChecksumChunk, std::min(kChecksumChunk, size - i * kChecksumChunk));
    });
  }
  g.mapping = std::move(holder);
  return std::make_unique<Graph>(std::move(schema), std::move(g));
}

}  // namespace twinscan::io
