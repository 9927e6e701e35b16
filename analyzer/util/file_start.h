// The first bytes of a file, read to tell what kind of document it is, or all of a small one.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
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

/// A regular file looked at once: its status, and its whole text when it is small.
struct FileLook {
  bool opened = false;    ///< false: it could not be opened, or is not a regular file
  struct stat status {};  ///< of the file as opened
  bool whole = false;     ///< `text` is all of it
  std::string text;       ///< all of a small file, with `padding` bytes of room past its end
};

/// Opens the file at `path` once: its status, and either its whole text (when it has
/// fewer than `keep_below` bytes, and some: `text`, with room for `padding` bytes past its
/// end) or its start (in `room`). Returns a view of its first bytes either way (up to
/// room's size; into `look.text` when kept whole, so moving `look` ends it), none when
/// it cannot be read. A folder listing that reads every document's start (to tell a
/// judgements file apart) keeps a small document so, instead of looking it up, opening
/// it and reading it again when its turn comes. An empty file, a file that changes size
/// while read, or no memory for the text: its start only. Opened without waiting
/// (O_NONBLOCK), and only a regular file is read: call it on entries a listing says are
/// regular files.
std::string_view look_at_file(const std::string& path, std::span<char> room,
                              std::uint64_t keep_below, std::size_t padding, FileLook& look);

}  // namespace twinscan::util
