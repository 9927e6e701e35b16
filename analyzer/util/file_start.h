// The first bytes of a file, read to tell what kind of document it is.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace twinscan::util {

/// Reads the start of the file at `path` into `room`, with one call: the bytes read, none
/// when the file cannot be opened or read. A listing asks this of every document of a
/// folder, which may hold thousands: no stream and no buffer of its own. One call is
/// enough, since a regular file gives what it has up to the size asked for; a start cut
/// short by an odd file system only reads as a start that says nothing. Call it on regular
/// files only: opening a FIFO waits for a writer, and a device may act on being opened.
std::string_view read_file_start(const std::string& path, std::span<char> room);

}  // namespace twinscan::util
