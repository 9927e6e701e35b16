// Cross-holdings: firms that hold each other, as groups of state firms and keiretsu do,
// join two firms by millions of ownership chains. The effective share is then bounded
// rather than summed chain by chain, every bound holding the exact sum; a walk asked to
// pass only relations of some kind leaves the others out as it goes; and a walk between
// two bound entities stops at the far one. Each answers what the enumeration of every
// chain would, in a fraction of its time.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "analyzer/query/executor.h"
#include "analyzer/query/planner.h"
#include "tests/unit/query_rows.h"

namespace twinscan {
namespace {

// `k` firms, each held by every other with `share`; firm:0 also held 0.5 by gov:cn.
std::string clique(int k, double share) {
  std::string entities =
      R"({"id": "gov:cn", "kind": "ForeignGovernment", "name": "State", "country": "CN"})";
  std::string relations = R"({"kind": "OWNED_BY", "from": "firm:0", "to": "gov:cn", "share": 0.5})";
  for (int i = 0; i < k; ++i) {
    entities += R"(,{"id": "firm:)" + std::to_string(i) + R"(", "kind": "Firm", "name": "F)" +
                std::to_string(i) + R"("})";
    for (int j = 0; j < k; ++j) {
      if (i == j) continue;
      relations += R"(,{"kind": "OWNED_BY", "from": "firm:)" + std::to_string(i) +
                   R"(", "to": "firm:)" + std::to_string(j) + R"(", "share": )" +
                   std::to_string(share) + "}";
    }
  }
  return R"({"format": "twinscan/1", "entities": [)" + entities + R"(], "relations": [)" +
         relations + "]}";
}

// The exact effective share of firm:1 in the clique: a chain is firm:1, then an ordered
// choice of m of the k - 2 other firms, then firm:0 and the state, m + 2 links, at most 10.
double clique_share(int k, double share) {
  double total = 0;
  double orderings = 1;  // of m firms out of k - 2
  for (int m = 0; m + 2 <= 10 && m <= k - 2; ++m) {
    total += orderings * std::pow(share, m + 1) * 0.5;
    orderings *= k - 2 - m;
  }
  return std::min(total, 1.0);
}

// firm:top holds 5 firms of the first of 8 layers, each layer holds each firm of the
// next with 0.2, and the last layer is held by the state with 0.6: 5^8 chains of 9
// links, each 0.2^8 * 0.6, which sum to 0.6. With `side` > 0, firm:top is also held 0.3
// by side:0 of `side` firms that each hold every other with 0.3 and nothing else.
std::string layers(int side) {
  std::string entities =
      R"({"id": "gov:cn", "kind": "ForeignGovernment", "name": "State", "country": "CN"},)"
      R"({"id": "firm:top", "kind": "Firm", "name": "Top"})";
  std::string relations;
  auto link = [&](const std::string& from, const std::string& to, double share) {
    relations += std::string(relations.empty() ? "" : ",") + R"({"kind": "OWNED_BY", "from": ")" +
                 from + R"(", "to": ")" + to + R"(", "share": )" + std::to_string(share) + "}";
  };
  auto firm = [](int layer, int i) {
    return "firm:" + std::to_string(layer) + "-" + std::to_string(i);
  };
  for (int layer = 1; layer <= 8; ++layer) {
    for (int i = 0; i < 5; ++i) {
      entities += R"(,{"id": ")" + firm(layer, i) + R"(", "kind": "Firm", "name": "F"})";
      if (layer == 1) link("firm:top", firm(layer, i), 0.2);
      if (layer == 8) link(firm(layer, i), "gov:cn", 0.6);
      for (int j = 0; layer > 1 && j < 5; ++j) link(firm(layer - 1, j), firm(layer, i), 0.2);
    }
  }
  for (int i = 0; i < side; ++i) {
    entities += R"(,{"id": "side:)" + std::to_string(i) + R"(", "kind": "Firm", "name": "S"})";
    for (int j = 0; j < side; ++j) {
      if (i != j) link("side:" + std::to_string(i), "side:" + std::to_string(j), 0.3);
    }
  }
  if (side > 0) link("firm:top", "side:0", 0.3);
  return R"({"format": "twinscan/1", "entities": [)" + entities + R"(], "relations": [)" +
         relations + "]}";
}

