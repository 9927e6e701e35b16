// The shares a scan keeps up each firm's ownership chains (query::ChainShareCache): one
// walk per firm gives every owner's share exactly as effective_share() finds it owner by
// owner, to the last bit, on ownership structures of every shape (trees, duplicated and
// circular links, holdings out of force, shares known only as ranges); a firm with too
// many chains is left to effective_share(), which bounds it; two threads asking at once
// read the same shares; past its capacity the cache walks no more and the answers stay
// the same.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/query/chain_share_cache.h"
#include "analyzer/query/effective_share.h"
#include "analyzer/query/owner_links.h"
#include "tests/unit/query_rows.h"

namespace twinscan {
namespace {

constexpr model::Date kAsOf{2026, 11, 22};

// A random ownership structure: `firms` firms and 3 governments, each firm held by up to
// four holders among the firms and governments (a firm may hold one that holds it back:
// cycles), some links twice, some out of force on kAsOf, some with a range only.
std::string random_registry(std::mt19937& random, int firms) {
  std::string entities;
  std::string relations;
  const auto add_entity = [&](const std::string& id, const char* kind) {
    entities += std::string(entities.empty() ? "" : ",") + R"({"id": ")" + id + R"(", "kind": ")" +
                kind + R"(", "name": ")" + id + R"("})";
  };
  for (int g = 0; g < 3; ++g) add_entity("gov:" + std::to_string(g), "ForeignGovernment");
  for (int f = 0; f < firms; ++f) add_entity("firm:" + std::to_string(f), "Firm");
  std::uniform_int_distribution<int> holders(0, 4);
  std::uniform_int_distribution<int> holder(0, firms + 2);
  std::uniform_int_distribution<int> percent(1, 99);
  std::uniform_int_distribution<int> kind(0, 9);
  for (int f = 0; f < firms; ++f) {
    const int count = holders(random);
    for (int h = 0; h < count; ++h) {
      const int k = holder(random);
      const std::string to = k < 3 ? "gov:" + std::to_string(k) : "firm:" + std::to_string(k - 3);
      std::string link = R"({"kind": "OWNED_BY", "from": "firm:)" + std::to_string(f) +
                         R"(", "to": ")" + to + R"(")";
      const int shape = kind(random);
      const std::string share =
          "0." + std::to_string(percent(random) / 10) + std::to_string(percent(random) % 10);
      if (shape == 0) {
        link += R"(, "share_min": )" + share + R"(, "share_max": 0.99)";
      } else {
        link += R"(, "share": )" + share;
      }
      if (shape == 1) link += R"(, "until": "2020-01-01")";  // sold
      if (shape == 2) link += R"(, "since": "2030-01-01")";  // not held yet
      if (shape == 3) link += R"(, "since": "2026-11")";     // held from a month that holds kAsOf
      link += "}";
      relations += std::string(relations.empty() ? "" : ",") + link;
      if (shape == 4) relations += "," + link;  // the same holding stated twice
    }
  }
  return R"({"format": "twinscan/1", "entities": [)" + entities + R"(], "relations": [)" +
         relations + "]}";
}

model::VertexId vertex(const model::Graph& graph, const std::string& id) {
  const auto v = graph.find(id);
  REQUIRE(v);
  return *v;
}

// `k` firms, each held by every other with 0.05; firm:0 also held 0.5 by gov:cn: more
// chains from each firm than kListedLinks holdings can list.
std::string clique(int k) {
  std::string entities =
      R"({"id": "gov:cn", "kind": "ForeignGovernment", "name": "State", "country": "CN"})";
  std::string relations = R"({"kind": "OWNED_BY", "from": "firm:0", "to": "gov:cn", "share": 0.5})";
  for (int i = 0; i < k; ++i) {
    entities += R"(,{"id": "firm:)" + std::to_string(i) + R"(", "kind": "Firm", "name": "F"})";
    for (int j = 0; j < k; ++j) {
      if (i == j) continue;
      relations += R"(,{"kind": "OWNED_BY", "from": "firm:)" + std::to_string(i) +
                   R"(", "to": "firm:)" + std::to_string(j) + R"(", "share": 0.05})";
    }
  }
  return R"({"format": "twinscan/1", "entities": [)" + entities + R"(], "relations": [)" +
         relations + "]}";
}

