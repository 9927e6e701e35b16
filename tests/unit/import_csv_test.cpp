// twinscan import csv: the dialect reader (quoting, quoted line breaks, doubled quotes,
// BOM, CRLF, UTF-8 checked with its place, records across read chunks), the conversions
// of dates, numbers and percentages, ids made of fields, and the mapping's errors at
// their JSON pointers.
#include <catch2/catch.hpp>

#include <cstdio>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/diag/source_text.h"
#include "analyzer/io/import/csv_mapping.h"
#include "analyzer/io/import/csv_reader.h"
#include "analyzer/io/import/csv_values.h"
#include "analyzer/io/schema_reader.h"

namespace {

using namespace twinscan;
using io::csv::Dialect;
using io::csv::Reader;
using io::csv::Record;

std::vector<std::vector<std::string>> read_all(std::string_view text, Dialect d = {}) {
  Reader reader(text, d);
  Record r;
  std::vector<std::vector<std::string>> rows;
  while (reader.next(r)) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < r.size(); ++i) row.emplace_back(r.field(i));
    rows.push_back(row);
  }
  return rows;
}

std::string date(std::string_view pattern, std::string_view text) {
  std::string error;
  const auto f = io::csv::DateFormat::parse(pattern, error);
  REQUIRE(f);
  const auto d = f->read(text);
  return d ? d->to_string() : "-";
}

// A mapping read from `text` and bound to `header`, with what it must outlive.
struct BoundMapping {
  std::unique_ptr<diag::SourceText> source;
  std::shared_ptr<const model::Schema> schema;
  std::unique_ptr<io::csv::Mapping> mapping;
};

BoundMapping bound_mapping(const std::string& text, const std::vector<std::string>& header) {
  diag::Diagnostics diagnostics;
  bool missing = false;
  BoundMapping out;
  out.schema = io::load_schema({}, diagnostics, missing);
  REQUIRE(out.schema);
  out.source = std::make_unique<diag::SourceText>("m.json", text);
  out.mapping = io::csv::Mapping::read(*out.source, diagnostics);
  REQUIRE(out.mapping);
  REQUIRE(out.mapping->bind(header, "in.csv", *out.schema, diagnostics));
  return out;
}

}  // namespace

TEST_CASE("csv reader: quoted fields keep delimiters, line breaks and doubled quotes",
          "[import][csv]") {
  const auto rows = read_all(
      "a,b,c\r\n"
      "1,\"x, y\",\"line one\r\nline two\"\r\n"
      "2,\"say \"\"hi\"\"\",\n"
      "\n"
      "3,,last");
  REQUIRE(rows.size() == 4);
  CHECK(rows[1] == std::vector<std::string>{"1", "x, y", "line one\nline two"});
  CHECK(rows[2] == std::vector<std::string>{"2", "say \"hi\"", ""});
  CHECK(rows[3] == std::vector<std::string>{"3", "", "last"});
}

TEST_CASE("csv reader: the delimiter, no quoting, trimming and lines skipped are the dialect's",
          "[import][csv]") {
  Dialect d;
  d.delimiter = ';';
  d.quote = 0;
  d.trim = true;
  d.skip_lines = 1;
  const auto rows = read_all("Register of 2026\n a ; \"b\" ;c\n", d);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0] == std::vector<std::string>{"a", "\"b\"", "c"});
}

TEST_CASE("csv reader: a UTF-8 byte-order mark is skipped and columns count characters after it",
          "[import][csv]") {
  Reader reader(
      "\xEF\xBB\xBF"
      "שם;עיר\n\"חיפה\";x\xC3(\n",
      Dialect{';', '"', true, false, 0});
  Record r;
  REQUIRE(reader.next(r));
  CHECK(r.field(0) == "שם");
  CHECK(r.field_column(1) == 4);
  REQUIRE(reader.next(r));
  CHECK(r.field(0) == "חיפה");
  CHECK(r.line() == 2);
  CHECK(r.field_column(1) == 8);
  REQUIRE(r.errors().size() == 1);
  CHECK(r.errors()[0].line == 2);
  CHECK(r.errors()[0].column == 9);  // the 0xC3 that starts no valid sequence
  CHECK(r.errors()[0].message.find("0xC3 is not UTF-8") != std::string::npos);
}