// The bounds of a value `twinscan query` shows: "lo..hi" for a range, else one number.
std::pair<double, double> bounds_of(const std::string& shown) {
  const auto dots = shown.find("..");
  if (dots == std::string::npos) return {std::stod(shown), std::stod(shown)};
  return {std::stod(shown.substr(0, dots)), std::stod(shown.substr(dots + 2))};
}

// The values of a row as testing::query_rows() shows it: "a | b | c".
std::vector<std::string> cells_of(const std::string& row) {
  std::vector<std::string> cells;
  std::size_t at = 0;
  for (std::size_t bar; (bar = row.find(" | ", at)) != std::string::npos; at = bar + 3) {
    cells.push_back(row.substr(at, bar - at));
  }
  cells.push_back(row.substr(at));
  return cells;
}

}  // namespace

TEST_CASE("a firm in cross-holdings too dense to list has its share bounded, never wrong",
          "[cross-holdings]") {
  for (const double share : {0.01, 0.05, 0.3}) {
    CAPTURE(share);
    const auto g = testing::load_registry_text("clique.json", clique(12, share));
    const auto rows = testing::query_rows(
        *g, "MATCH (f {id: 'firm:1'}), (s {id: 'gov:cn'}) RETURN effective_share(f, s)");
    REQUIRE(rows.size() == 1);
    const auto [lo, hi] = bounds_of(rows[0]);
    const double exact = clique_share(12, share);
    CAPTURE(rows[0], exact);
    // Shown to three decimals.
    CHECK(lo <= exact + 0.0005);
    CHECK(hi >= exact - 0.0005);
    CHECK(lo <= hi);
  }
}

TEST_CASE("bounds that decide a comparison answer it; bounds that do not leave it open",
          "[cross-holdings]") {
  // With 0.3 each, the chains of up to a few links already pass one half: controlled.
  const auto held = testing::load_registry_text("clique.json", clique(12, 0.3));
  CHECK(testing::query_rows(*held,
                            "MATCH (f:Firm {id: 'firm:1'}), (s:ForeignGovernment) "
                            "WHERE effective_share(f, s) >= 0.5 RETURN f.id") ==
        std::vector<std::string>{"firm:1"});
  // With 0.01 each, every walk together stays far below one half: not controlled.
  const auto thin = testing::load_registry_text("clique.json", clique(12, 0.01));
  CHECK(testing::query_rows(*thin,
                            "MATCH (f:Firm), (s:ForeignGovernment) "
                            "WHERE effective_share(f, s) >= 0.5 RETURN f.id") ==
        std::vector<std::string>{"firm:0"});
  CHECK(testing::query_rows(*thin,
                            "MATCH (f:Firm {id: 'firm:1'}), (s:ForeignGovernment) "
                            "WHERE effective_share(f, s) < 0.5 RETURN f.id") ==
        std::vector<std::string>{"firm:1"});
}

TEST_CASE("chains too many to list but without a cycle are summed exactly", "[cross-holdings]") {
  const auto g = testing::load_registry_text("layers.json", layers(0));
  CHECK(testing::query_rows(*g,
                            "MATCH (f {id: 'firm:top'}), (s {id: 'gov:cn'}) "
                            "RETURN round(effective_share(f, s) * 1000)") ==
        std::vector<std::string>{"600.0"});
}

TEST_CASE("a cycle among holders that never reach the owner leaves the share exact",
          "[cross-holdings]") {
  // The layers again, and firm:top held 0.3 too by one of 12 firms that hold each other
  // and nothing of the state: their cycles add nothing, and the sum stays exact.
  const auto g = testing::load_registry_text("layers.json", layers(12));
  CHECK(testing::query_rows(*g,
                            "MATCH (f {id: 'firm:top'}), (s {id: 'gov:cn'}) "
                            "RETURN round(effective_share(f, s) * 1000)") ==
        std::vector<std::string>{"600.0"});
}

