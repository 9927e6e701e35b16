#include <catch2/catch.hpp>

#include <string>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/server/relation_words.h"

using namespace twinscan;

namespace {

const model::Schema& schema() {
  static const auto loaded = [] {
    diag::Diagnostics diagnostics;
    bool missing = false;
    auto s = io::load_schema({}, diagnostics, missing);
    REQUIRE(s);
    return s;
  }();
  return *loaded;
}

}  // namespace

TEST_CASE("desk words: a rule's text says the schema's relation kinds in words, escaped",
          "[desk]") {
  const std::string html = server::text_with_relations_in_words(
      schema(), "every chain of OWNED_BY relations <b>& NOTIFIED</b>; NOT_A_KIND stays");
  CHECK(html.find("OWNED_BY relations") == std::string::npos);
  CHECK(html.find("“<span class=\"verb\" title=\"OWNED_BY\">is owned by</span>”") !=
        std::string::npos);
  CHECK(html.find("title=\"NOTIFIED\"") != std::string::npos);
  CHECK(html.find("&lt;b&gt;&amp; ") != std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("NOT_A_KIND stays") != std::string::npos);  // no kind of the schema
  // Text in other scripts passes through whole.
  CHECK(server::text_with_relations_in_words(schema(), "אשדוד PARTY_TO 港") ==
        "אשדוד “<span class=\"verb\" title=\"PARTY_TO\">" + server::relation_phrase("PARTY_TO") +
            "</span>” 港");
}

TEST_CASE("desk words: a drawing's edge labels are said in words, the kind kept as tooltip",
          "[desk]") {
  const std::string dot =
      "digraph {\n"
      "  \"firm:a\" [label=\"A\"];\n"
      "  \"firm:a\" -> \"gov:b\" [label=\"OWNED_BY\"];\n"
      "  \"firm:a\" -> \"gov:b\" [label=\"a name\"];\n"
      "}\n";
  const std::string words = server::dot_relations_in_words(dot);
  CHECK(words.find("[label=\"is owned by\", tooltip=\"OWNED_BY\"]") != std::string::npos);
  CHECK(words.find("\"firm:a\" [label=\"A\"];") != std::string::npos);         // a node
  CHECK(words.find("-> \"gov:b\" [label=\"a name\"];") != std::string::npos);  // not a kind
}

TEST_CASE("desk words: a derived relation id gives back its ends and kind", "[desk]") {
  auto r = server::relation_of_derived_id("mun:ashdod-TWINNED_WITH->city:wuhan");
  REQUIRE(r);
  CHECK(r->from_id == "mun:ashdod");
  CHECK(r->kind == "TWINNED_WITH");
  CHECK(r->to_id == "city:wuhan");
  r = server::relation_of_derived_id("firm:a-b-OWNED_BY->firm:c-d#3");
  REQUIRE(r);
  CHECK(r->from_id == "firm:a-b");
  CHECK(r->to_id == "firm:c-d");
  CHECK_FALSE(server::relation_of_derived_id("rel:42"));
  CHECK_FALSE(server::relation_of_derived_id("a->b"));
  CHECK_FALSE(server::relation_of_derived_id("a-KIND->"));
}
