#include <catch2/catch.hpp>

#include <string>

#include "analyzer/io/json_tree.h"

using twinscan::io::json_type_name;
using twinscan::io::JsonTree;
using Node = JsonTree::Node;

namespace {

// The member `key` of object `node`; fails the test when absent.
Node member(const JsonTree& tree, Node node, std::string_view key) {
  Node out;
  INFO("member " << key);
  REQUIRE(tree.find_member(node, key, out));
  return out;
}

// The `i`th element of array `node`.
Node element(const JsonTree& tree, Node node, std::size_t i) {
  std::size_t k = 0;
  Node out;
  bool found = false;
  tree.for_each_element(node, [&](Node e) {
    if (k++ == i) {
      out = e;
      found = true;
    }
  });
  REQUIRE(found);
  return out;
}

struct ParseFailure {
  std::string message;
  std::size_t offset = 0;
};

ParseFailure parse_error(std::string_view text) {
  JsonTree tree;
  ParseFailure failure;
  const bool ok = tree.parse(text, failure.message, failure.offset);
  INFO("text: " << text);
  CHECK_FALSE(ok);
  return failure;
}

}  // namespace

TEST_CASE("registry json tree: records where every value starts", "[registry]") {
  const std::string text =
      R"({"s": "str", "n": -12.5e3, "i": 42, "t": true, "f": false, "z": null,)"
      "\n"
      R"( "o": {"k": [1, "two", {}]}, "a": [ ], "u": "\u05d0x"})";
  JsonTree tree;
  std::string error;
  std::size_t offset = 0;
  REQUIRE(tree.parse(text, error, offset));
  const Node root = tree.root();
  CHECK(root.value->IsObject());
  CHECK(tree.offset(root) == 0);
  CHECK(tree.key_offset(root) == 0);  // no key: its own offset

  const auto at = [&](std::string_view needle) { return text.find(needle); };
  CHECK(tree.offset(member(tree, root, "s")) == at("\"str\""));
  CHECK(tree.offset(member(tree, root, "n")) == at("-12.5e3"));
  CHECK(tree.offset(member(tree, root, "i")) == at("42"));
  CHECK(tree.offset(member(tree, root, "t")) == at("true"));
  CHECK(tree.offset(member(tree, root, "f")) == at("false"));
  CHECK(tree.offset(member(tree, root, "z")) == at("null"));
  const Node o = member(tree, root, "o");
  CHECK(tree.offset(o) == at("{\"k\""));
  const Node k = member(tree, o, "k");
  CHECK(tree.offset(k) == at("[1,"));
  CHECK(tree.offset(element(tree, k, 0)) == at("1,"));
  CHECK(tree.offset(element(tree, k, 1)) == at("\"two\""));
  CHECK(tree.offset(element(tree, k, 2)) == at("{}"));
  CHECK(tree.offset(member(tree, root, "a")) == at("[ ]"));
  // An escaped string still starts at its opening quote.
  const Node u = member(tree, root, "u");
  CHECK(tree.offset(u) == at("\"\\u05d0x\""));
  CHECK(std::string(u.value->GetString()) == "\xD7\x90x");

  // Keys: the offset of the opening quote of the member name.
  CHECK(tree.key_offset(member(tree, root, "s")) == at("\"s\""));
  CHECK(tree.key_offset(member(tree, root, "o")) == at("\"o\""));
  CHECK(tree.key_offset(k) == at("\"k\""));
  // Array elements have no key: key_offset is their own offset.
  CHECK(tree.key_offset(element(tree, k, 1)) == at("\"two\""));
}

TEST_CASE("registry json tree: offsets of numbers and literals in arrays and after comments",
          "[registry]") {
  const std::string text = "[0,-1,2.5,1e10,true,false,null, /* c */ 7 // d\n ,8]";
  JsonTree tree;
  std::string error;
  std::size_t offset = 0;
  REQUIRE(tree.parse(text, error, offset));
  const Node root = tree.root();
  CHECK(tree.offset(element(tree, root, 0)) == 1);
  CHECK(tree.offset(element(tree, root, 1)) == 3);
  CHECK(tree.offset(element(tree, root, 2)) == 6);
  CHECK(tree.offset(element(tree, root, 3)) == 10);
  CHECK(tree.offset(element(tree, root, 4)) == 15);
  CHECK(tree.offset(element(tree, root, 5)) == 20);
  CHECK(tree.offset(element(tree, root, 6)) == 26);
  CHECK(tree.offset(element(tree, root, 7)) == text.find('7'));
  CHECK(tree.offset(element(tree, root, 8)) == text.find('8'));
}