TEST_CASE("a condition on every relation of a path is checked as the walk goes",
          "[cross-holdings]") {
  const auto g = testing::load_registry_text("clique.json", clique(30, 0.05));
  const std::string text =
      "MATCH q = (f:Firm)-[:OWNED_BY*1..10]->(s:ForeignGovernment) "
      "WHERE all(r IN relationships(q) WHERE r.share >= 0.06) RETURN f.id";
  // The walk leaves out relations under the share instead of listing 29^9 chains to drop.
  CHECK(testing::query_plan(*g, text).find("[each relation walked: all(r IN relationships(q) WHERE "
                                           "r.share >= 0.06)]") != std::string::npos);
  // Only the state's own stake passes: firm:0 alone.
  CHECK(testing::query_rows(*g, text) == std::vector<std::string>{"firm:0"});
  // No relation passes: none is walked.
  CHECK(testing::query_rows(*g,
                            "MATCH q = (f:Firm)-[:OWNED_BY*1..10]->(s:ForeignGovernment) "
                            "WHERE all(r IN relationships(q) WHERE r.share >= 0.5) "
                            "AND f.id <> 'firm:0' RETURN count(*)") ==
        std::vector<std::string>{"0"});
}

TEST_CASE("a condition on every relation gives the answers the WHERE alone gives",
          "[cross-holdings]") {
  // A small clique, walked whole both ways: with the condition checked as the walk goes,
  // and with one that reads another variable too (which stays in the WHERE only).
  const auto g = testing::load_registry_text("clique.json", clique(6, 0.3));
  const auto pushed = testing::query_rows(
      *g,
      "MATCH q = (f:Firm)-[rs:OWNED_BY*1..5]->(o) WHERE all(r IN rs WHERE r.share > 0.4) "
      "RETURN f.id, o.id, length(q) ORDER BY f.id, o.id, length(q)");
  const auto kept =
      testing::query_rows(*g,
                          "MATCH q = (f:Firm)-[rs:OWNED_BY*1..5]->(o) "
                          "WHERE all(r IN rs WHERE r.share > 0.4 OR f.id = 'none') "
                          "RETURN f.id, o.id, length(q) ORDER BY f.id, o.id, length(q)");
  CHECK(pushed == kept);
  CHECK(pushed == std::vector<std::string>{"firm:0 | gov:cn | 1"});
  const auto all_pushed =
      testing::query_rows(*g,
                          "MATCH q = (f:Firm)-[:OWNED_BY*1..4]->(o:Firm) "
                          "WHERE all(r IN relationships(q) WHERE r.share > 0.2) RETURN count(*)");
  const auto all_kept = testing::query_rows(
      *g,
      "MATCH q = (f:Firm)-[:OWNED_BY*1..4]->(o:Firm) "
      "WHERE all(r IN relationships(q) WHERE r.share > 0.2 OR o.id = 'none') RETURN count(*)");
  CHECK(all_pushed == all_kept);
  // 6 firms: 5 + 5*4 + 5*4*3 + 5*4*3*2 walks of 1 to 4 links from each.
  CHECK(all_pushed == std::vector<std::string>{std::to_string(6 * (5 + 20 + 60 + 120))});
}

