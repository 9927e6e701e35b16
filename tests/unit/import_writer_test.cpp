// The importer interface's pieces: JSON text of records (escapes, UTF-8 checked, aliases
// equal to the name dropped, numbers), the document writer (entities before relations
// whatever the order they came in, a record with an error dropped whole), the record
// context (duplicate ids, kinds by id, entities left out), and input locations.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "analyzer/io/import/document_sink.h"
#include "analyzer/io/import/importer.h"

namespace {

using namespace twinscan;
using namespace twinscan::imports;

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() /
          (std::string("twinscan-import-test-") + std::to_string(::getpid()) + "-" + name))
      .string();
}

}  // namespace

TEST_CASE("JSON strings of imported records are escaped and checked for UTF-8", "[import]") {
  std::string out;
  CHECK(append_json_string(out, "a\"b\\c\n\t\x01 חיפה"));
  CHECK(out == "\"a\\\"b\\\\c\\n\\t\\u0001 חיפה\"");
  out.clear();
  CHECK_FALSE(append_json_string(out, "Soci\xe9t\xe9"));
  CHECK(out == "\"Soci\xEF\xBF\xBDt\xEF\xBF\xBD\"");
}

// The writer's escaping, byte by byte and without shortcuts: what append_json_string must
// give, whatever runs of plain text it copies at once.
namespace {
std::string reference_json_string(std::string_view text, bool& ok) {
  std::string out = "\"";
  ok = true;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t len = (c & 0xE0) == 0xC0   ? 2
                        : (c & 0xF0) == 0xE0 ? 3
                        : (c & 0xF8) == 0xF0 ? 4
                                             : 0;
      std::uint32_t cp = len == 2 ? (c & 0x1FU) : len == 3 ? (c & 0x0FU) : (c & 0x07U);
      bool valid = len != 0 && i + len <= text.size();
      for (std::size_t k = 1; valid && k < len; ++k) {
        const auto b = static_cast<unsigned char>(text[i + k]);
        valid = (b & 0xC0) == 0x80;
        cp = (cp << 6) | (b & 0x3FU);
      }
      valid = valid && !(len == 2 && cp < 0x80) && !(len == 3 && cp < 0x800) &&
              !(len == 4 && cp < 0x10000) && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
      if (valid) {
        out.append(text.substr(i, len));
        i += len;
      } else {
        out += "\xEF\xBF\xBD";
        ok = false;
        ++i;
      }
      continue;
    }
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      static const char* const kHex = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  return out + "\"";
}
}  // namespace

TEST_CASE(
    "JSON strings escape control characters, quotes and backslashes and check UTF-8 at "
    "every place of long names",
    "[import]") {
  // Each piece put at every offset of plain text long enough to be scanned in blocks.
  const std::vector<std::string> pieces{"\"",
                                        "\\",
                                        "\n",
                                        "\r",
                                        "\t",
                                        "\x01",
                                        "\x1f",
                                        "\x7f",
                                        " ",
                                        "\xC3\xA9",
                                        "חיפה",
                                        "城市",
                                        "\xF0\x9F\x8C\x8D",
                                        "\xFF",
                                        "\xC3",
                                        "\xE2\x80",
                                        "\xC0\xAF",
                                        "\xED\xA0\x80",
                                        "\x80",
                                        "\xE2\x80\xAF",
                                        "\xF4\x90\x80\x80"};
  const std::string plain = "Municipality of Haifa and Partners";
  std::size_t checked = 0;
  for (const std::string& piece : pieces) {
    for (std::size_t at = 0; at <= plain.size(); ++at) {
      for (const std::string& text :
           {plain.substr(0, at) + piece + plain.substr(at), plain.substr(0, at) + piece,
            piece + plain.substr(0, at) + piece + piece}) {
        bool want_ok = true;
        const std::string want = reference_json_string(text, want_ok);
        std::string got = "prefix ";
        const bool ok = append_json_string(got, text);
        INFO("piece at " << at << " of " << text.size() << " bytes");
        CHECK(got == "prefix " + want);
        CHECK(ok == want_ok);
        ++checked;
      }
    }
  }
  CHECK(checked == pieces.size() * (plain.size() + 1) * 3);
  std::string out;
  CHECK(append_json_string(out, std::string_view("a\0b", 3)));
  CHECK(out == "\"a\\u0000b\"");
}

