#pragma once

#include <optional>
#include <string>
#include <string_view>

struct stat;

namespace twinscan::util {

/// The open descriptor a path names: /dev/stdout (1), /dev/stderr (2), /dev/stdin (0),
/// /dev/fd/N and /proc/self/fd/N. An output named so is written to that descriptor, as
/// the shell opened it (appending, into a pipe), never replaced through the link the
/// path is.
std::optional<int> descriptor_named(std::string_view path);

/// The descriptor `path` names, itself or through symbolic links (a link to /dev/stdout,
/// `//dev/stdout`, /proc/PID/fd/N of this process): what an output named so is written to.
std::optional<int> descriptor_behind(const std::string& path);

/// Records the descriptors open when the process starts (those the shell passed): only
/// they may be named as outputs, never one the process opened itself (its database).
void note_inherited_descriptors();

/// Whether descriptor `fd` may take an output; false with `error` set when it is standard
/// input, not open for writing, not one the process was given, or a protected input.
bool check_output_descriptor(int fd, std::string& error);

/// Records that this process reads `path` as an input (a registry document or snapshot,
/// judgements, a rule file, parameters, a schema extension, a baseline): no output of the
/// process may replace it. A path that is not a regular file is not recorded.
void protect_input(const std::string& path);
/// The same for a file whose status the caller has already (read_file takes it from the
/// descriptor it read), without looking the path up again.
void protect_input(const std::string& path, const struct stat& st);

/// Takes `path` out of the protected inputs: for the one command whose output is the
/// file it reads and adds to (`judge`, on its judgements file).
void release_input(const std::string& path);

/// Whether the file described by `st` is a protected input; `which` gets the path it
/// was read as. Safe to call from any thread.
bool is_protected_input(const struct stat& st, std::string& which);

}  // namespace twinscan::util
