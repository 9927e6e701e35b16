#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/io/diagnostics.h"
#include "analyzer/model/graph.h"

namespace twinscan::io {

/// The schema documents a graph was checked against (name, text), kept in a snapshot
/// so that opening it needs no other file.
using SchemaSources = std::vector<std::pair<std::string, std::string>>;

/// Reads and writes the snapshot format: a loaded, validated graph in one binary file
/// (`twinscan compile`). Version 1 layout: the 8-byte magic "TWSNAP\0\1", a u32 version,
/// a u32 of zeros, the payload size and a checksum (u64 each), then the payload: schema
/// documents, document names, the string pool, entity arrays, relation arrays and the
/// list pool, each array as a u64 count and its little-endian elements. Adjacency and
/// indexes are rebuilt on open, so they cannot be corrupt.
class SnapshotCodec {
 public:
  static constexpr char kMagic[8] = {'T', 'W', 'S', 'N', 'A', 'P', '\0', '\1'};
  static constexpr std::uint32_t kVersion = 1;

  /// True when the file starts with the snapshot magic.
  static bool is_snapshot(const std::string& path);

  /// The snapshot bytes of `graph`.
  static std::string encode(const model::Graph& graph, const SchemaSources& schema);

  /// Rebuilds a graph from snapshot bytes; every inconsistency (truncation, a bad
  /// checksum, an index out of range) is reported against `file` and gives nullptr.
  static std::shared_ptr<const model::Graph> decode(const std::string& bytes,
                                                    const std::string& file,
                                                    Diagnostics& diagnostics);
};

}  // namespace twinscan::io
