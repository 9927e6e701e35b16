#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/diag/source_text.h"
#include "analyzer/io/fast_member_names.h"
#include "analyzer/model/graph_arrays.h"
#include "analyzer/model/schema.h"

namespace twinscan::io::fast {

/// A parsed JSON value of an entity, relation or source, held in pre-order so that the
/// members of an object can be looked up in any order.
struct JsonNode {
  enum class Kind : std::uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  std::uint32_t end = 0;     ///< index one past the subtree
  std::uint32_t offset = 0;  ///< where it starts in the document (only where asked for)
  /// The parser's number for `key`, the same for the same text in every document it
  /// reads (members of an entity or relation other than id, kind and ends only), below
  /// kNumberedKeys; kNumberedKeys for every name past the first kNumberedKeys.
  std::uint32_t key_number = 0;
  std::string_view key;   ///< the member name naming it, if any
  std::string_view text;  ///< a string's unescaped text
  union {
    std::int64_t integer = 0;  ///< an integer's value
    std::uint64_t text_hash;   ///< a string's util::StringPool::hash
    double number;             ///< a double's value
  };
  [[nodiscard]] bool is_number() const { return kind == Kind::kInt || kind == Kind::kDouble; }
  [[nodiscard]] double as_double() const {
    return kind == Kind::kInt ? static_cast<double>(integer) : number;
  }
};

// A batch holds about ten times the bytes of the text it was parsed from, most of them
// nodes: each byte of a node counts, the more so as batches wait to be added.
static_assert(sizeof(JsonNode) == 56);

/// The nodes of the statements of a batch, one subtree after another.
struct JsonNodes {
  std::vector<JsonNode> nodes;

  const JsonNode& operator[](std::uint32_t i) const { return nodes[i]; }
  /// The first member `key` of object node `object`, or 0 (a member always comes after
  /// its object, so node 0 is never a member).
  [[nodiscard]] std::uint32_t find(std::uint32_t object, std::string_view key) const {
    for (std::uint32_t i = object + 1; i < nodes[object].end; i = nodes[i].end) {
      if (nodes[i].key == key) return i;
    }
    return 0;
  }
  [[nodiscard]] bool non_empty_string(std::uint32_t node) const {
    return node != 0 && nodes[node].kind == JsonNode::Kind::kString && !nodes[node].text.empty();
  }
};

/// An entity, relation or the document's source as the parsing thread checked it: what
/// the graph builder needs, computed ahead (kinds, positions, hashes of ids).
struct ParsedStatement {
  enum class Type : std::uint8_t { kSource, kEntity, kRelation };
  Type type = Type::kEntity;
  std::uint32_t root = 0;     ///< its object node
  std::uint32_t id_node = 0;  ///< "id" (0: none; a relation's is optional)
  std::uint16_t kind = 0;     ///< KindId of an entity, RelKindId of a relation
  model::SourceRef where;
  // A relation's ends: "from" and "to" nodes, given by id (a non-empty string) or by
  // name (an object with "name" and an optional "kind").
  std::uint32_t from_node = 0;
  std::uint32_t to_node = 0;
  std::string_view from_name, to_name;  ///< empty for an end given by id
  model::KindMask from_kinds = 0, to_kinds = 0;
  model::SourceRef from_where, to_where;
  std::uint64_t id_hash = 0;                 ///< StringPool::hash of the entity's id
  std::uint64_t name_hash = 0;               ///< and of its name (0: none)
  std::uint64_t from_hash = 0, to_hash = 0;  ///< of the ends given by id
};

/// Statements parsed one after another, handed over together.
struct StatementBatch {
  JsonNodes nodes;
  std::vector<ParsedStatement> statements;
  void clear() {
    nodes.nodes.clear();
    statements.clear();
  }
};

/// A relation that repeats an earlier one of its document: the warning the full reader
/// gives (`order` repeats `first`, in the document's relation order).
struct RepeatedRelation {
  model::SourceRef where, first_where;
  model::RelKindId kind = 0;
  std::string_view from, to;
  /// False: stated again with other properties, neither with an id (both are kept, and
  /// rules read both: two shares of one holder add up).
  bool same_properties = true;
};

/// Reads a registry document with simdjson's on-demand parser and checks every statement
/// as far as that needs no graph: the shape of each entity and relation, its kinds, its
/// ends, its positions, and relations repeated within the document. It gives the
/// statements in batches, in document order, to a consumer (the thread that adds them to
/// the graph); it runs on its own thread while the consumer works on the batch before.
///
/// It stops at anything the full reader would report (other than repeated relations,
/// collected in repeats()), or any construct it does not handle: the document is then read
/// by the full reader.
class DocumentParser {
 public:
  explicit DocumentParser(const model::Schema& schema);
  ~DocumentParser();
  DocumentParser(const DocumentParser&) = delete;
  DocumentParser& operator=(const DocumentParser&) = delete;

  /// Gives a full batch to the consumer and returns an empty one to fill (false: stop).
  using Deliver = std::function<bool(std::unique_ptr<StatementBatch>&)>;

  /// Parses `source`; false when the full reader must read it (or `deliver` said stop).
  /// Texts in the batches point into `source`'s text (or the parser's copy of it, when
  /// it has no room for simdjson past its end) or into the parser's buffers of unescaped
  /// strings: they live while `source` does, and until the next parse() (or the parser's
  /// end).
  bool parse(const diag::SourceText& source, std::uint32_t document, std::size_t batch_size,
             const Deliver& deliver);

  /// The repeated relations of the document last parsed, in document order.
  [[nodiscard]] const std::vector<RepeatedRelation>& repeats() const;

  /// Documents of `from_bytes` or more are parsed in windows of about `window_bytes` of
  /// whole statements, each indexed by simdjson on its own (by default from 48 MiB, in
  /// windows of 4 MiB; 0 parses every document whole). Tests set both small, so that every
  /// cut between statements is tried.
  void set_windows(std::size_t from_bytes, std::size_t window_bytes);
  static constexpr std::size_t kWindowsFrom = std::size_t{48} << 20;
  static constexpr std::size_t kWindowBytes = std::size_t{4} << 20;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace twinscan::io::fast
