#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "analyzer/io/import/bods_mapper.h"
#include "analyzer/io/import/bods_statements.h"

using twinscan::diag::Diagnostics;
using twinscan::diag::SourceLocation;
using twinscan::imports::BodsEntity;
using twinscan::imports::BodsMapper;
using twinscan::imports::BodsOptions;
using twinscan::imports::BodsPlace;
using twinscan::imports::BodsRelation;
using twinscan::imports::BodsStatementReader;
using twinscan::imports::BodsValue;

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::unique_ptr<std::FILE, FileCloser> memory_file(const std::string& text) {
  std::FILE* f = std::tmpfile();
  std::fwrite(text.data(), 1, text.size(), f);
  std::rewind(f);
  return std::unique_ptr<std::FILE, FileCloser>(f);
}

twinscan::imports::BodsErrorFn to(Diagnostics& d) {
  return [&d](const SourceLocation& where, std::string message) {
    d.error(where, std::move(message));
  };
}

struct Read {
  std::vector<BodsPlace> places;
  std::vector<std::string> errors;  // "LINE:COL message"
};

// Reads every statement of `text` into `mapper` (when given), noting where each began.
Read read_all(const std::string& text, BodsMapper* mapper, Diagnostics& diagnostics) {
  auto file = memory_file(text);
  BodsStatementReader reader(file.get());
  Read out;
  const rapidjson::Value* statement = nullptr;
  BodsPlace at;
  std::string message;
  for (;;) {
    const auto next = reader.next(statement, at, message);
    if (next == BodsStatementReader::Next::kEnd) break;
    if (next == BodsStatementReader::Next::kError) {
      out.errors.push_back(std::to_string(at.line) + ":" + std::to_string(at.column) + " " +
                           message);
      continue;
    }
    out.places.push_back(at);
    if (mapper != nullptr)
      mapper->add(*statement, SourceLocation{"in", at.line, at.column}, to(diagnostics));
  }
  return out;
}

const BodsValue* property(const std::vector<std::pair<std::string, BodsValue>>& props,
                          const std::string& key) {
  for (const auto& [k, v] : props)
    if (k == key) return &v;
  return nullptr;
}

const BodsEntity* entity(const BodsMapper& m, const std::string& id) {
  for (const BodsEntity* e : m.entities())
    if (e->id == id) return e;
  return nullptr;
}

const BodsRelation* relation(const BodsMapper& m, const std::string& id) {
  for (const BodsRelation& r : m.relations())
    if (r.id == id) return &r;
  return nullptr;
}

std::string entity_line(const std::string& record, const std::string& type, const std::string& name,
                        const std::string& code, const std::string& extra = "") {
  return R"({"statementId":"s-)" + record + R"(","recordId":")" + record +
         R"(","recordType":"entity","recordStatus":"new","recordDetails":{"isComponent":false,"entityType":{"type":")" +
         type + R"("},"name":")" + name + R"(","jurisdiction":{"code":")" + code + R"("})" + extra +
         "}}\n";
}

std::string owns_line(const std::string& record, const std::string& subject,
                      const std::string& party, const std::string& share,
                      const std::string& status = "new") {
  return R"({"statementId":"s-)" + record + R"(","recordId":")" + record +
         R"(","recordType":"relationship","recordStatus":")" + status +
         R"(","recordDetails":{"isComponent":false,"subject":")" + subject +
         R"(","interestedParty":")" + party +
         R"(","interests":[{"type":"shareholding","directOrIndirect":"direct","share":)" + share +
         R"(,"startDate":"2019-04-01"}]}})" + "\n";
}

}  // namespace

