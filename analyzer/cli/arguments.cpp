#include "analyzer/cli/arguments.h"

#include <iostream>

#include "analyzer/query/query_engine.h"

namespace twinscan::cli {
namespace {

// Splits NAME=VALUE; prints a malformed one and returns false.
bool split_assignment(const std::string& p, std::string& name, std::string& value) {
  const auto eq = p.find('=');
  if (eq == std::string::npos || eq == 0) {
    std::cerr << "twinscan: error: --param takes NAME=VALUE, not '" << p << "'\n";
    return false;
  }
  name = p.substr(0, eq);
  value = p.substr(eq + 1);
  return true;
}

}  // namespace

bool parse_parameters(const std::vector<std::string>& params, query::Parameters& out) {
  for (const auto& p : params) {
    std::string name, value;
    if (!split_assignment(p, name, value)) return false;
    out[name] = query::parse_parameter_value(value);
  }
  return true;
}

bool parse_rule_parameters(const std::vector<std::string>& params,
                           std::vector<engine::GivenParameter>& out) {
  for (const auto& p : params) {
    engine::GivenParameter given;
    if (!split_assignment(p, given.key, given.text)) return false;
    given.value = query::parse_parameter_value(given.text);
    out.push_back(std::move(given));
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
