#pragma once

#include <functional>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace twinscan::exports {

/// Names made unique within one header, one element or one folder, so that no two
/// properties (or kinds) share a field or a file, where a reader would keep only one:
/// a name already taken gets `_2`, then `_3`, and so on.
class UniqueNames {
 public:
  /// `taken`: names that are not to be given (the fixed fields). File names are compared
  /// ignoring ASCII case, as some file systems do; property names are not.
  explicit UniqueNames(std::initializer_list<std::string_view> taken, bool ignore_case = false);
  /// Marks `name` as given, as it is (a name known to be unique among its kind).
  void take(std::string_view name);
  [[nodiscard]] bool taken(std::string_view name) const;
  /// `name`, or the first of `name_2`, `name_3`… not taken; marks it as given.
  std::string claim(const std::string& name);

 private:
  [[nodiscard]] std::string folded(std::string_view name) const;
  bool ignore_case_;
  std::set<std::string, std::less<>> taken_;
};

/// The field names of properties written beside fixed attributes (`reserved`: label, kind,
/// id, name…): each property keeps its name, except one named like a fixed attribute,
/// which gets `_property` after it (and a number when a property already has that name).
/// `names` lists the properties' names in order; the result is in the same order.
template <typename Names>
std::vector<std::string> property_field_names(const Names& names,
                                              std::initializer_list<std::string_view> reserved) {
  auto is_reserved = [&](std::string_view name) {
    for (const auto r : reserved) {
      if (name == r) return true;
    }
    return false;
  };
  UniqueNames given(reserved);
  for (const auto& name : names) {
    if (!is_reserved(name)) given.take(name);
  }
  std::vector<std::string> out;
  for (const auto& name : names) {
    out.push_back(is_reserved(name) ? given.claim(std::string(name) + "_property")
                                    : std::string(name));
  }
  return out;
}

}  // namespace twinscan::exports