TEST_CASE("Fields cleared for the next record write what fresh fields write", "[import]") {
  Fields reused;
  reused.text("name", "A long name that does not fit a short string");
  reused.add("aliases", "Another");
  reused.raw("share", "0.5");
  reused.text("country", "IL");
  reused.erase("aliases");
  std::string first;
  CHECK(reused.append_json(first));
  CHECK(first ==
        ", \"name\": \"A long name that does not fit a short string\", \"share\": 0.5, "
        "\"country\": \"IL\"");

  reused.clear();
  CHECK(reused.empty());
  CHECK_FALSE(reused.has("name"));
  CHECK(reused.text_of("country") == nullptr);
  reused.add("aliases", "x");  // the slot that held the name now holds a list
  reused.text("notes", "n");
  reused.number("share", 1);
  Fields fresh;
  fresh.add("aliases", "x");
  fresh.text("notes", "n");
  fresh.number("share", 1);
  std::string a;
  std::string b;
  CHECK(reused.append_json(a));
  CHECK(fresh.append_json(b));
  CHECK(a == b);
  CHECK(a == ", \"aliases\": [\"x\"], \"notes\": \"n\", \"share\": 1");
  CHECK(reused.list_of("aliases").size() == 1);
}

TEST_CASE("Fields keep the order set, replace a key set again and drop aliases equal to the name",
          "[import]") {
  Fields f;
  f.text("name", "Haifa");
  f.add("aliases", "Haifa");
  f.add("aliases", "חיפה");
  f.add("aliases", "חיפה");
  f.number("share", 0.51);
  f.number("share", 1);
  f.boolean("state_owned", true);
  f.location(32.81, 34.989166666);
  f.add("lists", "a");
  f.erase("lists");
  f.number("nan", std::nan(""));
  std::string out;
  CHECK(f.append_json(out));
  CHECK(out ==
        ", \"name\": \"Haifa\", \"aliases\": [\"חיפה\"], \"share\": 1, \"state_owned\": true, "
        "\"location\": {\"lat\": 32.81, \"lon\": 34.989166666}");
  REQUIRE(f.text_of("name"));
  CHECK(*f.text_of("name") == "Haifa");
  CHECK(f.list_of("aliases").size() == 2);
  CHECK(f.text_of("share") == nullptr);
}

TEST_CASE("The document writer puts entities before relations and drops a record with an error",
          "[import]") {
  const std::string path = temp_path("doc.json");
  DocumentWriter writer;
  std::string error;
  SourceInfo source;
  source.name = "test";
  source.role = "watchlist";
  REQUIRE(writer.open(path, source, error));
  ImportOptions options;
  options.inputs = {"in.json"};
  diag::Diagnostics diagnostics;
  ImportContext ctx(options, writer, diagnostics);

  ctx.begin_record({"in.json", 1, 1});
  Relation r;
  r.kind = "OWNED_BY";
  r.from = "x:firm";
  r.to = "x:gov";
  r.fields.number("share", 0.5);
  ctx.relation(r);
  Entity firm;
  firm.id = "x:firm";
  firm.kind = "Firm";
  ctx.entity(firm);
  ctx.end_record();

  ctx.begin_record({"in.json", 2, 1});
  Entity bad;
  bad.id = "x:bad";
  bad.kind = "Firm";
  ctx.entity(bad);
  Relation bad_relation = r;
  bad_relation.from = "x:bad";
  ctx.relation(bad_relation);
  ctx.error({"in.json", 2, 7}, "broken");
  ctx.end_record();

  ctx.begin_record({"in.json", 3, 1});
  ctx.entity(firm);  // given twice
  ctx.end_record();

  Entity gov;
  gov.id = "x:gov";
  gov.kind = "ForeignGovernment";
  ctx.entity(gov);
  ctx.leave_out("x:vessel");

  CHECK(ctx.error_count() == 2);
  CHECK(ctx.records_dropped() == 2);
  REQUIRE(ctx.emitted_kind("x:firm"));
  CHECK(*ctx.emitted_kind("x:firm") == "Firm");
  // Its record was dropped: the id is left out, so a relation naming it is not written.
  CHECK(ctx.emitted_kind("x:bad") == nullptr);
  CHECK(ctx.was_left_out("x:bad"));
  Relation late = r;
  late.to = "x:bad";
  ctx.relation(late);
  CHECK(ctx.emitted_kind("x:vessel") == nullptr);
  CHECK(ctx.was_left_out("x:vessel"));
  CHECK_FALSE(ctx.was_left_out("x:firm"));
  REQUIRE(diagnostics.all().size() == 2);
  CHECK(diagnostics.all()[1].message.find("'x:firm' is given twice (first at in.json:1)") !=
        std::string::npos);

  REQUIRE(writer.commit(error));
  const std::string text = read_all(path);
  std::remove(path.c_str());
  CHECK(text ==
        "{\"format\": \"twinscan/1\",\n"
        " \"source\": {\"name\": \"test\", \"role\": \"watchlist\"},\n"
        " \"entities\": [\n"
        "  {\"id\": \"x:firm\", \"kind\": \"Firm\"},\n"
        "  {\"id\": \"x:gov\", \"kind\": \"ForeignGovernment\"}\n"
        " ],\n"
        " \"relations\": [\n"
        "  {\"kind\": \"OWNED_BY\", \"from\": \"x:firm\", \"to\": \"x:gov\", \"share\": 0.5}\n"
        " ]}\n");
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  CHECK_FALSE(doc.HasParseError());
}

