#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "analyzer/diag/source_text.h"

namespace twinscan::io {

class RegistryLoader;

/// The fast path of RegistryLoader: reads a registry document with simdjson's on-demand
/// parser straight into the GraphBuilder, checking it against the schema as the full
/// reader does, without building a tree or recording where every value starts.
///
/// It reads only documents that need no diagnostic other than the warnings about
/// repeated relations (which it reports exactly as the full reader does). On anything
/// else (malformed JSON, comments, a schema violation, a warning, or a construct it does
/// not handle) it gives up and returns false; the loader then takes back all the
/// document added (GraphBuilder::rollback) and reads it again with the full reader,
/// whose messages and positions are the reference. A document read either way leaves
/// the builder in the same state.
///
/// A document of `min_bytes` or more (4 MiB by default) is parsed on a second thread, in
/// batches of statements, while this thread adds the batch before to the graph.
class FastDocumentReader {
 public:
  explicit FastDocumentReader(RegistryLoader& loader);
  ~FastDocumentReader();
  FastDocumentReader(const FastDocumentReader&) = delete;
  FastDocumentReader& operator=(const FastDocumentReader&) = delete;

  /// Reads `source` as document `document`; false when the full reader must read it.
  bool read(const diag::SourceText& source, std::uint32_t document);

  /// Documents of `min_bytes` or more are parsed on a second thread, `batch_size`
  /// statements at a time (tests set both small to try every boundary).
  void set_parse_ahead(std::size_t min_bytes, std::size_t batch_size);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace twinscan::io
