// The check every --as-of shares: given, it must say a date.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace twinscan::cli {

/// Refuses an --as-of given empty: left out, the option means today, and `--as-of ''`
/// (an unset shell variable) would silently mean today too. A usage error that says
/// what to give.
inline CLI::Validator given_date() {
  return {[](std::string& value) -> std::string {
            if (value.empty()) {
              return "the date is empty; give one such as 2024-05-01, or leave the option "
                     "out for today";
            }
            return {};
          },
          "", ""};
}

}  // namespace twinscan::cli
