#include "analyzer/engine/request.h"

#include <utility>

namespace twinscan::engine {

Request::Request(Registry merged, std::string path)
    : merged_(std::move(merged)),
      path_(std::move(path)),
      // The request is the last document read.
      document_(static_cast<std::uint32_t>(merged_.graph().documents().size() - 1)) {}

std::optional<Request> Request::merge(const Registry& registry, const std::string& path,
                                      diag::Diagnostics& diagnostics, Outcome* failure) {
  RegistrySpec spec = registry.spec();
  spec.keep_schema_sources = false;
  return open(spec, path, diagnostics, failure);
}

std::optional<Request> Request::open(const RegistrySpec& spec, const std::string& path,
                                     diag::Diagnostics& diagnostics, Outcome* failure) {
  RegistrySpec with_request = spec;
  with_request.request = path;
  auto merged = Registry::open(with_request, diagnostics, failure);
  if (!merged) return std::nullopt;
  return Request(std::move(*merged), path);
}

}  // namespace twinscan::engine