TEST_CASE("csv reader: UTF-16 input is refused", "[import][csv]") {
  Reader reader(std::string_view("\xFF\xFE"
                                 "a\0,\0",
                                 6),
                Dialect{});
  Record r;
  CHECK_FALSE(reader.next(r));
  CHECK(reader.io_error().find("UTF-16") != std::string::npos);
}

TEST_CASE("csv reader: an unclosed quote and text after a closing quote are placed",
          "[import][csv]") {
  Reader reader("a,b\n1,\"x\"y\n2,\"open\n3,4\n", Dialect{});
  Record r;
  REQUIRE(reader.next(r));
  REQUIRE(reader.next(r));
  REQUIRE(r.errors().size() == 1);
  CHECK(r.errors()[0].line == 2);
  CHECK(r.errors()[0].column == 6);
  CHECK(r.errors()[0].message.find("after the closing quote") != std::string::npos);
  REQUIRE(reader.next(r));
  REQUIRE(r.errors().size() == 1);
  CHECK(r.errors()[0].line == 3);
  CHECK(r.errors()[0].column == 3);
  CHECK(r.errors()[0].message.find("never closed") != std::string::npos);
  CHECK(r.field(1) == "open\n3,4\n");
  CHECK_FALSE(reader.next(r));
}

TEST_CASE("csv reader: a file read in chunks gives the records a string gives, lines included",
          "[import][csv]") {
  std::string text = "id,name,note\n";
  for (int i = 0; i < 40000; ++i) {
    text += std::to_string(i) + ",\"שם " + std::to_string(i) + "\",\"a \"\"b\"\"\nc\"\r\n";
  }
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  std::fwrite(text.data(), 1, text.size(), f);
  std::rewind(f);
  Reader streamed(f, Dialect{});
  Reader whole(text, Dialect{});
  Record a, b;
  std::size_t n = 0;
  bool same = true;
  while (whole.next(b)) {
    REQUIRE(streamed.next(a));
    same = same && a.size() == b.size() && a.line() == b.line() && a.errors().empty();
    for (std::size_t i = 0; same && i < a.size(); ++i) {
      same = a.field(i) == b.field(i) && a.field_column(i) == b.field_column(i);
    }
    ++n;
  }
  CHECK(same);
  CHECK_FALSE(streamed.next(a));
  CHECK(n == 40001);
  CHECK(b.line() == 2 + 2 * 39999);
  CHECK(streamed.bytes_read() == text.size());
  std::fclose(f);
}

namespace {

// A record's fields, places, end and problems, as text.
std::string describe(const Record& r) {
  std::string out = std::to_string(r.line()) + "|";
  for (std::size_t i = 0; i < r.size(); ++i) {
    out += std::string(r.field(i)) + "@" + std::to_string(r.field_line(i)) + ":" +
           std::to_string(r.field_column(i)) + "|";
  }
  out += "end " + std::to_string(r.end_line()) + ":" + std::to_string(r.end_column());
  for (const auto& e : r.errors()) {
    out += "|" + std::to_string(e.line) + ":" + std::to_string(e.column) + " " + e.message;
  }
  return out;
}

}  // namespace