// The rows of `text` with the scan's cache of shares, and without.
std::pair<std::vector<std::string>, std::vector<std::string>> rows_with_and_without(
    const model::Graph& graph, const std::string& text, std::size_t capacity) {
  std::vector<query::QueryMessage> messages;
  query::CompileOptions options;
  options.require_return = true;
  const auto compiled = query::prepare_query(text, graph, {}, options, messages);
  REQUIRE(compiled);
  query::ChainShareCache cache(graph, kAsOf, capacity);
  query::FunctionContext with{graph, kAsOf};
  with.chain_shares = &cache;
  const auto shown = [&](const query::ResultTable& table) {
    std::vector<std::string> out;
    for (const auto& values : table.rows) {
      std::string line;
      for (const auto& v : values) line += query::to_display(graph, v) + " | ";
      out.push_back(line);
    }
    return out;
  };
  return {shown(query::run_query(graph, *compiled, with)),
          shown(query::run_query(graph, *compiled, {graph, kAsOf}))};
}

}  // namespace

TEST_CASE("one walk per firm gives every owner's share as effective_share() does, bit for bit",
          "[chain-shares]") {
  std::mt19937 random(20261204);
  std::size_t compared = 0;
  std::size_t held = 0;
  for (int round = 0; round < 60; ++round) {
    const int firms = 5 + round % 40;
    const auto g = testing::load_registry_text("ownership.json", random_registry(random, firms));
    const auto walk = query::ShareWalk::of(*g, kAsOf);
    REQUIRE(walk);
    query::ChainShareCache cache(*g, kAsOf);
    for (model::VertexId firm = 0; firm < g->entity_count(); ++firm) {
      const auto shares = cache.of(firm);
      REQUIRE(shares);
      REQUIRE(shares->listed());  // a few dozen firms have few chains
      for (model::VertexId owner = 0; owner < g->entity_count(); ++owner) {
        const query::Value one_by_one = query::effective_share(*walk, firm, owner, nullptr);
        REQUIRE(one_by_one.type == query::Type::kFloat);
        const double kept = std::min(shares->of(owner), 1.0);
        CAPTURE(round, firm, owner, one_by_one.number, kept);
        CHECK(std::bit_cast<std::uint64_t>(kept) ==
              std::bit_cast<std::uint64_t>(one_by_one.number));
        ++compared;
        if (kept > 0) ++held;
      }
    }
  }
  // The structures hold shares, not only zeros.
  CHECK(compared > 10'000);
  CHECK(held > 1'000);
}

TEST_CASE("a walk over the packed links finds what the walk over the graph finds, bit for bit",
          "[chain-shares]") {
  std::mt19937 random(20261206);
  std::size_t owners = 0;
  std::size_t links = 0;
  const auto same_walks = [&](const model::Graph& g) {
    const auto walk = query::ShareWalk::of(g, kAsOf);
    REQUIRE(walk);
    const query::OwnerLinks packed(*walk);
    links += packed.size();
    for (model::VertexId firm = 0; firm < g.entity_count(); ++firm) {
      CHECK(packed.of(firm).size() == g.out_edges(firm, walk->owned_by).size());
      std::vector<query::OwnerShare> from_graph, from_links;
      std::uint64_t walked_graph = 0, walked_links = 0;
      const bool listed_graph = query::chain_shares(*walk, firm, from_graph, walked_graph);
      const bool listed_links = query::chain_shares(packed, firm, from_links, walked_links);
      CAPTURE(firm);
      CHECK(listed_graph == listed_links);
      CHECK(walked_graph == walked_links);
      REQUIRE(from_graph.size() == from_links.size());
      for (std::size_t i = 0; i < from_graph.size(); ++i) {
        CHECK(from_graph[i].owner == from_links[i].owner);
        CHECK(std::bit_cast<std::uint64_t>(from_graph[i].share) ==
              std::bit_cast<std::uint64_t>(from_links[i].share));
      }
      owners += from_links.size();
    }
  };
  for (int round = 0; round < 30; ++round) {
    same_walks(
        *testing::load_registry_text("ownership.json", random_registry(random, 5 + round * 3)));
  }
  // Too many chains to list: both give up after the same holdings.
  same_walks(*testing::load_registry_text("clique.json", clique(12)));
  CHECK(owners > 1'000);
  CHECK(links > 1'000);
}

TEST_CASE("holdings out of force on the date and ranges read as effective_share() reads them",
          "[chain-shares]") {
  const auto g = testing::load_registry_text("dated.json", R"({"format": "twinscan/1",
    "entities": [
      {"id": "gov:cn", "kind": "ForeignGovernment", "name": "State"},
      {"id": "firm:hold", "kind": "Firm", "name": "Holding"},
      {"id": "firm:op", "kind": "Firm", "name": "Operator"}],
    "relations": [
      {"kind": "OWNED_BY", "from": "firm:op", "to": "firm:hold", "share": 0.6},
      {"kind": "OWNED_BY", "from": "firm:op", "to": "gov:cn", "share": 0.2, "until": "2020"},
      {"kind": "OWNED_BY", "from": "firm:hold", "to": "gov:cn", "share_min": 0.5, "share_max": 0.7},
      {"kind": "OWNED_BY", "from": "firm:hold", "to": "gov:cn", "share": 0.4, "since": "2027-01-01"}]})");
  query::ChainShareCache cache(*g, kAsOf);
  const auto shares = cache.of(vertex(*g, "firm:op"));
  REQUIRE(shares);
  REQUIRE(shares->listed());
  CHECK(shares->of(vertex(*g, "firm:hold")) == Approx(0.6));
  CHECK(shares->of(vertex(*g, "gov:cn")) == Approx(0.3));  // 0.6 * 0.5; the rest not in force
  CHECK(shares->of(vertex(*g, "firm:op")) == 0);
  // Every holding looked at counts, held on the date or not: the operator's two and the
  // holding's two. The scan's log reports the sum over the firms kept.
  CHECK(shares->walked() == 4);
  CHECK(cache.usage().walked == 4);
  // A year later the sold stake is still sold and the new one held.
  query::ChainShareCache later(*g, model::Date{2027, 6, 1});
  CHECK(later.of(vertex(*g, "firm:op"))->of(vertex(*g, "gov:cn")) == Approx(0.6 * 0.9));
}

TEST_CASE("a firm with too many chains is left to effective_share(), which bounds it",
          "[chain-shares]") {
  const auto g = testing::load_registry_text("clique.json", clique(12));
  query::ChainShareCache cache(*g, kAsOf);
  const auto shares = cache.of(vertex(*g, "firm:1"));
  REQUIRE(shares);
  CHECK_FALSE(shares->listed());
  CHECK(shares->walked() == query::kListedLinks);
  const auto [with, without] = rows_with_and_without(
      *g, "MATCH (f:Firm), (s:ForeignGovernment) RETURN f.id, effective_share(f, s)",
      query::ChainShareCache::kDefaultCapacity);
  CHECK(with == without);
  REQUIRE(with.size() == 12);
  // Ranges, as the owner-by-owner bounds give them.
  CHECK(std::count_if(with.begin(), with.end(), [](const std::string& row) {
          return row.find("..") != std::string::npos;
        }) >= 10);
}

TEST_CASE("a query reads the same shares with the scan's cache as without, full or not",
          "[chain-shares]") {
  std::mt19937 random(7);
  const auto g = testing::load_registry_text("ownership.json", random_registry(random, 60));
  const std::string text =
      "MATCH (f:Firm)-[:OWNED_BY*1..10]->(o) "
      "RETURN f.id, o.id, effective_share(f, o) ORDER BY f.id, o.id";
  for (const std::size_t capacity : {std::size_t{16}, std::size_t{200}, std::size_t{1} << 20}) {
    CAPTURE(capacity);
    const auto [with, without] = rows_with_and_without(*g, text, capacity);
    CHECK(with.size() > 60);
    CHECK(with == without);
  }
}

TEST_CASE("past its capacity the cache keeps nothing more and walks no more", "[chain-shares]") {
  std::mt19937 random(11);
  const auto g = testing::load_registry_text("ownership.json", random_registry(random, 40));
  // Room for a header and one share.
  query::ChainShareCache cache(*g, kAsOf, 3);
  std::size_t kept = 0;
  for (model::VertexId firm = 0; firm < g->entity_count(); ++firm) {
    if (cache.of(firm)) ++kept;
  }
  CHECK(kept >= 1);
  CHECK(kept < g->entity_count());
  CHECK(cache.usage().firms <= 3);
  cache.release();
  CHECK_FALSE(cache.of(0));
}

TEST_CASE("two threads asking for the same firms read the same shares", "[chain-shares]") {
  std::mt19937 random(3);
  const auto g = testing::load_registry_text("ownership.json", random_registry(random, 200));
  query::ChainShareCache cache(*g, kAsOf);
  // No assertion on the second thread (the test framework's are not thread-safe): a firm
  // not kept shows as -1.
  const auto owners_of = [&](std::vector<double>& out) {
    for (model::VertexId firm = 0; firm < g->entity_count(); ++firm) {
      const auto shares = cache.of(firm);
      for (model::VertexId owner = 0; owner < g->entity_count(); ++owner)
        out.push_back(shares ? shares->of(owner) : -1);
    }
  };
  std::vector<double> first, second;
  std::thread other([&] { owners_of(second); });
  owners_of(first);
  other.join();
  CHECK(std::find(first.begin(), first.end(), -1) == first.end());
  CHECK(first == second);
  // Each firm is kept once, whichever thread walked it first.
  CHECK(cache.usage().firms == g->entity_count());
  query::ChainShareCache alone(*g, kAsOf);
  std::vector<double> single;
  for (model::VertexId firm = 0; firm < g->entity_count(); ++firm) {
    for (model::VertexId owner = 0; owner < g->entity_count(); ++owner)
      single.push_back(alone.of(firm)->of(owner));
  }
  CHECK(single == first);
}

TEST_CASE("a graph without holdings has no shares to keep", "[chain-shares]") {
  const auto g = testing::load_registry_text("none.json", R"({"format": "twinscan/1",
    "entities": [{"id": "firm:a", "kind": "Firm", "name": "A"}], "relations": []})");
  query::ChainShareCache cache(*g, kAsOf);
  CHECK_FALSE(cache.walk());
  CHECK_FALSE(cache.of(0));
  const auto [with, without] =
      rows_with_and_without(*g, "MATCH (f:Firm), (o:Firm) RETURN effective_share(f, o)", 1 << 20);
  CHECK(with == without);
  CHECK(with == std::vector<std::string>{"0.0 | "});
}

TEST_CASE("a run counts a firm's walk up its chains once against its budget", "[chain-shares]") {
  // firm:x is held by 30 holding firms, each held by the state: its walk looks at 60
  // holdings, and the query asks for its share 32 times (once per entity).
  std::string entities = R"({"id": "gov:cn", "kind": "ForeignGovernment", "name": "State"},)"
                         R"({"id": "firm:x", "kind": "Firm", "name": "X"})";
  std::string relations;
  for (int i = 0; i < 30; ++i) {
    const std::string holder = "firm:h" + std::to_string(i);
    entities += R"(,{"id": ")" + holder + R"(", "kind": "Firm", "name": "H"})";
    relations += std::string(relations.empty() ? "" : ",") +
                 R"({"kind": "OWNED_BY", "from": "firm:x", "to": ")" + holder +
                 R"(", "share": 0.03}, {"kind": "OWNED_BY", "from": ")" + holder +
                 R"(", "to": "gov:cn", "share": 1.0})";
  }
  const auto g = testing::load_registry_text(
      "fan.json", R"({"format": "twinscan/1", "entities": [)" + entities + R"(], "relations": [)" +
                      relations + "]}");
  std::vector<query::QueryMessage> messages;
  query::CompileOptions options;
  options.require_return = true;
  const auto compiled =
      query::prepare_query("MATCH (f {id: 'firm:x'}), (o) RETURN o.id, effective_share(f, o)", *g,
                           {}, options, messages);
  REQUIRE(compiled);
  const auto run = [&](std::uint64_t max_expansions) {
    query::ChainShareCache cache(*g, kAsOf);
    query::FunctionContext context{*g, kAsOf};
    context.chain_shares = &cache;
    query::ExecutionLimits limits;
    limits.max_expansions = max_expansions;
    return query::run_query(*g, *compiled, context, limits).rows.size();
  };
  // Counted once: 60 holdings fit a budget of 100; counted 32 times they would not.
  CHECK(run(100) == 32);
  // Counted at all: 60 holdings do not fit in 50.
  CHECK_THROWS_AS(run(50), query::LimitExceeded);
}

}  // namespace twinscan

