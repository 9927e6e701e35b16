#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/outcome.h"
#include "analyzer/engine/registry.h"

namespace twinscan::engine {

/// A screening request (a registry document holding a new agreement and what comes with
/// it) merged into a registry: a registry of its own, the request its last document.
/// The registry it was merged into is not changed, so screenings of several requests
/// against one Registry never see each other's.
class Request {
 public:
  /// Merges the request document at `path` into a private copy of `registry`'s graph
  /// (opened with RegistrySpec::private_copies): a mapping of its image that shares the
  /// registry's pages and indexes, so the cost grows with the request, not the registry.
  /// Without an image, the registry's documents are read again with the request after
  /// them (and their problems reported again).
  static std::optional<Request> merge(const Registry& registry, const std::string& path,
                                      diag::Diagnostics& diagnostics, Outcome* failure = nullptr);
  /// Opens the registry of `spec` with the request at `path` after its documents, in one
  /// read: a one-off screening, which needs the registry for nothing else.
  static std::optional<Request> open(const RegistrySpec& spec, const std::string& path,
                                     diag::Diagnostics& diagnostics, Outcome* failure = nullptr);

  /// The registry with the request merged in.
  [[nodiscard]] const Registry& merged() const { return merged_; }
  /// The request's document index in merged().
  [[nodiscard]] std::uint32_t document() const { return document_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  Request(Registry merged, std::string path);

  Registry merged_;
  std::string path_;
  std::uint32_t document_ = 0;
};

}  // namespace twinscan::engine
