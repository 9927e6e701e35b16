// How many distinct strings the rest of a registry path will add to the string pool,
// forecast from what its documents held so far: the pool's hash table is then sized
// once for them, where doubling it as it filled wrote every table size on the way (as
// much memory again as the last one, all of it faulted in fresh) and placed every string
// again at each step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace twinscan::io {

/// Bytes of registry JSON per distinct string at the sparse end of what registries hold
/// (the generator's profiles hold one per 120 to 220 bytes): the forecast is never more
/// than one string per so many bytes, so that a table is seldom made larger than the
/// strings will need. A registry of long texts holds fewer strings still; its table is
/// then a few times too large for them, a small part of what its texts take.
inline constexpr std::uint64_t kBytesPerStringAtMost = 256;

/// The distinct strings to expect in the `bytes_left` bytes still to be read of a path,
/// when its first `bytes_seen` bytes added `strings_seen` new ones: one per
/// kBytesPerStringAtMost bytes, or fewer at the rate seen so far when that is lower. A
/// path that restates what an earlier one held (a second source of the same map) adds
/// few new strings: its rate is its own, so that the forecast counts them once. A first
/// document holds many strings that later ones repeat (the names of governments, values
/// every entity shares): its rate would forecast too many, the guess does not.
[[nodiscard]] std::size_t strings_to_expect(std::uint64_t bytes_seen, std::size_t strings_seen,
                                            std::uint64_t bytes_left);

/// For each of a load's paths, the group of documents whose strings are forecast together
/// (numbered from 1, in order): a folder is a group; files named one after another from
/// one folder are one group, as the folder would have been (a shell's `registry/*.json`,
/// or the files a command lists from a folder itself), where each file a group of its
/// own would be forecast from its own size alone and the table regrown at every file.
/// `folder_of_file[i]`: the folder holding path i when it is a file, nothing otherwise.
[[nodiscard]] std::vector<std::size_t> forecast_groups(
    const std::vector<std::optional<std::string>>& folder_of_file);

}  // namespace twinscan::io
