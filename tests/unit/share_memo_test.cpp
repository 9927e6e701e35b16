// The memo of shares one scan keeps for all its rules: it gives back what was put in,
// keeps to its size, and a run that takes another run's answers counts the walk behind
// them as its own, so that where a budget stops a rule does not depend on which rule
// asked first.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>

#include "analyzer/query/executor.h"
#include "analyzer/query/planner.h"
#include "analyzer/query/share_memo.h"
#include "tests/unit/clique_registry.h"
#include "tests/unit/query_rows.h"

namespace twinscan {
namespace {

using query::ShareMemo;

// Each firm's share of the state, twice over (a rule asks again when it words a finding).
constexpr const char* kShares =
    "MATCH (f:Firm), (s:ForeignGovernment) "
    "RETURN f.id, effective_share(f, s), effective_share(f, s) >= 0.1";

struct Run {
  std::vector<std::string> rows;
  std::uint64_t walked = 0;
};

// Runs kShares with the memo `shares` (or none) and the budget `max_expansions`; throws
// query::LimitExceeded past the budget.
Run run(const model::Graph& graph, ShareMemo* shares, std::uint64_t max_expansions = UINT64_MAX) {
  std::vector<query::QueryMessage> messages;
  query::CompileOptions options;
  options.require_return = true;
  const auto compiled = query::prepare_query(kShares, graph, {}, options, messages);
  REQUIRE(compiled);
  query::FunctionContext context{graph, model::Date{2026, 11, 22}};
  context.shares = shares;
  query::ExecutionLimits limits;
  limits.max_expansions = max_expansions;
  query::Executor executor(graph, *compiled, context, limits);
  Run out;
  executor.match([&](const std::vector<query::Value>& /*frame*/) {
    std::string row;
    for (const auto& item : compiled->returns->items) {
      row += query::to_display(graph, executor.evaluate(*item)) + " | ";
    }
    out.rows.push_back(row);
    return true;
  });
  out.walked = executor.expansions();
  return out;
}

}  // namespace

TEST_CASE("the memo of shares gives back each answer it was given", "[share-memo]") {
  ShareMemo memo;
  std::map<std::uint64_t, ShareMemo::Answer> expected;
  std::mt19937_64 random(7);
  for (int i = 0; i < 100'000; ++i) {
    // Pairs of small vertex ids, as the function's keys are, and a few at the extremes.
    const std::uint64_t key = i < 3 ? std::uint64_t{0} - static_cast<std::uint64_t>(i)
                                    : (random() % 50'000) << 32 | (random() % 50'000);
    const ShareMemo::Answer answer{static_cast<double>(i) / 100'000, 1.0, i % 3 == 0,
                                   static_cast<std::uint32_t>(i)};
    memo.remember(key, answer);
    expected.try_emplace(key, answer);  // the first answer for a key stays
  }
  CHECK(memo.size() == expected.size());
  for (const auto& [key, answer] : expected) {
    const auto found = memo.find(key);
    REQUIRE(found);
    CHECK(found->lower == answer.lower);
    CHECK(found->upper == answer.upper);
    CHECK(found->bounds == answer.bounds);
    CHECK(found->walked == answer.walked);
  }
  CHECK_FALSE(memo.find(std::uint64_t{123'456} << 32 | 654'321));
  CHECK_FALSE(ShareMemo().find(0));
}

TEST_CASE("the memo of shares keeps to its size", "[share-memo]") {
  ShareMemo memo;
  const std::size_t offered = ShareMemo::kMaxAnswers + ShareMemo::kMaxAnswers / 2;
  for (std::uint64_t key = 1; key <= offered; ++key) memo.remember(key, {0.5, 0.5, false, 1});
  CHECK(memo.size() <= ShareMemo::kMaxAnswers);
  CHECK(memo.size() > ShareMemo::kMaxAnswers * 9 / 10);
  std::size_t found = 0;
  for (std::uint64_t key = 1; key <= offered; ++key) found += memo.find(key) ? 1 : 0;
  CHECK(found == memo.size());
}

TEST_CASE("a run counts each answer it takes once", "[share-memo]") {
  query::SharesTaken taken;
  CHECK(taken.take(0));  // the key whose mix is 0
  CHECK_FALSE(taken.take(0));
  for (std::uint64_t key = 1; key <= 10'000; ++key) CHECK(taken.take(key << 32 | key));
  for (std::uint64_t key = 1; key <= 10'000; ++key) CHECK_FALSE(taken.take(key << 32 | key));
  CHECK(taken.taken(5ULL << 32 | 5));
  CHECK_FALSE(taken.taken(5ULL << 32 | 6));
  CHECK(taken.size() == 10'000);
  taken.clear();
  CHECK_FALSE(taken.taken(0));
  CHECK(taken.take(5ULL << 32 | 5));
}

TEST_CASE("a run that takes another's answers walks as far as one that finds them",
          "[share-memo]") {
  const auto g = testing::load_registry_text("clique.json", testing::clique_registry(9, 0.2));
  const Run alone = run(*g, nullptr);
  REQUIRE(alone.rows.size() == 9);
  REQUIRE(alone.walked > 1000);  // the shares took walking to find

  ShareMemo memo;
  const Run first = run(*g, &memo);
  CHECK(memo.size() == 9);
  const Run second = run(*g, &memo);  // every answer from the memo
  CHECK(first.rows == alone.rows);
  CHECK(second.rows == alone.rows);
  CHECK(first.walked == alone.walked);
  CHECK(second.walked == alone.walked);

  // A budget stops the run that takes the answers where it stops the one that finds them.
  CHECK_THROWS_AS(run(*g, nullptr, alone.walked - 1), query::LimitExceeded);
  CHECK_THROWS_AS(run(*g, &memo, alone.walked - 1), query::LimitExceeded);
  CHECK(run(*g, &memo, alone.walked).walked == alone.walked);
}

}  // namespace twinscan
