#include "analyzer/engine/request.h"

#include <utility>

#include "analyzer/io/registry_loader.h"

namespace twinscan::engine {

Request::Request(Registry merged, std::string path)
    : merged_(std::move(merged)),
      path_(std::move(path)),
      // The request is the last document read.
      document_(static_cast<std::uint32_t>(merged_.graph().documents().size() - 1)) {}

std::optional<Request> Request::merge(const Registry& registry, const std::string& path,
                                      diag::Diagnostics& diagnostics, Outcome* failure) {
  const io::GraphImage* image = registry.image();
  if (!image) {
    // Without an image the registry's documents are read again, the request after them.
    RegistrySpec spec = registry.spec();
    spec.keep_schema_sources = false;
    return open(spec, path, diagnostics, failure);
  }
  auto fail = [&](Outcome why) -> std::optional<Request> {
    if (failure) *failure = why;
    return std::nullopt;
  };
  // A private copy of the registry's graph, the request merged into it in place. The
  // copy's entities are the registry's, so the registry's indexes answer for them.
  auto copy = image->copy(diagnostics);
  if (!copy) return fail(Outcome::kBadInput);
  io::RegistryLoader loader(std::move(copy), diagnostics);
  loader.share_indexes_of(registry.shared_graph());
  loader.begin_request();
  loader.add_path(path);
  for (const auto& ids : registry.judged_same()) loader.join_ids(ids);
  auto graph = loader.finish();
  if (loader.missing_input()) return fail(Outcome::kMissingInput);
  if (!graph) return fail(Outcome::kBadInput);
  return Request(Registry::with_graph(registry, std::move(graph), loader.document_count()), path);
}

std::optional<Request> Request::open(const RegistrySpec& spec, const std::string& path,
                                     diag::Diagnostics& diagnostics, Outcome* failure) {
  RegistrySpec with_request = spec;
  with_request.request = path;
  with_request.private_copies = false;
  auto merged = Registry::open(with_request, diagnostics, failure);
  if (!merged) return std::nullopt;
  return Request(std::move(*merged), path);
}

}  // namespace twinscan::engine
