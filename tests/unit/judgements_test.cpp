#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/identity/judgements.h"

using twinscan::diag::Diagnostics;
using twinscan::diag::SourceText;
using twinscan::identity::format_judgements;
using twinscan::identity::Judgement;
using twinscan::identity::JudgementsStatus;
using twinscan::identity::parse_judgements;
using twinscan::identity::read_judgements;
using twinscan::identity::Verdict;
using twinscan::identity::write_judgements;

namespace {

struct Parsed {
  std::vector<Judgement> judgements;
  std::vector<std::string> errors;  // as printed
  bool ok = false;
};

Parsed parse(const std::string& text) {
  Diagnostics diagnostics;
  Parsed p;
  p.ok = parse_judgements(SourceText("j.json", text), p.judgements, diagnostics);
  for (const auto& d : diagnostics.all()) p.errors.push_back(d.to_string());
  return p;
}

/// The one error parsing `text` gives.
std::string error_of(const std::string& text) {
  const Parsed p = parse(text);
  CHECK_FALSE(p.ok);
  REQUIRE(p.errors.size() == 1);
  return p.errors[0];
}

std::string wrap(const std::string& judgement) {
  return "{\"format\": \"twinscan-judgements/1\", \"judgements\": [\n" + judgement + "\n]}";
}

}  // namespace

TEST_CASE("judgements: a file is read with every field, in order", "[judgements]") {
  const Parsed p = parse(R"({
  // comments and trailing commas are accepted, as in registry documents
  "format": "twinscan-judgements/1",
  "judgements": [
    {"ids": ["mun:hamburg", "dst:001"], "judgement": "same", "by": "A. Reviewer", "on": "2024-05-02", "note": "full style"},
    {"ids": ["mun:freiburg", "mun:freiburg-elbe"], "judgement": "different", "by": "B", "on": "2024-05"},
  ]
})");
  REQUIRE(p.ok);
  REQUIRE(p.judgements.size() == 2);
  const Judgement& first = p.judgements[0];
  CHECK(first.a == "mun:hamburg");
  CHECK(first.b == "dst:001");
  CHECK(first.verdict == Verdict::kSame);
  CHECK(first.by == "A. Reviewer");
  CHECK(first.on == "2024-05-02");
  CHECK(first.note == "full style");
  CHECK(first.where.line == 5);
  CHECK(first.where.column == 5);
  CHECK(p.judgements[1].verdict == Verdict::kDifferent);
  CHECK(p.judgements[1].note.empty());
  CHECK(first.describe() == "mun:hamburg same dst:001 (by A. Reviewer, on 2024-05-02)");
}

TEST_CASE("judgements: writing and reading back gives the same judgements", "[judgements]") {
  std::vector<Judgement> judgements(3);
  judgements[0] = {"mun:hamburg",
                   "dst:001",
                   Verdict::kSame,
                   "A. Reviewer",
                   "2024-05-02",
                   "quote \" and backslash \\ kept",
                   {}};
  judgements[1] = {"cn:弗赖堡", "mun:freiburg", Verdict::kSame, "审核员", "2024-05-03", "", {}};
  judgements[2] = {"mun:freiburg", "mun:freiburg-elbe", Verdict::kDifferent, "B", "2024", "", {}};
  const std::string text = format_judgements(judgements);
  CHECK(text ==
        "{\n"
        "  \"format\": \"twinscan-judgements/1\",\n"
        "  \"judgements\": [\n"
        "    {\"ids\": [\"mun:hamburg\", \"dst:001\"], \"judgement\": \"same\", \"by\": \"A. "
        "Reviewer\", \"on\": \"2024-05-02\", \"note\": \"quote \\\" and backslash \\\\ kept\"},\n"
        "    {\"ids\": [\"cn:弗赖堡\", \"mun:freiburg\"], \"judgement\": \"same\", \"by\": "
        "\"审核员\", \"on\": \"2024-05-03\"},\n"
        "    {\"ids\": [\"mun:freiburg\", \"mun:freiburg-elbe\"], \"judgement\": \"different\", "
        "\"by\": \"B\", \"on\": \"2024\"}\n"
        "  ]\n"
        "}\n");
  const Parsed back = parse(text);
  REQUIRE(back.ok);
  REQUIRE(back.judgements.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(back.judgements[i].a == judgements[i].a);
    CHECK(back.judgements[i].b == judgements[i].b);
    CHECK(back.judgements[i].verdict == judgements[i].verdict);
    CHECK(back.judgements[i].by == judgements[i].by);
    CHECK(back.judgements[i].on == judgements[i].on);
    CHECK(back.judgements[i].note == judgements[i].note);
  }
  // Stable: formatting what was read gives the same bytes.
  CHECK(format_judgements(back.judgements) == text);
}

TEST_CASE("judgements: an empty list is written and read", "[judgements]") {
  const std::string text = format_judgements({});
  CHECK(text == "{\n  \"format\": \"twinscan-judgements/1\",\n  \"judgements\": []\n}\n");
  const Parsed p = parse(text);
  CHECK(p.ok);
  CHECK(p.judgements.empty());
}