TEST_CASE(
    "csv reader: records kept (for other threads) stay whole while later ones are read, for "
    "any chunk size",
    "[import][csv]") {
  // A byte-order mark, CRLF and LF, a blank line, quoted delimiters, doubled quotes and
  // line breaks, Hebrew and Chinese, a byte that is not UTF-8, text after a closing quote,
  // and a quote left open at the end; then enough rows for many reads.
  std::string text =
      "\xEF\xBB\xBFid;name;note\r\n"
      "1;\"Haifa; north\";\"a \"\"b\"\"\r\nc\"\r\n"
      "\r\n"
      "2;\xD7\x97\xD7\x99\xD7\xA4\xD7\x94;\xE5\x9F\x8E\xE5\xB8\x82\n"
      "3;bad \xFF byte;\"x\"y\r\n";
  for (int i = 4; i < 3000; ++i) {
    text += std::to_string(i) + ";\"שם " + std::to_string(i) + "\";\"a \"\"b\"\"\nc\"\r\n";
  }
  text += "3000;last;\"never closed\r\nstill";
  Dialect d;
  d.delimiter = ';';
  std::vector<std::string> expected;
  Reader whole(text, d);
  for (Record r; whole.next(r);) expected.push_back(describe(r));
  REQUIRE(expected.size() == 3001);
  CHECK(expected[1].find("Haifa; north@2:3") != std::string::npos);
  CHECK(expected[3].find("byte 0xFF is not UTF-8") != std::string::npos);
  CHECK(expected.back().find("never closed") != std::string::npos);
  for (const std::size_t chunk : {1, 7, 64, 4096, 1 << 20}) {
    CAPTURE(chunk);
    std::FILE* f = std::tmpfile();
    REQUIRE(f != nullptr);
    std::fwrite(text.data(), 1, text.size(), f);
    std::rewind(f);
    Reader streamed(f, d, chunk);
    streamed.keep_records();
    // Every record stays, each read into a place of its own (a deque does not move them);
    // the earlier ones are looked at only once all are read.
    std::deque<Record> kept;
    while (streamed.next(kept.emplace_back())) {
      // Records let go now and then: their buffers serve again.
      if (kept.size() % 700 == 0) kept[kept.size() - 350] = Record();
    }
    kept.pop_back();
    REQUIRE(kept.size() == expected.size());
    std::size_t same = 0;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      if (i % 700 == 350 && i + 350 <= kept.size() && kept[i].size() == 0) {
        ++same;  // let go above
        continue;
      }
      same += describe(kept[i]) == expected[i] ? 1 : 0;
    }
    CHECK(same == expected.size());
    CHECK(streamed.bytes_read() == text.size());
    std::fclose(f);
  }
}

TEST_CASE(
    "csv reader: random text of quotes, delimiters, line ends and bytes of every kind reads the "
    "same from a string and from a file in chunks, records kept or not",
    "[import][csv]") {
  // Bytes chosen to meet every path: quotes, delimiters, CR and LF, spaces, ASCII,
  // Hebrew and Chinese sequences, lone continuation and lead bytes, and 0xFF.
  const std::vector<std::string> pieces = {"\"",
                                           ";",
                                           "\r\n",
                                           "\n",
                                           "\r",
                                           " ",
                                           "a",
                                           "bc",
                                           "\xD7\x90",
                                           "\xE5\x9F\x8E",
                                           "\x80",
                                           "\xE5\x9F",
                                           "\xFF",
                                           "\xF0\x9F\x98\x80",
                                           "0123456789abcdef"};
  std::uint64_t seed = 12345;
  const auto next = [&seed] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(seed >> 33U);
  };
  Dialect d;
  d.delimiter = ';';
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const std::size_t n = next() % 400;
    for (std::size_t i = 0; i < n; ++i) text += pieces[next() % pieces.size()];
    std::vector<std::string> expected;
    Reader whole(text, d);
    for (Record r; whole.next(r);) expected.push_back(describe(r));
    for (const std::size_t chunk : {1, 2, 3, 5, 16, 4096}) {
      for (const bool keep : {false, true}) {
        CAPTURE(round, chunk, keep, text);
        std::FILE* f = std::tmpfile();
        REQUIRE(f != nullptr);
        std::fwrite(text.data(), 1, text.size(), f);
        std::rewind(f);
        Reader streamed(f, d, chunk);
        if (keep) streamed.keep_records();
        std::deque<Record> kept;
        std::vector<std::string> got;
        while (streamed.next(kept.emplace_back())) {
          if (!keep) got.push_back(describe(kept.back()));
        }
        kept.pop_back();
        if (keep) {
          for (const Record& r : kept) got.push_back(describe(r));
        }
        CHECK(got.size() == expected.size());
        if (got != expected) {  // the first record that differs, to see why
          std::size_t k = 0;
          while (k < got.size() && k < expected.size() && got[k] == expected[k]) ++k;
          FAIL_CHECK("first difference at record "
                     << k << "\n got: " << (k < got.size() ? got[k] : "(none)")
                     << "\n expected: " << (k < expected.size() ? expected[k] : "(none)"));
        }
        std::fclose(f);
      }
    }
  }
}