TEST_CASE("registry json tree: walks members and elements in document order", "[registry]") {
  const std::string text = R"({"b": {"x": [1, [2, 3]], "y": 4}, "a": 5, "c": [6]})";
  JsonTree tree;
  std::string error;
  std::size_t offset = 0;
  REQUIRE(tree.parse(text, error, offset));
  std::string keys;
  std::vector<std::uint32_t> offsets;
  tree.for_each_member(tree.root(), [&](std::string_view key, Node value) {
    keys += key;
    offsets.push_back(tree.offset(value));
  });
  CHECK(keys == "bac");
  CHECK(offsets == std::vector<std::uint32_t>{static_cast<std::uint32_t>(text.find("{\"x\"")),
                                              static_cast<std::uint32_t>(text.find('5')),
                                              static_cast<std::uint32_t>(text.find("[6]"))});
  // A later sibling after a nested subtree still finds its own position table entry.
  const Node y = member(tree, member(tree, tree.root(), "b"), "y");
  CHECK(tree.offset(y) == text.find('4'));
  Node missing;
  CHECK_FALSE(tree.find_member(tree.root(), "d", missing));
}

TEST_CASE("registry json tree: accepts comments and trailing commas", "[registry]") {
  const std::string text =
      "// a registry\n"
      "{\n"
      "  /* block\n     comment */ \"a\": [1, 2, ],\n"
      "  \"b\": {\"c\": true,}, // after\n"
      "}\n";
  JsonTree tree;
  std::string error;
  std::size_t offset = 0;
  REQUIRE(tree.parse(text, error, offset));
  CHECK(tree.offset(tree.root()) == text.find('{'));
  const Node a = member(tree, tree.root(), "a");
  CHECK(a.value->Size() == 2);
  CHECK(tree.offset(a) == text.find("[1"));
  CHECK(tree.key_offset(a) == text.find("\"a\""));
  CHECK(tree.offset(member(tree, member(tree, tree.root(), "b"), "c")) == text.find("true"));
}

TEST_CASE("registry json tree: accepts a UTF-8 byte order mark without shifting offsets",
          "[registry]") {
  const std::string text = "\xEF\xBB\xBF{\"a\": 1}";
  JsonTree tree;
  std::string error;
  std::size_t offset = 0;
  REQUIRE(tree.parse(text, error, offset));
  CHECK(tree.offset(tree.root()) == 3);
  CHECK(tree.offset(member(tree, tree.root(), "a")) == text.find('1'));
  CHECK(tree.key_offset(member(tree, tree.root(), "a")) == 4);
}

TEST_CASE("registry json tree: reports the offset of malformed JSON", "[registry]") {
  auto f = parse_error("");
  CHECK(f.message == "malformed JSON: the document is empty");
  CHECK(f.offset == 0);

  f = parse_error("{\"a\": 1,, \"b\": 2}");
  CHECK(f.message.starts_with("malformed JSON: "));
  CHECK(f.offset == 8);

  f = parse_error("{\"a\": 1 \"b\": 2}");
  CHECK(f.message == "malformed JSON: missing a comma or '}' after an object member");
  CHECK(f.offset == 8);

  f = parse_error("[1, 2\n 3]");
  CHECK(f.message == "malformed JSON: missing a comma or ']' after an array element");
  CHECK(f.offset == 7);

  // RapidJSON stops after the letters it could match, at the '}'.
  f = parse_error("{\"a\": tru}");
  CHECK(f.message == "malformed JSON: invalid value");
  CHECK(f.offset == 9);

  f = parse_error("{\"a\" 1}");
  CHECK(f.message == "malformed JSON: missing a colon after a name of object member");
  CHECK(f.offset == 5);

  f = parse_error("{\"a\": 1}\n}");
  CHECK(f.message == "malformed JSON: the document root must not be followed by other values");
  CHECK(f.offset == 9);

  f = parse_error("{\"a\": \"unterminated}");
  CHECK(f.message == "malformed JSON: missing a closing quotation mark in string");

  f = parse_error("{\"a\": \"\\q\"}");
  CHECK(f.message == "malformed JSON: invalid escape character in string");

  f = parse_error("{\"a\": 1 /* unterminated comment");
  CHECK(f.message.starts_with("malformed JSON: "));

  f = parse_error("{'a': 1}");
  CHECK(f.message == "malformed JSON: missing a name for object member");
  CHECK(f.offset == 1);
}