TEST_CASE("BODS reader: a JSON array and JSON lines give the same statements, with their places",
          "[bods]") {
  Diagnostics d;
  const Read lines = read_all("{\"a\":1}\n\n  {\"b\":2}\n", nullptr, d);
  REQUIRE(lines.errors.empty());
  REQUIRE(lines.places.size() == 2);
  CHECK(lines.places[1].line == 3);
  CHECK(lines.places[1].column == 3);

  const Read array = read_all("\xEF\xBB\xBF[\n {\"a\":1},\n {\"b\":2}\n]\n", nullptr, d);
  REQUIRE(array.errors.empty());
  REQUIRE(array.places.size() == 2);
  CHECK(array.places[0].line == 2);
  CHECK(array.places[0].column == 2);

  // Statements printed over several lines, not in an array: read one value after another.
  const Read pretty = read_all("{\"a\":\n 1}\n{\"b\":\n 2}\n", nullptr, d);
  REQUIRE(pretty.errors.empty());
  REQUIRE(pretty.places.size() == 2);
  CHECK(pretty.places[1].line == 3);

  // Brackets and escaped quotes inside strings do not end a statement.
  const Read tricky = read_all("[{\"a\":\"}]{\\\"\"},\n{\"b\":[1,{\"c\":\"]\"}]}]", nullptr, d);
  REQUIRE(tricky.errors.empty());
  REQUIRE(tricky.places.size() == 2);
  CHECK(tricky.places[1].line == 2);

  // An error inside a statement of an array is placed on its own line and column.
  const Read broken = read_all("[\n {\"a\": 1,\n  \"b\" 2}\n]", nullptr, d);
  REQUIRE(broken.errors.size() == 1);
  CHECK(broken.errors[0].rfind("3:7 malformed JSON", 0) == 0);

  CHECK(read_all("[]", nullptr, d).places.empty());
  CHECK(read_all("", nullptr, d).places.empty());
}

TEST_CASE("BODS reader: a truncated array is an error at the end of the file", "[bods]") {
  Diagnostics d;
  const Read r = read_all("[\n {\"a\":1},\n {\"b\":", nullptr, d);
  REQUIRE(r.places.size() == 1);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].rfind("3:7 the file ends inside a statement", 0) == 0);
}

TEST_CASE("BODS reader: a broken JSON line is reported at its column and the next lines are read",
          "[bods]") {
  Diagnostics d;
  const Read r = read_all("{\"a\":1}\n{\"b\" 2}\n{\"c\":3}\n{\"d\":4} {\"e\":5}\n", nullptr, d);
  REQUIRE(r.places.size() == 2);  // the line with two values is left out whole
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].rfind("2:6 malformed JSON", 0) == 0);
  CHECK(r.errors[1].rfind("4:9 more than one JSON value", 0) == 0);
}

TEST_CASE("BODS: a state body owning a firm through a holding keeps the ranged share's bounds",
          "[bods]") {
  BodsMapper m(BodsOptions{"IL"});
  Diagnostics d;
  const std::string text =
      entity_line("gov", "stateBody", "State Assets Commission", "CN",
                  R"(,"alternateNames":["SASAC","State Assets Commission"])") +
      entity_line("hold", "registeredEntity", "Harbour Holding", "CN",
                  R"(,"identifiers":[{"scheme":"CN-SAIC","id":"9111"}])") +
      entity_line("port", "registeredEntity", "Port Builders", "IL") +
      entity_line("mfa", "stateBody", "Ministry of Finance", "IL") +
      owns_line("r1", "hold", "gov", R"({"exact":100})") +
      owns_line("r2", "port", "hold", R"({"minimum":50,"maximum":75})") +
      owns_line("r3", "port", "mfa", R"({"exclusiveMinimum":5,"exclusiveMaximum":10})");
  const Read r = read_all(text, &m, d);
  m.finish(to(d));
  REQUIRE(r.errors.empty());
  REQUIRE_FALSE(d.has_errors());

  const BodsEntity* gov = entity(m, "bods:gov");
  REQUIRE(gov != nullptr);
  CHECK(gov->kind == "ForeignGovernment");
  CHECK(property(gov->properties, "country")->text == "CN");
  CHECK(property(gov->properties, "aliases")->list == std::vector<std::string>{"SASAC"});
  CHECK(entity(m, "bods:mfa")->kind == "CentralAuthority");
  CHECK(entity(m, "bods:hold")->kind == "Firm");
  CHECK(property(entity(m, "bods:hold")->properties, "registration")->text == "9111");

  const BodsRelation* exact = relation(m, "bods:r1");
  REQUIRE(exact != nullptr);
  CHECK(exact->kind == "OWNED_BY");
  CHECK(exact->from == "bods:hold");
  CHECK(exact->to == "bods:gov");
  CHECK(property(exact->properties, "share")->number == Approx(1.0));
  CHECK(property(exact->properties, "share_min") == nullptr);
  CHECK(property(exact->properties, "since")->text == "2019-04-01");

  const BodsRelation* ranged = relation(m, "bods:r2");
  REQUIRE(ranged != nullptr);
  CHECK(property(ranged->properties, "share")->number == Approx(0.5));
  CHECK(property(ranged->properties, "share_min")->number == Approx(0.5));
  CHECK(property(ranged->properties, "share_max")->number == Approx(0.75));

  // OWNED_BY does not take a home-country authority as holder: counted, not imported.
  CHECK(relation(m, "bods:r3") == nullptr);
  CHECK(m.skipped().at("interest 'shareholding' of a CentralAuthority in a Firm (no relation "
                       "kind of the schema fits)") == 1);
}