TEST_CASE("csv dates: the declared format, its precision kept, impossible dates refused",
          "[import][csv]") {
  CHECK(date("DD/MM/YYYY", "07/09/2022") == "2022-09-07");
  CHECK(date("DD/MM/YYYY", "7/9/2022") == "-");
  CHECK(date("D.M.YYYY", "7.9.2022") == "2022-09-07");
  CHECK(date("D.M.YYYY", "17.10.2022") == "2022-10-17");
  CHECK(date("MM/YYYY", "04/2019") == "2019-04");
  CHECK(date("YYYY", "1993") == "1993");
  CHECK(date("DD/MM/YYYY", "29/02/2023") == "-");
  CHECK(date("DD/MM/YYYY", "29/02/2024") == "2024-02-29");
  CHECK(date("DD/MM/YYYY", "12/13/2024") == "-");
  CHECK(date("YYYY-MM-DD", " 2019-04-17 ") == "2019-04-17");
  std::string error;
  CHECK_FALSE(io::csv::DateFormat::parse("DD/MM/YY", error));
  CHECK_FALSE(io::csv::DateFormat::parse("DD/YYYY", error));
  CHECK(error.find("no month") != std::string::npos);
}

TEST_CASE("csv numbers and percentages: declared separators, shares in 0..1", "[import][csv]") {
  io::csv::NumberFormat eu{",", "."};
  CHECK(io::csv::read_number("1.234.567,5", eu) == Approx(1234567.5));
  CHECK_FALSE(io::csv::read_number("1.23,5", eu));
  CHECK_FALSE(io::csv::read_number("12,", eu));
  io::csv::NumberFormat spaced{".", " "};
  CHECK(io::csv::read_number("1\xC2\xA0"
                             "250 000.25",
                             spaced) == Approx(1250000.25));
  CHECK(io::csv::read_number("\xE2\x88\x92"
                             "3",
                             spaced) == Approx(-3));
  CHECK(io::csv::read_integer("2 500", spaced) == 2500);
  CHECK_FALSE(io::csv::read_integer("2.5", spaced));
  CHECK(io::csv::number_text(*io::csv::read_percentage("51 %", {".", ""})) == "0.51");
  CHECK(io::csv::number_text(*io::csv::read_percentage("51,5%", {",", ""})) == "0.515");
  CHECK(io::csv::number_text(*io::csv::read_percentage("100", {".", ""})) == "1");
  CHECK_FALSE(io::csv::read_percentage("101 %", {".", ""}));
  CHECK_FALSE(io::csv::read_percentage("51,5%", {".", ""}));
}

TEST_CASE("csv ids: slugs lower-case Latin letters, keep other scripts, join with dashes",
          "[import][csv]") {
  CHECK(io::csv::slug("Tel Aviv-Yafo") == "tel-aviv-yafo");
  CHECK(io::csv::slug("  Modiin-Maccabim-Re'ut ") == "modiin-maccabim-reut");
  CHECK(io::csv::slug("NDRC (ICC)") == "ndrc-icc");
  CHECK(io::csv::slug("פתח תקווה") == "פתח-תקווה");
  CHECK(io::csv::slug("Saint\xE2\x80\x93"
                      "Étienne") == "saint-Étienne");
}