TEST_CASE("A document writer destroyed without commit leaves the output as it was", "[import]") {
  const std::string path = temp_path("kept.json");
  { std::ofstream(path) << "before"; }
  {
    DocumentWriter writer;
    std::string error;
    REQUIRE(writer.open(path, SourceInfo{}, error));
    Entity e;
    e.id = "x:a";
    e.kind = "Firm";
    writer.entity(e);
    writer.commit_record();
  }
  CHECK(read_all(path) == "before");
  std::remove(path.c_str());
}

TEST_CASE("Input locations: columns in code points, dates cut to their ISO part", "[import]") {
  CHECK(column_of("{\"name\": \"חיפה\", x", 0) == 1);
  CHECK(column_of("{\"name\": \"חיפה\", x", 19) == 16);
  CHECK(iso_date_prefix("1995-01-01T00:00:00Z") == "1995-01-01");
  CHECK(iso_date_prefix("2011-10") == "2011-10");
  CHECK(iso_date_prefix("2019") == "2019");
  CHECK(iso_date_prefix("sometime in 2011").empty());
  CHECK(iso_date_prefix("19950101").empty());
  // The shape is not enough: days and months the calendar does not have are no date.
  CHECK(iso_date_prefix("2019-02-30").empty());
  CHECK(iso_date_prefix("2019-13").empty());
  CHECK(iso_date_prefix("1900-02-29T00:00:00Z").empty());
  CHECK(iso_date_prefix("2000-02-29T00:00:00Z") == "2000-02-29");
}

TEST_CASE("Plain decimals: a sign, digits, a fraction and an exponent, nothing else", "[import]") {
  double v = -1;
  CHECK((parse_plain_decimal("12", v) && v == 12));
  CHECK((parse_plain_decimal("-0.5", v) && v == -0.5));
  CHECK((parse_plain_decimal("+7.", v) && v == 7));
  CHECK((parse_plain_decimal(".25", v) && v == 0.25));
  CHECK((parse_plain_decimal("1e3", v) && v == 1000));
  for (const char* text :
       {"", "-", ".", "0x10", "NaN", "inf", "1e", "1e400", " 1", "1 ", "1,5", "12abc", "--1"}) {
    INFO(text);
    CHECK_FALSE(parse_plain_decimal(text, v));
  }
}

namespace {

// Writes 3,000 records, each an entity and two relations (one made ahead as text), every
// 97th dropped with an error, through a writer of the given limits; returns the document.
std::string write_many(const DocumentWriter::Limits& limits, const char* name,
                       std::vector<std::uint64_t> leave_out = {}) {
  const std::string path = temp_path(name);
  DocumentWriter writer(limits);
  std::string error;
  SourceInfo source;
  source.name = "many";
  REQUIRE(writer.open(path, source, error));
  ImportOptions options;
  options.inputs = {"in.csv"};
  diag::Diagnostics diagnostics;
  ImportContext ctx(options, writer, diagnostics);
  for (int i = 0; i < 3000; ++i) {
    ctx.begin_record("in.csv", static_cast<std::uint32_t>(i + 2), 1);
    Entity firm;
    firm.id = "firm:" + std::to_string(i);
    firm.kind = "Firm";
    firm.fields.text("name", "Firm \"" + std::to_string(i) + "\"");
    ctx.entity(firm);
    Relation owned;
    owned.kind = "OWNED_BY";
    owned.from = firm.id;
    owned.to = "gov:" + std::to_string(i % 7);
    owned.fields.number("share", (i % 100) / 100.0);
    ctx.relation(owned);
    Relation party = owned;
    party.kind = "PARTY_TO";
    party.to = "agr:" + std::to_string(i);
    std::string json;
    const bool utf8 = render_relation(json, party);
    ctx.relation_text(party.from, party.to, json, utf8);
    if (i % 97 == 0) ctx.error({"in.csv", static_cast<std::uint32_t>(i + 2), 3}, "broken");
    ctx.end_record();
  }
  if (!leave_out.empty()) writer.leave_out_relations(std::move(leave_out));
  REQUIRE(writer.commit(error));
  std::string text = read_all(path);
  std::filesystem::remove(path);
  return text;
}

// The document without the spaces a join at the output's tail may leave after
// `"relations": [` (fewer than a file system block).
std::string without_join_padding(const std::string& text) {
  const std::string open = "\"relations\": [";
  const std::size_t at = text.find(open);
  if (at == std::string::npos) return text;
  const std::size_t from = at + open.size();
  std::size_t to = from;
  while (to < text.size() && text[to] == ' ') ++to;
  CHECK(to - from < 65536);
  return text.substr(0, from) + text.substr(to);
}

}  // namespace