TEST_CASE("BODS: a later statement replaces its record, a closed one drops it and its ties",
          "[bods]") {
  BodsMapper m(BodsOptions{});
  Diagnostics d;
  const std::string text =
      entity_line("a", "registeredEntity", "Old Name", "GB") +
      entity_line("b", "registeredEntity", "Owner", "GB") +
      entity_line("c", "registeredEntity", "Closed Co", "GB") +
      owns_line("r1", "a", "b", R"({"exact":30})") + owns_line("r2", "c", "b", R"({"exact":40})") +
      entity_line("a", "registeredEntity", "New Name", "GB") +
      owns_line("r1", "a", "b", R"({"exact":60})", "updated") +
      R"({"statementId":"s-c2","recordId":"c","recordType":"entity","recordStatus":"closed"})" +
      "\n";
  read_all(text, &m, d);
  m.finish(to(d));
  REQUIRE_FALSE(d.has_errors());
  REQUIRE(m.entities().size() == 2);
  CHECK(m.entities()[0]->id == "bods:a");
  CHECK(property(m.entities()[0]->properties, "name")->text == "New Name");
  REQUIRE(m.relations().size() == 1);
  CHECK(property(m.relations()[0].properties, "share")->number == Approx(0.6));
  CHECK(m.skipped().at("closed record") == 1);
  CHECK(m.skipped().at("statement replaced by a later one of its record") == 3);
  CHECK(m.skipped().at("relationship naming a closed or skipped record") == 1);
}

TEST_CASE("BODS: unknown entity types are skipped and counted, unknown records are errors",
          "[bods]") {
  BodsMapper m(BodsOptions{});
  Diagnostics d;
  const std::string text =
      entity_line("p", "partnership", "Odd LLP", "GB") + entity_line("u", "unknownEntity", "", "") +
      entity_line("f", "registeredEntity", "Firm", "GB") +
      owns_line("r1", "f", "p", R"({"exact":10})") + owns_line("r2", "f", "u", R"({"exact":20})") +
      owns_line("r3", "f", "nowhere", R"({"exact":30})");
  read_all(text, &m, d);
  m.finish(to(d));
  CHECK(m.skipped().at("entity of type 'partnership' (not a BODS 0.4 entity type)") == 1);
  CHECK(entity(m, "bods:u")->kind == "Organization");
  CHECK(relation(m, "bods:r2") != nullptr);
  REQUIRE(d.error_count() == 1);
  CHECK(d.all()[0].where.line == 6);
  CHECK(d.all()[0].message.find("'nowhere' is not the recordId") != std::string::npos);

  CHECK(m.skipped().at("relationship naming a record no statement gives") == 1);
}

TEST_CASE("BODS: persons, board roles and percentages out of range", "[bods]") {
  BodsMapper m(BodsOptions{});
  Diagnostics d;
  const std::string text =
      entity_line("f", "registeredEntity", "Firm", "GB") +
      R"({"statementId":"s1","recordId":"p","recordType":"person","recordDetails":{"personType":"knownPerson","names":[{"type":"alternative","fullName":"Li Wei"},{"type":"legal","givenName":"Wei","familyName":"Li"}],"nationalities":[{"code":"CN"}]}})"
      "\n"
      R"({"statementId":"s2","recordId":"r","recordType":"relationship","recordDetails":{"subject":"f","interestedParty":"p","interests":[{"type":"boardChair"},{"type":"shareholding","share":{"exact":12.5}},{"type":"settlor"}]}})"
      "\n"
      R"({"statementId":"s3","recordId":"bad","recordType":"relationship","recordDetails":{"subject":"f","interestedParty":"p","interests":[{"type":"shareholding","share":{"exact":150}}]}})"
      "\n"
      R"({"statementID":"x","statementType":"entityStatement"})"
      "\n";
  read_all(text, &m, d);
  m.finish(to(d));
  const BodsEntity* p = entity(m, "bods:p");
  REQUIRE(p != nullptr);
  CHECK(property(p->properties, "name")->text == "Wei Li");
  CHECK(property(p->properties, "aliases")->list == std::vector<std::string>{"Li Wei"});
  CHECK(property(p->properties, "nationality")->text == "CN");
  CHECK(property(relation(m, "bods:r")->properties, "share")->number == Approx(0.125));
  const BodsRelation* role = relation(m, "bods:r/REPRESENTS");
  REQUIRE(role != nullptr);
  CHECK(role->from == "bods:p");
  CHECK(property(role->properties, "role")->text == "board_chair");
  CHECK(m.skipped().count("interest 'settlor' of a Person in a Firm (no relation kind of the "
                          "schema fits)") == 1);
  REQUIRE(d.error_count() == 2);
  CHECK(d.all()[0].message.rfind("/recordDetails/interests/0/share/exact: not a percentage", 0) ==
        0);
  CHECK(d.all()[1].message.rfind("a BODS 0.2/0.3 statement", 0) == 0);
}