TEST_CASE("csv mapping: problems are reported at their JSON pointer and place", "[import][csv]") {
  diag::Diagnostics diagnostics;
  bool missing = false;
  const auto schema = io::load_schema({}, diagnostics, missing);
  REQUIRE(schema);
  const std::vector<std::string> header{"No", "Town", "Signed", "Share"};
  auto errors_of = [&](const std::string& text) {
    diagnostics.clear();
    diag::SourceText source("m.json", text);
    auto mapping = io::csv::Mapping::read(source, diagnostics);
    if (mapping) (void)mapping->bind(header, "in.csv", *schema, diagnostics);
    std::vector<std::string> out;
    for (const auto& d : diagnostics.all()) out.push_back(d.to_string());
    return out;
  };
  const auto schema_error = errors_of(
      "{\"format\": \"twinscan-csv-mapping/1\", \"id\": \"a:{No}\", \"kind\": \"Agreement\",\n"
      " \"columns\": [{\"column\": \"Signed\", \"property\": \"signed_on\", \"type\": \"day\"}]}");
  REQUIRE(schema_error.size() == 1);
  CHECK(schema_error[0].rfind("m.json:2:68: error: /columns/0/type: expected one of", 0) == 0);

  const auto bind_errors = errors_of(
      "{\"format\": \"twinscan-csv-mapping/1\", \"id\": \"a:{Nr}\", \"kind\": \"Agreement\",\n"
      " \"columns\": [{\"column\": \"Signed\", \"property\": \"signed_on\", \"type\": "
      "\"number\"},\n"
      "  {\"column\": 9, \"property\": \"notes\"},\n"
      "  {\"column\": \"Signed\", \"property\": \"until\", \"format\": \"DD/MM/YY\"},\n"
      "  {\"column\": \"Town\", \"relation\": \"PARTY_TOO\", \"target\": \"mun:{|slug}\"}]}");
  for (const auto& e : bind_errors) UNSCOPED_INFO(e);
  REQUIRE(bind_errors.size() == 6);
  CHECK(bind_errors[0] ==
        "m.json:1:44: error: /id: no column 'Nr' in the header of in.csv (did you mean 'No'?); "
        "its columns are 'No', 'Town', 'Signed', 'Share'");
  CHECK(bind_errors[1] ==
        "m.json:2:68: error: /columns/0/type: 'signed_on' is declared date on Agreement, so a "
        "column read as number cannot fill it; use \"type\": \"date\"");
  CHECK(bind_errors[2] ==
        "m.json:3:14: error: /columns/1/column: column 9 is past the 4 columns of in.csv "
        "(columns are numbered from 1)");
  CHECK(bind_errors[3].rfind("m.json:4:36: warning: /columns/2/property: 'until' is not a "
                             "declared property",
                             0) == 0);
  CHECK(bind_errors[4] ==
        "m.json:4:55: error: /columns/2/format: the date format 'DD/MM/YY' is not valid: a year "
        "is written YYYY (four digits)");
  CHECK(bind_errors[5] ==
        "m.json:5:34: error: /columns/3/relation: unknown relation kind 'PARTY_TOO'; did you "
        "mean 'PARTY_TO'?");
}

TEST_CASE(
    "csv mapping: a row mapped into the output of earlier rows gives what a fresh output "
    "gives",
    "[import][csv]") {
  const std::string text =
      "{\"format\": \"twinscan-csv-mapping/1\", \"id\": \"agr:{No}\", \"kind\": \"Agreement\",\n"
      " \"columns\": [{\"column\": \"Town\", \"property\": \"name\"},\n"
      "  {\"column\": \"Signed\", \"property\": \"signed_on\", \"format\": \"DD/MM/YYYY\"},\n"
      "  {\"column\": \"Town\", \"relation\": \"PARTY_TO\", \"target\": \"mun:{|slug}\", "
      "\"direction\": \"in\", \"split\": \"/\"}],\n"
      " \"entities\": [{\"id\": \"mun:{Town|slug}\", \"kind\": \"Municipality\",\n"
      "  \"columns\": [{\"column\": \"Town\", \"property\": \"name\"}]}]}";
  const BoundMapping bound = bound_mapping(text, {"No", "Town", "Signed"});
  const io::csv::Mapping* mapping = bound.mapping.get();
  const std::string csv =
      "No,Town,Signed\n"
      "1,A very long town name / and another one / and a third,01/02/2003\n"
      "2,Haifa,\n"
      "3,,05/06/2007\n"
      "4,Tel Aviv-Yafo / Haifa,31/12/1999\n";
  auto json_of = [](const io::csv::RowOutput& out) {
    std::string json;
    for (std::size_t i = 0; i < out.entity_count; ++i) {
      json += out.entities[i].id + " " + out.entities[i].kind;
      CHECK(out.entities[i].fields.append_json(json));
      json += "\n";
    }
    for (std::size_t i = 0; i < out.relation_count; ++i) {
      const auto& r = out.relations[i];
      json += r.kind + " " + r.from + " " + r.to + " " + r.id;
      CHECK(r.fields.append_json(json));
      json += "\n";
    }
    return json + (out.has_primary ? "primary" : "");
  };
  Reader reader(csv, Dialect{});
  Record record;
  REQUIRE(reader.next(record));  // the header
  io::csv::RowOutput reused;
  std::vector<std::string> rows;
  while (reader.next(record)) {
    std::vector<io::csv::RowError> errors;
    mapping->map_row(record, reused, errors);
    io::csv::RowOutput fresh;
    std::vector<io::csv::RowError> fresh_errors;
    mapping->map_row(record, fresh, fresh_errors);
    CHECK(json_of(reused) == json_of(fresh));
    CHECK(errors.size() == fresh_errors.size());
    rows.push_back(json_of(reused));
  }
  REQUIRE(rows.size() == 4);
  CHECK(rows[1] ==
        "agr:2 Agreement, \"name\": \"Haifa\"\n"
        "mun:haifa Municipality, \"name\": \"Haifa\"\n"
        "PARTY_TO mun:haifa agr:2 \nprimary");
  CHECK(rows[2] == "agr:3 Agreement, \"signed_on\": \"2007-06-05\"\nprimary");
}

