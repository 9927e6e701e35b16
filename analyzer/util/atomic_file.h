#pragma once

#include <string>
#include <string_view>

namespace twinscan::util {

/// Writes `content` to `path` through a temporary file in the same folder renamed into
/// place, so that readers never see a partial file. Returns false with `error` set.
bool write_file_atomically(const std::string& path, std::string_view content, std::string& error);

}  // namespace twinscan::util