TEST_CASE("judgements: every bad input is an error at its place", "[judgements]") {
  CHECK(error_of("{\"format\": \"twinscan-judgements/1\", \"judgements\": [}") ==
        "j.json:1:52: error: malformed JSON: invalid value");
  CHECK(error_of("[]") ==
        "j.json:1:1: error: a judgements file is a JSON object {\"format\": "
        "\"twinscan-judgements/1\", \"judgements\": [...]}");
  CHECK(error_of("{\"judgements\": []}") ==
        "j.json:1:1: error: missing \"format\": \"twinscan-judgements/1\"");
  CHECK(error_of("{\"format\": \"twinscan-judgements/1\"}") ==
        "j.json:1:1: error: missing \"judgements\" (a list)");
  CHECK(error_of("{\"format\": \"twinscan/1\", \"judgements\": []}") ==
        "j.json:1:12: error: \"format\" must be \"twinscan-judgements/1\"");
  CHECK(error_of("{\"format\": \"twinscan-judgements/1\", \"judgements\": {}}") ==
        "j.json:1:51: error: \"judgements\" must be a list, not an object");
  CHECK(
      error_of("{\"format\": \"twinscan-judgements/1\", \"judgement\": [], \"judgements\": []}") ==
      "j.json:1:37: error: unknown key 'judgement' in a judgements file; did you mean "
      "'judgements'?");
  CHECK(error_of(wrap("\"same\"")) ==
        "j.json:2:1: error: a judgement is an object with \"ids\", \"judgement\", \"by\" and "
        "\"on\", not a string");
  const std::string good_rest = R"("judgement": "same", "by": "x", "on": "2024-05-01")";
  CHECK(error_of(wrap(R"({"ids": ["a"], )" + good_rest + "}")) ==
        "j.json:2:9: error: \"ids\" must be a list of two ids (strings)");
  CHECK(error_of(wrap(R"({"ids": ["a", 7], )" + good_rest + "}")) ==
        "j.json:2:9: error: \"ids\" must be a list of two ids (strings)");
  CHECK(error_of(wrap(R"({"ids": ["a", ""], )" + good_rest + "}")) ==
        "j.json:2:9: error: \"ids\" must not be empty strings");
  CHECK(error_of(wrap(R"({"ids": ["a", "a"], )" + good_rest + "}")) ==
        "j.json:2:9: error: a judgement needs two different ids, not 'a' twice");
  CHECK(error_of(wrap(R"({"ids": ["a", "b"], "judgement": "maybe", "by": "x", "on": "2024"})")) ==
        "j.json:2:34: error: \"judgement\" must be \"same\" or \"different\"");
  CHECK(error_of(wrap(R"({"ids": ["a", "b"], "judgement": "same", "by": "", "on": "2024"})")) ==
        "j.json:2:48: error: \"by\" must be a non-empty string: who made the judgement");
  CHECK(error_of(wrap(R"({"ids": ["a", "b"], "judgement": "same", "by": "x", "on": "May"})")) ==
        "j.json:2:59: error: \"on\" must be an ISO 8601 date such as 2024-05-01, not 'May'");
  CHECK(error_of(wrap(R"({"ids": ["a", "b"], "judgement": "same", "by": "x", "on": 2024})")) ==
        "j.json:2:59: error: \"on\" must be a non-empty string: the date of the judgement");
  CHECK(error_of(wrap(R"({"ids": ["a", "b"], )" + good_rest + R"(, "note": 1})")) ==
        "j.json:2:81: error: \"note\" must be a string, not a number");
  CHECK(error_of(wrap(R"({"ids": ["a", "b"], )" + good_rest + R"(, "notes": "x"})")) ==
        "j.json:2:73: error: unknown key 'notes' in a judgement; did you mean 'note'?");
  CHECK(error_of(wrap(R"({"ids": ["a", "b"], "judgement": "same", "on": "2024"})")) ==
        "j.json:2:1: error: a judgement needs \"by\" (who made the judgement)");
  CHECK(error_of(
            std::string("{\"format\": \"twinscan-judgements/1\", \"judgements\": [\"\xff\"]}")) ==
        "j.json:1:53: error: invalid UTF-8 (byte 0xff); save the file as UTF-8");
}

TEST_CASE("judgements: every problem of a file is reported, not only the first", "[judgements]") {
  const Parsed p = parse(wrap(R"({"ids": ["a"], "judgement": "same", "by": "x", "on": "2024"},
{"ids": ["a", "b"], "judgement": "same", "on": "2024"},
{"ids": ["c", "d"], "judgement": "same", "by": "x", "on": "2024"})"));
  CHECK_FALSE(p.ok);
  CHECK(p.errors.size() == 2);
  CHECK(p.judgements.size() == 1);  // the good one
}

TEST_CASE("judgements: a missing file is kMissing, written files are read back", "[judgements]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("judgements_test." + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "j.json").string();
  Diagnostics diagnostics;
  std::vector<Judgement> read;
  CHECK(read_judgements(path, read, diagnostics) == JudgementsStatus::kMissing);
  REQUIRE(diagnostics.all().size() == 1);
  CHECK(diagnostics.all()[0].to_string() == path + ": error: no such judgements file");
  std::string error;
  const std::vector<Judgement> written = {{"a", "b", Verdict::kSame, "x", "2024-05-01", "", {}}};
  REQUIRE(write_judgements(path, written, error));
  diagnostics.clear();
  CHECK(read_judgements(path, read, diagnostics) == JudgementsStatus::kOk);
  REQUIRE(read.size() == 1);
  CHECK(read[0].where.file == path);
  CHECK(read[0].where.line == 4);
  CHECK_FALSE(write_judgements((dir / "no-such-folder" / "j.json").string(), written, error));
  CHECK(error.find("no such folder") != std::string::npos);
  std::filesystem::remove_all(dir);
}
