#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/identity/identity_clusters.h"

using twinscan::diag::Diagnostics;
using twinscan::identity::Cluster;
using twinscan::identity::IdentityClusters;
using twinscan::identity::Judgement;
using twinscan::identity::Verdict;

namespace {

Judgement same(std::string a, std::string b, std::uint32_t line = 0) {
  return {std::move(a), std::move(b), Verdict::kSame, "x", "2024-05-01", "", {"j.json", line, 5}};
}

Judgement different(std::string a, std::string b, std::uint32_t line = 0) {
  return {std::move(a), std::move(b), Verdict::kDifferent, "y",
          "2024-05-02", "",           {"j.json", line, 5}};
}

/// Load order: the ids' places in `order`; others after them.
IdentityClusters::LoadRank rank_of(std::vector<std::string> order) {
  return [order = std::move(order)](std::string_view id) -> std::uint64_t {
    for (std::size_t i = 0; i < order.size(); ++i)
      if (order[i] == id) return i;
    return UINT64_MAX;
  };
}

}  // namespace

TEST_CASE("identity clusters: same is transitive and symmetric", "[identity]") {
  Diagnostics d;
  const auto c = IdentityClusters::build({same("a", "b"), same("c", "b"), same("x", "y")},
                                         rank_of({"a", "b", "c", "x", "y"}), d);
  CHECK_FALSE(d.has_errors());
  CHECK(c.same("a", "c"));
  CHECK(c.same("c", "a"));
  CHECK(c.same("x", "y"));
  CHECK_FALSE(c.same("a", "x"));
  CHECK(c.same("unjudged", "unjudged"));
  CHECK_FALSE(c.same("a", "unjudged"));
  CHECK(c.is_judged("a", "c"));
  CHECK_FALSE(c.is_judged("a", "x"));
}

TEST_CASE("identity clusters: the canonical id is the member first in load order", "[identity]") {
  Diagnostics d;
  // Loaded in the order c, b, a: c is canonical though the judgements name a first.
  const auto c =
      IdentityClusters::build({same("a", "b"), same("b", "c")}, rank_of({"c", "b", "a"}), d);
  CHECK(c.canonical("a") == "c");
  CHECK(c.canonical("b") == "c");
  CHECK(c.canonical("c") == "c");
  CHECK(c.canonical("elsewhere") == "elsewhere");
  CHECK(c.members("a") == std::vector<std::string>{"c", "b", "a"});
  CHECK(c.members("elsewhere") == std::vector<std::string>{"elsewhere"});
  // Ids the registry lacks come after those it has; among themselves by their text.
  const auto d2 = IdentityClusters::build({same("zz", "mm"), same("mm", "b")}, rank_of({"b"}), d);
  CHECK(d2.canonical("zz") == "b");
  CHECK(d2.members("zz") == std::vector<std::string>{"b", "mm", "zz"});
  const auto clusters =
      IdentityClusters::build({same("q", "p"), same("b", "a")}, rank_of({"p", "a", "b", "q"}), d)
          .clusters();
  REQUIRE(clusters.size() == 2);
  CHECK(clusters[0].canonical == "p");
  CHECK(clusters[0].members == std::vector<std::string>{"p", "q"});
  CHECK(clusters[1].canonical == "a");
}

TEST_CASE("identity clusters: different separates whole clusters", "[identity]") {
  Diagnostics d;
  const auto c = IdentityClusters::build({same("a", "b"), different("b", "c"), same("c", "d")},
                                         rank_of({}), d);
  CHECK_FALSE(d.has_errors());
  CHECK(c.different("a", "d"));
  CHECK(c.different("d", "a"));
  CHECK(c.is_judged("a", "d"));
  CHECK_FALSE(c.different("a", "b"));
  CHECK_FALSE(c.different("a", "elsewhere"));
}

TEST_CASE("identity clusters: a different that contradicts a chain of same prints the chain",
          "[identity]") {
  Diagnostics d;
  // The chain is found whatever the order of the file and the direction of each judgement.
  IdentityClusters::build(
      {different("a", "d", 3), same("b", "a", 4), same("b", "c", 5), same("d", "c", 6)},
      rank_of({}), d);
  REQUIRE(d.error_count() == 1);
  CHECK(d.all()[0].to_string() ==
        "j.json:3:5: error: 'a' and 'd' are judged both the same and different: a same b (by x, "
        "on 2024-05-01), b same c (by x, on 2024-05-01), c same d (by x, on 2024-05-01), yet a "
        "different d (by y, on 2024-05-02)");
}

TEST_CASE("identity clusters: the chain printed is a shortest one", "[identity]") {
  Diagnostics d;
  IdentityClusters::build(
      {same("a", "b"), same("b", "c"), same("c", "d"), same("a", "d"), different("a", "c", 9)},
      rank_of({}), d);
  REQUIRE(d.error_count() == 1);
  CHECK(d.all()[0].message ==
        "'a' and 'c' are judged both the same and different: a same b (by x, on 2024-05-01), b "
        "same c (by x, on 2024-05-01), yet a different c (by y, on 2024-05-02)");
}

TEST_CASE("identity clusters: a new judgement is checked against the clusters", "[identity]") {
  Diagnostics d;
  const auto c = IdentityClusters::build(
      {same("a", "b"), same("b", "c"), different("c", "x"), same("x", "y")}, rank_of({}), d);
  REQUIRE_FALSE(d.has_errors());
  CHECK(c.contradiction(different("a", "c")) ==
        "a same b (by x, on 2024-05-01), b same c (by x, on 2024-05-01), yet a different c (by "
        "y, on 2024-05-02)");
  // A same across a different: the chain runs through the new judgement.
  CHECK(c.contradiction(same("a", "y")) ==
        "c same b (by x, on 2024-05-01), b same a (by x, on 2024-05-01), a same y (by x, on "
        "2024-05-01), y same x (by x, on 2024-05-01), yet c different x (by y, on 2024-05-02)");
  CHECK_FALSE(c.contradiction(same("a", "c")));
  CHECK_FALSE(c.contradiction(different("a", "y")));
  CHECK_FALSE(c.contradiction(same("a", "new")));
  CHECK_FALSE(c.contradiction(different("new", "other")));
}
