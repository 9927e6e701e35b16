#pragma once

#include <memory>
#include <string>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/io/snapshot_codec.h"
#include "analyzer/model/graph.h"

namespace twinscan::io {

/// A registry's graph kept as a snapshot that is mapped privately again for each
/// screening: every copy shares the registry's pages with the others until it writes
/// to them (merging a request writes only a few), so a copy costs a mapping, not a
/// reload. The snapshot is the file the registry was opened from, or one encoded once
/// into an anonymous in-memory file. Safe to use from several threads.
class GraphImage {
 public:
  /// The image of the snapshot file at `path`, checked once now.
  static std::unique_ptr<GraphImage> of_file(const std::string& path,
                                             diag::Diagnostics& diagnostics);
  /// An image of `graph` (checked against the schema documents `schema`), encoded now.
  /// Nothing, with a warning in `diagnostics`, when memory cannot be had.
  static std::unique_ptr<GraphImage> encode(const model::Graph& graph, const SchemaSources& schema,
                                            diag::Diagnostics& diagnostics);
  GraphImage(const GraphImage&) = delete;
  GraphImage& operator=(const GraphImage&) = delete;
  ~GraphImage();

  /// A private, writable copy of the graph, to merge a request into in place.
  [[nodiscard]] std::unique_ptr<model::Graph> copy(diag::Diagnostics& diagnostics) const;

 private:
  GraphImage(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::string path_;  // the snapshot file, or a label for the in-memory one
  int fd_ = -1;       // the in-memory file, or -1
};

}  // namespace twinscan::io
