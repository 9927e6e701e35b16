#pragma once

#include <string>
#include <string_view>

namespace twinscan::util {

/// Writes `content` as the output `path`, never leaving a partial file and never replacing
/// what is not a regular file:
/// - "-" is standard output;
/// - a regular file (or a new one) is written through a temporary file in the same folder,
///   synced and renamed into place, so that readers never see a partial file;
/// - a symbolic link is followed: its final target is replaced that way in the target's
///   folder, and the link stays a link;
/// - a character device (/dev/null, a terminal) or a FIFO is written to directly;
/// - a folder, a socket, a block device or a location that cannot be written is refused.
/// Returns false with `error` set to what is wrong (for "PATH: cannot write …: ERROR").
bool write_file_atomically(const std::string& path, std::string_view content, std::string& error);

}  // namespace twinscan::util