TEST_CASE(
    "Relations set aside in memory and then at the output's tail or in a scratch file come "
    "out as those held in memory only, in order, without the dropped records",
    "[import]") {
  const std::string in_memory = write_many({}, "held.json");
  // Blocks of about 1 KB; a few held in memory, the rest at the tail or in the scratch
  // file.
  const std::string spilled = write_many({1024, 8192}, "spilled.json");
  const std::string spilled_scratch = write_many({1024, 8192, false}, "spilled-scratch.json");
  // Every block goes to the tail, or the scratch file.
  const std::string tail_only = write_many({1024, 0}, "tail.json");
  const std::string scratch_only = write_many({1024, 0, false}, "scratch.json");
  CHECK(without_join_padding(spilled) == in_memory);
  CHECK(without_join_padding(tail_only) == in_memory);
  CHECK(spilled_scratch == in_memory);
  CHECK(scratch_only == in_memory);
  rapidjson::Document doc;
  doc.Parse(in_memory.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  const rapidjson::Value& relations = doc["relations"];
  const int kept = 3000 - (2999 / 97 + 1);
  REQUIRE(doc["entities"].Size() == static_cast<rapidjson::SizeType>(kept));
  REQUIRE(relations.Size() == static_cast<rapidjson::SizeType>(2 * kept));
  // In input order: the firms' relations follow their records.
  CHECK(std::string(relations[0]["from"].GetString()) == "firm:1");
  CHECK(std::string(relations[1]["kind"].GetString()) == "PARTY_TO");
  CHECK(std::string(relations[2 * kept - 1]["to"].GetString()) == "agr:2999");
}

TEST_CASE(
    "Relations left out at the end are left out wherever they wait (memory, scratch file), "
    "the commas between the others mended",
    "[import]") {
  // Of the relations written (two a kept record), the first, two in the middle and the last.
  const int kept = 3000 - (2999 / 97 + 1);
  const std::uint64_t last = 2 * static_cast<std::uint64_t>(kept) - 1;
  const std::vector<std::uint64_t> leave_out = {0, 1000, 1001, last};
  const std::string in_memory = write_many({}, "left-held.json", leave_out);
  CHECK(write_many({1024, 8192}, "left-spilled.json", leave_out) == in_memory);
  CHECK(write_many({1024, 0}, "left-tail.json", leave_out) == in_memory);
  CHECK(write_many({1024, 8192, false}, "left-spilled-scratch.json", leave_out) == in_memory);
  CHECK(write_many({1024, 0, false}, "left-scratch.json", leave_out) == in_memory);
  rapidjson::Document whole;
  const std::string all = write_many({}, "left-none.json");
  whole.Parse(all.c_str());
  rapidjson::Document doc;
  doc.Parse(in_memory.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  const rapidjson::Value& relations = doc["relations"];
  const rapidjson::Value& every = whole["relations"];
  REQUIRE(relations.Size() == every.Size() - 4);
  // The others, in order: every relation but those four.
  rapidjson::SizeType at = 0;
  bool same = true;
  for (rapidjson::SizeType i = 0; i < every.Size(); ++i) {
    if (i == 0 || i == 1000 || i == 1001 || i == last) continue;
    same = same && relations[at++] == every[i];
  }
  CHECK(same);
  // Leaving out every relation leaves an empty list.
  std::vector<std::uint64_t> each(last + 1);
  for (std::uint64_t i = 0; i <= last; ++i) each[i] = i;
  rapidjson::Document none;
  const std::string text = write_many({1024, 4096}, "left-all.json", each);
  none.Parse(text.c_str());
  REQUIRE_FALSE(none.HasParseError());
  CHECK(none["relations"].Size() == 0);
  CHECK(text.find("\"relations\": []}") != std::string::npos);
}