TEST_CASE(
    "BODS: an older statement does not replace a newer one; a statement without recordId "
    "is known by its statementId",
    "[bods]") {
  BodsMapper m(BodsOptions{});
  Diagnostics d;
  const std::string text =
      R"({"statementId":"s2","statementDate":"2024-05-01","recordId":"a","recordType":"entity","recordDetails":{"entityType":{"type":"registeredEntity"},"name":"Newer"}})"
      "\n"
      R"({"statementId":"s1","statementDate":"2023-01-01","recordId":"a","recordType":"entity","recordDetails":{"entityType":{"type":"registeredEntity"},"name":"Older"}})"
      "\n"
      R"({"statementId":"only-statement-id","recordType":"entity","recordDetails":{"entityType":{"type":"stateBody"},"name":"Body","jurisdiction":{"code":"CN-31"}}})"
      "\n";
  read_all(text, &m, d);
  m.finish(to(d));
  REQUIRE_FALSE(d.has_errors());
  CHECK(property(entity(m, "bods:a")->properties, "name")->text == "Newer");
  CHECK(m.skipped().at("statement older than one already read for its record") == 1);
  const BodsEntity* body = entity(m, "bods:only-statement-id");
  REQUIRE(body != nullptr);
  CHECK(body->kind == "ForeignGovernment");
  CHECK(property(body->properties, "country")->text == "CN");
  CHECK(property(body->properties, "level")->text == "provincial");
}

namespace {

// Every statement, error and place of `text`, read by `reader` (BodsStatementReader or
// BodsReadAhead), as "LINE:COL kind what".
template <typename Reader>
std::vector<std::string> sequence(Reader& reader) {
  std::vector<std::string> out;
  const rapidjson::Value* statement = nullptr;
  BodsPlace at;
  std::string message;
  for (;;) {
    const auto next = reader.next(statement, at, message);
    if (next == BodsStatementReader::Next::kEnd) break;
    std::string what = std::to_string(at.line) + ":" + std::to_string(at.column) + " ";
    if (next == BodsStatementReader::Next::kError) {
      what += "error " + message;
    } else {
      REQUIRE(statement != nullptr);
      const auto& id = (*statement)["recordId"];
      what += std::string("statement ") + (id.IsString() ? id.GetString() : "?");
    }
    out.push_back(what);
  }
  return out;
}

}  // namespace

TEST_CASE(
    "BODS read-ahead: statements parsed on a second thread come in order, with the same "
    "places and errors as read one by one",
    "[bods]") {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += R"({"recordId":"r)" + std::to_string(i) + R"(","name":"Caf\u00e9 港)" +
            std::to_string(i) + "\"}\n";
    if (i % 7 == 3) text += "{\"recordId\":\"broken\" 1}\n";  // malformed: an error, then on
    if (i % 11 == 5) text += "{\"recordId\":\"bad\xE9\"}\n";  // not UTF-8
    if (i % 13 == 8) text += "\n  \n";                        // blank lines
  }
  text += R"({"recordId":"last")";  // cut short
  auto one = memory_file(text);
  BodsStatementReader reader(one.get());
  const std::vector<std::string> expected = sequence(reader);
  REQUIRE(expected.size() > 40);
  // Batches of 1, 3 and 512 statements: every statement at a batch's edge somewhere.
  for (const std::size_t batch : {std::size_t{1}, std::size_t{3}, std::size_t{512}}) {
    auto file = memory_file(text);
    twinscan::imports::BodsReadAhead ahead(file.get(), batch);
    CHECK(sequence(ahead) == expected);
  }
  // The same for an array of statements, which the reader stops at its first error.
  auto array = memory_file("[\n{\"recordId\":\"a\"},\n {\"recordId\":\"b\"},\n {\"recordId\" 3}]");
  BodsStatementReader array_reader(array.get());
  const std::vector<std::string> array_expected = sequence(array_reader);
  REQUIRE(array_expected.size() == 3);
  auto array_again =
      memory_file("[\n{\"recordId\":\"a\"},\n {\"recordId\":\"b\"},\n {\"recordId\" 3}]");
  twinscan::imports::BodsReadAhead array_ahead(array_again.get(), 2);
  CHECK(sequence(array_ahead) == array_expected);
}