TEST_CASE("a relation whose date leaves the condition open is walked, and the match undecided",
          "[cross-holdings]") {
  // The stake of firm:a in firm:b began some day of 2019: before 2019-06-01 or not.
  const auto g = testing::load_registry_text("dated.json", R"({"format": "twinscan/1",
    "entities": [
      {"id": "firm:a", "kind": "Firm", "name": "A"},
      {"id": "firm:b", "kind": "Firm", "name": "B"},
      {"id": "gov:cn", "kind": "ForeignGovernment", "name": "State", "country": "CN"}],
    "relations": [
      {"kind": "OWNED_BY", "from": "firm:a", "to": "firm:b", "share": 0.9, "since": "2019"},
      {"kind": "OWNED_BY", "from": "firm:b", "to": "gov:cn", "share": 0.9, "since": "2001"}]})");
  std::vector<query::QueryMessage> messages;
  query::CompileOptions options;
  options.require_return = true;
  const auto compiled = query::prepare_query(
      "MATCH q = (f:Firm {id: 'firm:a'})-[:OWNED_BY*1..3]->(s:ForeignGovernment) "
      "WHERE all(r IN relationships(q) WHERE r.since < date('2019-06-01')) RETURN s.id",
      *g, {}, options, messages);
  REQUIRE(compiled);
  query::Executor executor(*g, *compiled, query::FunctionContext{*g, {2026, 11, 22}});
  int sure = 0, undecided = 0;
  executor.match(
      [&](const std::vector<query::Value>&) {
        ++sure;
        return true;
      },
      [&](const std::vector<query::Value>&) {
        ++undecided;
        return true;
      });
  CHECK(sure == 0);
  CHECK(undecided == 1);
}

// Two stakes of some day of 2019 (firm:a's in firm:b, firm:b's in firm:c) each lie on two
// of the walks to the state, whichever end they are walked from; firm:d's stake, of 2020,
// on two as well.
constexpr const char* kDiamond = R"({"format": "twinscan/1",
    "entities": [
      {"id": "firm:a", "kind": "Firm", "name": "A"},
      {"id": "firm:b", "kind": "Firm", "name": "B"},
      {"id": "firm:c", "kind": "Firm", "name": "C"},
      {"id": "firm:d", "kind": "Firm", "name": "D"},
      {"id": "gov:cn", "kind": "ForeignGovernment", "name": "State", "country": "CN"}],
    "relations": [
      {"kind": "OWNED_BY", "from": "firm:a", "to": "firm:b", "share": 0.9, "since": "2019"},
      {"kind": "OWNED_BY", "from": "firm:d", "to": "firm:b", "share": 0.4, "since": "2020-03-01"},
      {"kind": "OWNED_BY", "from": "firm:b", "to": "firm:c", "share": 0.3, "since": "2019"},
      {"kind": "OWNED_BY", "from": "firm:b", "to": "gov:cn", "share": 0.9, "since": "2001"},
      {"kind": "OWNED_BY", "from": "firm:c", "to": "gov:cn", "share": 0.9, "since": "2001"}]})";

// The sure and the undecided matches of `where`, each as its path's first firm and length;
// an undecided one also with the places in the query of the notes that say why.
struct Matches {
  std::vector<std::string> sure, undecided;
};
Matches matches_to_state(const model::Graph& g, const std::string& where) {
  std::vector<query::QueryMessage> messages;
  query::CompileOptions options;
  options.require_return = true;
  const auto compiled =
      query::prepare_query("MATCH q = (f:Firm)-[:OWNED_BY*1..3]->(s:ForeignGovernment) WHERE " +
                               where + " RETURN f.id, length(q)",
                           g, {}, options, messages);
  REQUIRE(compiled);
  query::Executor executor(g, *compiled, query::FunctionContext{g, {2026, 11, 22}});
  Matches out;
  const auto note = [&](std::vector<std::string>& into, bool why) {
    return [&, why](const std::vector<query::Value>& frame) {
      for (const query::Value& v : frame) {
        if (v.type != query::Type::kPath) continue;
        std::string match = std::string(g.id(v.path().nodes.front())) + " " +
                            std::to_string(v.path().relations.size());
        for (const auto& n : why ? executor.imprecisions() : std::vector<query::Imprecision>{})
          match += " @" + std::to_string(n.condition.begin);
        into.push_back(match);
        break;  // q (the walk's own segment follows it)
      }
      return true;
    };
  };
  executor.match(note(out.sure, false), note(out.undecided, true));
  std::sort(out.sure.begin(), out.sure.end());
  std::sort(out.undecided.begin(), out.undecided.end());
  return out;
}