TEST_CASE("registry json tree: refuses deep nesting without overflowing the stack", "[registry]") {
  const std::size_t depth = 100000;
  const std::string text = std::string(depth, '[') + std::string(depth, ']');
  const auto f = parse_error(text);
  CHECK(f.message == "nesting deeper than 512 levels");
  CHECK(f.offset == JsonTree::kMaxDepth);  // the bracket that opens level 513

  const std::string objects = [] {
    std::string s;
    for (int i = 0; i < 100000; ++i) s += "{\"a\":";
    return s;
  }();
  CHECK(parse_error(objects).message == "nesting deeper than 512 levels");
}

TEST_CASE("registry json tree: accepts nesting up to its limit", "[registry]") {
  const std::string text =
      std::string(JsonTree::kMaxDepth, '[') + "1" + std::string(JsonTree::kMaxDepth, ']');
  JsonTree tree;
  std::string error;
  std::size_t offset = 0;
  CHECK(tree.parse(text, error, offset));
  Node node = tree.root();
  for (std::uint32_t i = 1; i < JsonTree::kMaxDepth; ++i) node = element(tree, node, 0);
  CHECK(tree.offset(node) == JsonTree::kMaxDepth - 1);
  CHECK(tree.offset(element(tree, node, 0)) == JsonTree::kMaxDepth);
}

TEST_CASE("registry json tree: refuses invalid UTF-8 inside strings", "[registry]") {
  const auto f = parse_error("{\"a\": \"\xFF\"}");
  CHECK(f.message == "malformed JSON: invalid encoding in string");
}

TEST_CASE("registry json tree: can be reused for a second document", "[registry]") {
  JsonTree tree;
  std::string error;
  std::size_t offset = 0;
  REQUIRE(tree.parse("[1, 2, 3]", error, offset));
  REQUIRE(tree.parse("  {\"b\": false}", error, offset));
  CHECK(tree.offset(tree.root()) == 2);
  CHECK(tree.offset(member(tree, tree.root(), "b")) == 8);
}

TEST_CASE("registry json tree: json_type_name names JSON types as a user would", "[registry]") {
  rapidjson::Document d;
  d.Parse(R"([null, true, false, {}, [], "s", 1, 1.5])");
  REQUIRE(d.IsArray());
  CHECK(json_type_name(d[0]) == "null");
  CHECK(json_type_name(d[1]) == "a boolean");
  CHECK(json_type_name(d[2]) == "a boolean");
  CHECK(json_type_name(d[3]) == "an object");
  CHECK(json_type_name(d[4]) == "a list");
  CHECK(json_type_name(d[5]) == "a string");
  CHECK(json_type_name(d[6]) == "a number");
  CHECK(json_type_name(d[7]) == "a number");
}

TEST_CASE("registry json tree: an object or list starts at its bracket, not the byte before",
          "[registry]") {
  // Regression: objects and lists were recorded one byte early, and a document
  // starting with '{' at offset 0 got offset 0xFFFFFFFF (reported at the end of the file).
  for (const std::string text : {"{}", "[]", " {}", "\n[]", "[{}, []]"}) {
    INFO("text: " << text);
    JsonTree tree;
    std::string error;
    std::size_t offset = 0;
    REQUIRE(tree.parse(text, error, offset));
    CHECK(tree.offset(tree.root()) == text.find_first_of("{["));
  }
  JsonTree tree;
  std::string error;
  std::size_t offset = 0;
  const std::string text = "[{}, []]";
  REQUIRE(tree.parse(text, error, offset));
  CHECK(tree.offset(element(tree, tree.root(), 0)) == 1);
  CHECK(tree.offset(element(tree, tree.root(), 1)) == 5);
}