TEST_CASE("BODS read-ahead: a caller that stops early ends the reading thread", "[bods]") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += R"({"recordId":"r)" + std::to_string(i) + "\"}\n";
  auto file = memory_file(text);
  {
    twinscan::imports::BodsReadAhead ahead(file.get(), 4);
    const rapidjson::Value* statement = nullptr;
    BodsPlace at;
    std::string message;
    REQUIRE(ahead.next(statement, at, message) == BodsStatementReader::Next::kStatement);
    CHECK(at.line == 1);
  }  // destroyed with most of the file unread: returns (the test would hang otherwise)
  SUCCEED();
}

TEST_CASE(
    "BODS: relationships read before their records resolve by record number; each id is "
    "kept once",
    "[bods]") {
  BodsMapper m(BodsOptions{});
  Diagnostics d;
  // Three relationships name the same two records before their statements; a fourth names
  // a record that never comes; a relationship with an error names one more.
  const std::string text = owns_line("r1", "sub", "party", R"({"exact":10})") +
                           owns_line("r2", "sub", "party", R"({"exact":20})") +
                           owns_line("r3", "party", "sub", R"({"exact":30})") +
                           owns_line("r4", "sub", "ghost", R"({"exact":40})") +
                           owns_line("r5", "sub", "other", R"({"exact":400})") +
                           entity_line("sub", "registeredEntity", "Subject Co", "GB") +
                           entity_line("party", "registeredEntity", "Party Co", "GB") +
                           entity_line("sub", "registeredEntity", "Subject Co Renamed", "GB");
  read_all(text, &m, d);
  // sub, party, r1..r5, ghost and other: each once, however often named.
  CHECK(m.records_known() == 9);
  m.finish(to(d));
  REQUIRE(d.error_count() == 2);  // r5's share, then r4's unknown party
  CHECK(d.all()[1].message.find("'ghost' is not the recordId") != std::string::npos);
  CHECK(d.all()[1].where.line == 4);
  REQUIRE(m.relations().size() == 3);
  CHECK(m.relations()[0].id == "bods:r1");
  CHECK(m.relations()[0].from == "bods:sub");
  CHECK(m.relations()[0].to == "bods:party");
  CHECK(m.relations()[2].from == "bods:party");
  REQUIRE(m.entities().size() == 2);
  CHECK(m.entities()[0]->id == "bods:sub");
  CHECK(property(m.entities()[0]->properties, "name")->text == "Subject Co Renamed");

  // The same statements read ahead on a second thread (as the importer reads them), in
  // batches of two, give the same relations, entities and errors.
  BodsMapper ahead_mapper(BodsOptions{});
  Diagnostics ahead_d;
  auto file = memory_file(text);
  {
    twinscan::imports::BodsReadAhead ahead(file.get(), 2);
    const rapidjson::Value* statement = nullptr;
    BodsPlace at;
    std::string message;
    while (ahead.next(statement, at, message) == BodsStatementReader::Next::kStatement)
      ahead_mapper.add(*statement, SourceLocation{"in", at.line, at.column}, to(ahead_d));
  }
  ahead_mapper.finish(to(ahead_d));
  CHECK(ahead_mapper.records_known() == 9);
  REQUIRE(ahead_d.error_count() == 2);
  CHECK(ahead_d.all()[1].message == d.all()[1].message);
  REQUIRE(ahead_mapper.relations().size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(ahead_mapper.relations()[i].id == m.relations()[i].id);
    CHECK(ahead_mapper.relations()[i].from == m.relations()[i].from);
    CHECK(ahead_mapper.relations()[i].to == m.relations()[i].to);
  }
  REQUIRE(ahead_mapper.entities().size() == 2);
  CHECK(ahead_mapper.entities()[1]->id == "bods:party");
}
