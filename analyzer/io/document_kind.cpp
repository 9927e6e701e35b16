#include "analyzer/io/document_kind.h"

#include <filesystem>
#include <fstream>

namespace twinscan::io {

DocumentKind sniff_document_kind(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return DocumentKind::kRegistry;
  std::ifstream in(path, std::ios::binary);
  if (!in) return DocumentKind::kRegistry;
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (head.find("\"twinscan-schema/1\"") != std::string::npos) return DocumentKind::kSchema;
  if (head.find("\"twinscan-rule/1\"") != std::string::npos) return DocumentKind::kRule;
  return DocumentKind::kRegistry;
}

}  // namespace twinscan::io
