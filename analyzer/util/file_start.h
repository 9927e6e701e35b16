// The first bytes of a file, read to tell what kind of document it is, or all of a small one.
#pragma once

#include <sys/stat.h>

#include <cstddef>
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

/// Opens the file at `path` once: its status, and either its whole text (when it has at
/// most `whole_up_to` bytes: `text`, with room for `padding` bytes past its end) or its
/// start (in `room`); the view of its first bytes either way (up to room's size), none
/// when it cannot be read. A folder listing that reads every document's start (to tell a
/// judgements file apart) keeps a small document so, instead of looking it up, opening
/// it and reading it again when its turn comes. Opened without waiting (O_NONBLOCK), and
/// only a regular file is read: call it on entries a listing says are regular files.
std::string_view look_at_file(const std::string& path, std::span<char> room,
                              std::size_t whole_up_to, std::size_t padding, FileLook& look);

}  // namespace twinscan::util
