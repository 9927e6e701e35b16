#include "analyzer/io/document_kind.h"

#include <filesystem>
#include <string_view>

#include "analyzer/io/snapshot_codec.h"
#include "analyzer/util/file_start.h"

namespace twinscan::io {

DocumentKind sniff_document_kind(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return DocumentKind::kRegistry;
  char room[4096];
  const std::string_view head = util::read_file_start(path, room);
  if (head.substr(0, sizeof SnapshotCodec::kMagic) ==
      std::string_view(SnapshotCodec::kMagic, sizeof SnapshotCodec::kMagic)) {
    return DocumentKind::kSnapshot;
  }
  if (head.find("\"twinscan-schema/1\"") != std::string_view::npos) return DocumentKind::kSchema;
  if (head.find("\"twinscan-rule/1\"") != std::string_view::npos) return DocumentKind::kRule;
  return DocumentKind::kRegistry;
}

}  // namespace twinscan::io
