#include "analyzer/io/string_forecast.h"

#include <algorithm>
#include <cmath>

namespace twinscan::io {

std::size_t strings_to_expect(std::uint64_t bytes_seen, std::size_t strings_seen,
                              std::uint64_t bytes_left) {
  const std::uint64_t guess = bytes_left / kBytesPerStringAtMost;
  if (bytes_seen == 0) return static_cast<std::size_t>(guess);
  // In floating point: the product of two counts of billions overflows 64 bits.
  const double at_rate = static_cast<double>(strings_seen) * static_cast<double>(bytes_left) /
                         static_cast<double>(bytes_seen);
  return static_cast<std::size_t>(std::floor(std::min(at_rate, static_cast<double>(guess))));
}

std::vector<std::size_t> forecast_groups(
    const std::vector<std::optional<std::string>>& folder_of_file) {
  std::vector<std::size_t> groups(folder_of_file.size());
  std::size_t group = 0;
  for (std::size_t i = 0; i < folder_of_file.size(); ++i) {
    const bool joins_the_one_before =
        i > 0 && folder_of_file[i] && folder_of_file[i] == folder_of_file[i - 1];
    if (!joins_the_one_before) ++group;
    groups[i] = group;
  }
  return groups;
}

}  // namespace twinscan::io