namespace twinscan {

TEST_CASE("a pair's share among cross-holdings is found once, by whichever thread asks first",
          "[chain-shares]") {
  const auto g = testing::load_registry_text("clique.json", clique(4));
  query::ChainShareCache cache(*g, kAsOf);
  constexpr model::VertexId kPairs = 50;
  std::atomic<int> finds{0};
  std::atomic<int> found_here{0};
  // No assertion on the second thread (the test framework's are not thread-safe).
  const auto ask_all = [&](std::vector<double>& out) {
    for (model::VertexId firm = 0; firm < kPairs; ++firm) {
      bool here = false;
      const auto kept = cache.pair_share(
          firm, 1,
          [&] {
            finds.fetch_add(1);
            return query::ChainShareCache::PairShare{query::Value::of_float(firm / 100.0), firm};
          },
          here);
      if (here) found_here.fetch_add(1);
      out.push_back(kept.share.number);
    }
  };
  std::vector<double> first, second;
  std::thread other([&] { ask_all(second); });
  ask_all(first);
  other.join();
  CHECK(finds.load() == kPairs);
  CHECK(found_here.load() == kPairs);
  CHECK(first == second);
  CHECK(first[7] == 0.07);

  // A find that throws (its run's budget ran out) keeps nothing: the next to ask finds it.
  bool here = false;
  CHECK_THROWS_AS(
      cache.pair_share(
          100, 1,
          []() -> query::ChainShareCache::PairShare { throw query::LimitExceeded("budget"); },
          here),
      query::LimitExceeded);
  const auto found = cache.pair_share(
      100, 1,
      [] {
        return query::ChainShareCache::PairShare{query::Value::of_float(0.5), 9};
      },
      here);
  CHECK(here);
  CHECK(found.share.number == 0.5);
  CHECK(found.walked == 9);
  cache.pair_share(
      100, 1, [] { return query::ChainShareCache::PairShare{}; }, here);
  CHECK_FALSE(here);
  // Released: nothing more is kept, each ask finds its own.
  cache.release();
  cache.pair_share(
      200, 1, [] { return query::ChainShareCache::PairShare{}; }, here);
  CHECK(here);
  cache.pair_share(
      200, 1, [] { return query::ChainShareCache::PairShare{}; }, here);
  CHECK(here);
}

TEST_CASE("a run that reads a pair's share another run found is charged as though it found it",
          "[chain-shares]") {
  // Firms of a clique have too many chains to list: their shares are found pair by pair
  // and kept for the scan. A run's budget must run out at the same count whether the
  // pairs are found by it or read from an earlier run, and the rows must be the same.
  const auto g = testing::load_registry_text("clique.json", clique(9));
  std::vector<query::QueryMessage> messages;
  query::CompileOptions options;
  options.require_return = true;
  const auto compiled = query::prepare_query(
      "MATCH (f:Firm), (s:ForeignGovernment) RETURN f.id, effective_share(f, s)", *g, {}, options,
      messages);
  REQUIRE(compiled);
  const auto run = [&](query::ChainShareCache& cache, std::uint64_t max_expansions) {
    query::FunctionContext context{*g, kAsOf};
    context.chain_shares = &cache;
    query::ExecutionLimits limits;
    limits.max_expansions = max_expansions;
    return query::run_query(*g, *compiled, context, limits);
  };
  const auto passes_fresh = [&](std::uint64_t max_expansions) {
    query::ChainShareCache cache(*g, kAsOf);
    try {
      run(cache, max_expansions);
      return true;
    } catch (const query::LimitExceeded&) {
      return false;
    }
  };
  // The least budget a run finding every pair itself passes.
  std::uint64_t low = 1, high = std::uint64_t{1} << 26;
  REQUIRE(passes_fresh(high));
  while (low < high) {
    const std::uint64_t mid = low + (high - low) / 2;
    if (passes_fresh(mid)) {
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  const std::uint64_t least = low;
  CHECK(least > query::kListedLinks);

  query::ChainShareCache warm(*g, kAsOf);
  const auto found = run(warm, std::uint64_t{1} << 26);
  const auto again = run(warm, least);  // every pair read from the first run
  CHECK(again.rows.size() == found.rows.size());
  for (std::size_t i = 0; i < found.rows.size(); ++i) {
    CHECK(query::to_display(*g, again.rows[i][1]) == query::to_display(*g, found.rows[i][1]));
  }
  CHECK_THROWS_AS(run(warm, least - 1), query::LimitExceeded);
}

}  // namespace twinscan