TEST_CASE("a relation met again on another path answers the condition as it did first",
          "[cross-holdings]") {
  const auto g = testing::load_registry_text("diamond.json", kDiamond);
  const std::string where = "all(r IN relationships(q) WHERE r.since < date('2019-06-01'))";
  const Matches m = matches_to_state(*g, where);
  CHECK(m.sure == std::vector<std::string>{"firm:b 1", "firm:c 1"});
  // Each undecided for its stakes of 2019, a note for each where the comparison is.
  const std::string at =
      " @" +
      std::to_string(std::string("MATCH q = (f:Firm)-[:OWNED_BY*1..3]->(s:ForeignGovernment) "
                                 "WHERE all(r IN relationships(q) WHERE ")
                         .size());
  CHECK(m.undecided ==
        std::vector<std::string>{"firm:a 2" + at, "firm:a 3" + at + at, "firm:b 2" + at});
}

TEST_CASE("a condition the walk remembers by relation gives what the WHERE alone gives",
          "[cross-holdings]") {
  const auto g = testing::load_registry_text("diamond.json", kDiamond);
  // True though a date left one side open (a note the WHERE may need), open, false.
  for (const std::string condition :
       {"r.since < date('2019-06-01')", "r.since < date('2019-06-01') OR r.share > 0.5",
        "r.since < date('2019-06-01') AND r.share > 0.5", "r.share > 0.35"}) {
    CAPTURE(condition);
    const std::string pushed = "all(r IN relationships(q) WHERE " + condition + ")";
    // Reading f too, the same condition stays in the WHERE alone.
    const std::string kept = "all(r IN relationships(q) WHERE " + condition + " OR f.id = 'none')";
    REQUIRE(testing::query_plan(*g,
                                "MATCH q = (f:Firm)-[:OWNED_BY*1..3]->(s:ForeignGovernment) "
                                "WHERE " +
                                    pushed + " RETURN f.id")
                .find("[each relation walked") != std::string::npos);
    const Matches a = matches_to_state(*g, pushed);
    const Matches b = matches_to_state(*g, kept);
    CHECK(a.sure == b.sure);
    CHECK(a.undecided == b.undecided);
    CHECK(a.sure.size() + a.undecided.size() > 0);
  }
}

TEST_CASE("sum() and avg() of shares known within bounds are ranges that hold the exact sums",
          "[cross-holdings]") {
  const auto g = testing::load_registry_text("clique.json", clique(12, 0.05));
  const auto rows =
      testing::query_rows(*g,
                          "MATCH (f:Firm), (s:ForeignGovernment) WHERE f.id <> 'firm:0' "
                          "RETURN sum(effective_share(f, s)), avg(effective_share(f, s)), "
                          "sum(effective_share(f, s)) > 0.5, sum(effective_share(f, s)) > 0.6");
  REQUIRE(rows.size() == 1);
  CAPTURE(rows[0]);
  const std::vector<std::string> cells = cells_of(rows[0]);
  REQUIRE(cells.size() == 4);
  // The 11 firms other than firm:0 hold the same share each.
  const double exact = 11 * clique_share(12, 0.05);
  const auto [sum_lo, sum_hi] = bounds_of(cells[0]);
  const auto [avg_lo, avg_hi] = bounds_of(cells[1]);
  CHECK(sum_lo < sum_hi);
  CHECK(sum_lo <= exact + 0.0005);
  CHECK(sum_hi >= exact - 0.0005);
  CHECK(avg_lo <= exact / 11 + 0.0005);
  CHECK(avg_hi >= exact / 11 - 0.0005);
  CHECK(std::abs(avg_lo * 11 - sum_lo) < 0.001);
  // Bounds that decide a comparison answer it: about 0.52, so above 0.5, below 0.6.
  CHECK(cells[2] == "true");
  CHECK(cells[3] == "false");
}

TEST_CASE("sum() of day counts between partial dates is a range of whole days",
          "[cross-holdings]") {
  const auto g = testing::load_registry_text("clique.json", clique(2, 0.05));
  CHECK(testing::query_rows(*g,
                            "UNWIND [1, 2] AS x "
                            "RETURN sum(days_between(date('2019'), date('2020-01-01'))), sum(x)") ==
        std::vector<std::string>{"2..730 | 3"});
}

}  // namespace twinscan
