#include "analyzer/cli/arguments.h"

#include <iostream>

#include "analyzer/query/query_engine.h"

namespace twinscan::cli {

bool parse_parameters(const std::vector<std::string>& params, query::Parameters& out) {
  for (const auto& p : params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "twinscan: error: --param takes NAME=VALUE, not '" << p << "'\n";
      return false;
    }
    out[p.substr(0, eq)] = query::parse_parameter_value(std::string_view(p).substr(eq + 1));
  }
  return true;
}

bool parse_as_of(const std::string& text, model::Date& out) {
  if (text.empty()) {
    out = model::today_utc();
    return true;
  }
  const auto d = model::parse_date(text);
  if (!d || d->precision() != model::Date::Precision::kDay) {
    std::cerr << "twinscan: error: --as-of takes a full date such as 2024-05-01, not '" << text
              << "'\n";
    return false;
  }
  out = *d;
  return true;
}

}  // namespace twinscan::cli