TEST_CASE(
    "csv mapping: templates that make the same text share one expansion a row, and a split "
    "relation's {} stays each item's",
    "[import][csv]") {
  // "city:{|slug}" of the unsplit Partner relation makes what "city:{Partner|slug}" makes;
  // "mun:{|slug}" of the split Towns relation makes one id an item.
  const std::string text =
      "{\"format\": \"twinscan-csv-mapping/1\", \"id\": \"agr:{No}\", \"kind\": \"Agreement\",\n"
      " \"columns\": [{\"template\": \"{Towns}–{Partner}\", \"property\": \"name\"},\n"
      "  {\"column\": \"Partner\", \"relation\": \"PARTY_TO\", \"target\": \"city:{|slug}\", "
      "\"direction\": \"in\"},\n"
      "  {\"column\": \"Towns\", \"relation\": \"PARTY_TO\", \"target\": \"mun:{|slug}\", "
      "\"direction\": \"in\", \"split\": \"/\"}],\n"
      " \"entities\": [{\"id\": \"city:{Partner|slug}\", \"kind\": \"ForeignCity\",\n"
      "  \"columns\": [{\"column\": \"Partner\", \"property\": \"name\"}]},\n"
      "  {\"id\": \"mun:{Towns|slug}\", \"kind\": \"Municipality\"}]}";
  const BoundMapping bound = bound_mapping(text, {"No", "Towns", "Partner"});
  const io::csv::Mapping* mapping = bound.mapping.get();
  Reader reader(
      "No,Towns,Partner\n"
      "1,Haifa / Akko,Wuhan City\n"
      "2,Eilat,Erfurt\n"
      "3,Eilat,\n",
      Dialect{});
  Record record;
  REQUIRE(reader.next(record));  // the header
  io::csv::RowOutput out;
  std::vector<std::string> rows;
  while (reader.next(record)) {
    std::vector<io::csv::RowError> errors;
    mapping->map_row(record, out, errors);
    CHECK(errors.empty());
    std::string row;
    for (std::size_t i = 0; i < out.entity_count; ++i) row += out.entities[i].id + " ";
    row += "|";
    for (std::size_t i = 0; i < out.relation_count; ++i) {
      row += " " + out.relations[i].from + ">" + out.relations[i].to;
    }
    rows.push_back(row);
  }
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] ==
        "agr:1 city:wuhan-city mun:haifa-akko | city:wuhan-city>agr:1 mun:haifa>agr:1 "
        "mun:akko>agr:1");
  // The next row's expansions are its own.
  CHECK(rows[1] == "agr:2 city:erfurt mun:eilat | city:erfurt>agr:2 mun:eilat>agr:2");
  // An empty field: no city, no relation to one, and nothing left of the row before.
  CHECK(rows[2] == "agr:3 mun:eilat | mun:eilat>agr:3");
}
