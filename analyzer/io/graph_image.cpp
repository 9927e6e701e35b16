#include "analyzer/io/graph_image.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace twinscan::io {

std::unique_ptr<GraphImage> GraphImage::of_file(const std::string& path,
                                                diag::Diagnostics& diagnostics) {
  std::unique_ptr<GraphImage> image(new GraphImage(path, -1));
  // The first copy checks the whole file; the later ones find it checked (SnapshotCodec
  // remembers the files it has checked) and only map it.
  if (!image->copy(diagnostics)) return nullptr;
  return image;
}

std::unique_ptr<GraphImage> GraphImage::encode(const model::Graph& graph,
                                               const SchemaSources& schema,
                                               diag::Diagnostics& diagnostics) {
  const std::string label = "(the registry, held in memory)";
  const int fd = ::memfd_create("twinscan-registry", MFD_CLOEXEC);
  if (fd < 0) {
    diagnostics.warning({label, 0, 0}, std::string("cannot hold the registry in memory (") +
                                           std::strerror(errno) +
                                           "): each screening reads it again");
    return nullptr;
  }
  std::unique_ptr<GraphImage> image(new GraphImage(label, fd));
  // Written a block at a time, so that the image is never held twice.
  const bool written = SnapshotCodec::write(graph, schema, [fd](std::string_view block) {
    std::size_t done = 0;
    while (done < block.size()) {
      const ssize_t n = ::write(fd, block.data() + done, block.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  });
  if (!written) {
    diagnostics.warning({label, 0, 0}, std::string("cannot hold the registry in memory (") +
                                           std::strerror(errno) +
                                           "): each screening reads it again");
    return nullptr;
  }
  if (!image->copy(diagnostics)) return nullptr;
  return image;
}

GraphImage::~GraphImage() {
  if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<model::Graph> GraphImage::copy(diag::Diagnostics& diagnostics) const {
  if (fd_ >= 0) return SnapshotCodec::open_descriptor(fd_, path_, diagnostics);
  return SnapshotCodec::open(path_, diagnostics);
}

}  // namespace twinscan::io
