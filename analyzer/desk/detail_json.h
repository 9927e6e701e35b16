#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/// The detail of an audit entry: a flat JSON object of texts and numbers.
namespace twinscan::desk {

/// Builds `{"key": value, ...}` in the order members are added; texts are escaped by
/// RapidJSON, so the result is valid JSON whatever they hold.
class DetailJson {
 public:
  DetailJson& add(std::string_view key, std::string_view text);
  DetailJson& add(std::string_view key, std::int64_t number);
  /// Adds the text only when it is not empty.
  DetailJson& add_if(std::string_view key, std::string_view text);
  [[nodiscard]] std::string str() const;

 private:
  std::vector<std::pair<std::string, std::string>> texts_;  // key, value as JSON
};

}  // namespace twinscan::desk
