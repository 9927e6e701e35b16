#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "analyzer/diag/source_text.h"

namespace twinscan::io {

/// A parsed JSON document that remembers where in its source every value and
/// member key starts. Accepts `//` and `/* */` comments and trailing commas, parses
/// iteratively (deep nesting cannot overflow the stack) and refuses nesting deeper
/// than kMaxDepth.
class JsonTree {
 public:
  static constexpr std::uint32_t kMaxDepth = 512;
  static constexpr std::uint32_t kNoOffset = UINT32_MAX;

  /// A value and its pre-order index, which keys the position tables.
  struct Node {
    const rapidjson::Value* value = nullptr;
    std::uint32_t index = 0;
  };

  JsonTree() = default;
  JsonTree(const JsonTree&) = delete;
  JsonTree& operator=(const JsonTree&) = delete;

  /// Parses `text`. On failure returns false with a message and the byte offset.
  bool parse(std::string_view text, std::string& error, std::size_t& error_offset);

  [[nodiscard]] Node root() const { return {&document_, 0}; }
  /// Byte offset where `node` starts.
  [[nodiscard]] std::uint32_t offset(Node node) const { return offsets_[node.index]; }
  /// Byte offset of the key naming `node` when it is an object member's value;
  /// otherwise the value's own offset.
  [[nodiscard]] std::uint32_t key_offset(Node node) const {
    const std::uint32_t k = key_offsets_[node.index];
    return k == kNoOffset ? offsets_[node.index] : k;
  }

  /// Calls f(key, value) for each member of object `node`, in document order.
  template <typename F>
  void for_each_member(Node node, F&& f) const {
    std::uint32_t index = node.index + 1;
    for (auto it = node.value->MemberBegin(); it != node.value->MemberEnd(); ++it) {
      const std::string_view key(it->name.GetString(), it->name.GetStringLength());
      f(key, Node{&it->value, index});
      index = ends_[index];
    }
  }

  /// Calls f(element) for each element of array `node`, in order.
  template <typename F>
  void for_each_element(Node node, F&& f) const {
    std::uint32_t index = node.index + 1;
    for (const auto& element : node.value->GetArray()) {
      f(Node{&element, index});
      index = ends_[index];
    }
  }

  /// The member `key` of object `node`, if present.
  [[nodiscard]] bool find_member(Node node, std::string_view key, Node& out) const;

 private:
  friend class JsonPositionRecorder;

  std::string buffer_;  // parsed in situ: strings in the document point here
  rapidjson::Document document_;
  std::vector<std::uint32_t> offsets_;      // per value: start offset
  std::vector<std::uint32_t> key_offsets_;  // per value: offset of its member key, or kNoOffset
  std::vector<std::uint32_t> ends_;         // per value: index one past its subtree
};

/// The JSON type of `value` as a user would name it ("object", "string", ...).
std::string_view json_type_name(const rapidjson::Value& value);

}  // namespace twinscan::io
