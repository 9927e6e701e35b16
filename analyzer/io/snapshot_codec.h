#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/model/graph.h"

namespace twinscan::io {

/// The schema documents a graph was checked against (name, text), kept in a snapshot
/// so that opening it needs no other file.
using SchemaSources = std::vector<std::pair<std::string, std::string>>;

/// Reads and writes the snapshot format: a loaded, validated graph in one binary file
/// (`twinscan compile`) that is opened by mapping it, not by parsing it.
///
/// Version 3 layout (little-endian): a 64-byte header (the magic "TWSNAP\0\1", the u32
/// version, a u32 byte-order mark, the payload size, the payload's checksum and the
/// number of sections), then a table of sections (offset, element count, capacity and
/// element size, u64 each), then the sections, each at a 64-byte boundary: the schema
/// documents, the document names, the string pool (text, offsets, hash table), and
/// every array of the graph exactly as it lies in memory, adjacency and indexes
/// included. Arrays that grow when a request is merged are followed by zeroed room.
/// Version 3 changed no layout from version 2, only the hash (util::hash_bytes) that
/// places strings in the pool's table and computes the checksum. Version 4 adds
/// provenance: the sources (in the document section), the source-set table, each
/// entity's and relation's set, each property value's set (in what was padding) and the
/// values sources disagree on. An older file is refused with a message asking to compile
/// it again.
///
/// Opening maps the file privately (pages are read on first use and copied only when a
/// merged request writes to them), verifies the checksum and every index on all cores,
/// and builds the graph's columns over the mapped sections.
class SnapshotCodec {
 public:
  static constexpr char kMagic[8] = {'T', 'W', 'S', 'N', 'A', 'P', '\0', '\1'};
  static constexpr std::uint32_t kVersion = 5;  // 5: ids of relations made when shown

  /// True when the file starts with the snapshot magic.
  static bool is_snapshot(const std::string& path);

  /// The snapshot bytes of `graph`.
  static std::string encode(const model::Graph& graph, const SchemaSources& schema);
  /// Where write() puts a snapshot's bytes, a block at a time in order; false stops it.
  using Sink = std::function<bool(std::string_view block)>;
  /// The bytes encode() gives, handed to `sink` in blocks of a few megabytes rather than
  /// held whole: they are made twice, once for the checksum and once for `sink`, so that
  /// writing a snapshot takes little memory beside the graph. False when `sink` refused
  /// a block.
  static bool write(const model::Graph& graph, const SchemaSources& schema, const Sink& sink);
  /// Writes the checksum of the payload of `bytes` into its header (encode() does so
  /// last); tests use it to make sure that what the checksum would catch is also caught
  /// by the structural checks. False when `bytes` is too short to hold a header.
  static bool seal(std::string& bytes);

  /// Opens the snapshot file `path`. Every inconsistency (truncation, a bad checksum, an
  /// index out of range) is reported against it and gives nullptr. A file this process
  /// has opened and checked before, unchanged since, is not checked again. The graph may still
  /// be extended in place (GraphBuilder) before it is shared.
  static std::unique_ptr<model::Graph> open(const std::string& path,
                                            diag::Diagnostics& diagnostics);
  /// As open(), over the open file `fd` (kept open; the caller closes it), named `label`
  /// in messages: a snapshot held in an anonymous in-memory file (io::GraphImage).
  static std::unique_ptr<model::Graph> open_descriptor(int fd, const std::string& label,
                                                       diag::Diagnostics& diagnostics);

  /// As open(), over snapshot bytes held in memory (copied).
  static std::unique_ptr<model::Graph> decode(const std::string& bytes, const std::string& file,
                                              diag::Diagnostics& diagnostics);

 private:
  // Checks the snapshot at `data` and builds a graph over it; `holder` owns the bytes.
  // `trusted`: the same file was checked whole by this process; only its shape is read.
  // `release_checked_pages`: `data` is a private mapping of a file, whose pages the checks
  // read are let go of (read again from the page cache when used).
  static std::unique_ptr<model::Graph> open_bytes(std::shared_ptr<void> holder, unsigned char* data,
                                                  std::size_t size, const std::string& file,
                                                  diag::Diagnostics& diagnostics,
                                                  bool trusted = false,
                                                  bool release_checked_pages = false);
};

}  // namespace twinscan::io
