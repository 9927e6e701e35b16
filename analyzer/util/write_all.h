// Writing a whole text to a file descriptor, whatever the kernel takes per call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace twinscan::util {

/// Writes all of `content` to `fd` (at `offset`, when not negative; else at the file's
/// position), retrying short writes and interrupted calls. False with `error` set to the
/// system's message on failure.
bool write_all(int fd, std::string_view content, std::string& error, std::int64_t offset = -1);

}  // namespace twinscan::util
