// Walks up ownership chains read from the chain shares a run keeps (Step::owner_share_floor): a
// walk `(f)-[:OWNED_BY*1..10]->(o)` that a later filter keeps only at
// effective_share(f, o) of at least a positive number finds its far ends among the owners
// the run listed for f, rather than walking. The plan marks only the walks where that
// finds every far end the filter can keep; a run finds the same rows either way, on
// ownership structures of every shape, and walks when the run keeps no shares for a firm.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "analyzer/query/chain_share_cache.h"
#include "analyzer/query/reach_cache.h"
#include "tests/unit/query_rows.h"

namespace twinscan {
namespace {

constexpr model::Date kAsOf{2026, 11, 22};

// `firms` firms, 3 governments and 2 cities (of two countries, as every third firm is),
// each firm held by up to four holders (cycles among firms), some links stated twice, out
// of force on kAsOf, with a range only, a share of 0 or no share at all; chains up to
// twelve links long, past the ten a share follows.
std::string ownership_registry(std::mt19937& random, int firms) {
  std::string entities;
  std::string relations;
  const auto add_entity = [&](const std::string& id, const char* kind, int country) {
    const std::string country_member =
        country < 0 ? "" : R"(, "country": ")" + std::string(country == 0 ? "CN" : "RU") + "\"";
    entities += std::string(entities.empty() ? "" : ",") + R"({"id": ")" + id + R"(", "kind": ")" +
                kind + R"(", "name": ")" + id + "\"" + country_member + "}";
  };
  const auto add_link = [&](const std::string& from, const std::string& to, std::string props) {
    relations += std::string(relations.empty() ? "" : ",") + R"({"kind": "OWNED_BY", "from": ")" +
                 from + R"(", "to": ")" + to + "\"" + props + "}";
  };
  for (int g = 0; g < 3; ++g) add_entity("gov:" + std::to_string(g), "ForeignGovernment", g % 2);
  for (int c = 0; c < 2; ++c) add_entity("city:" + std::to_string(c), "ForeignCity", c);
  for (int f = 0; f < firms; ++f) {
    add_entity("firm:" + std::to_string(f), "Firm", f % 3 == 0 ? f % 2 : -1);
  }
  std::uniform_int_distribution<int> holders(0, 4);
  std::uniform_int_distribution<int> holder(0, firms + 4);
  std::uniform_int_distribution<int> percent(1, 99);
  std::uniform_int_distribution<int> shape(0, 11);
  const auto holder_id = [&](int k) {
    return k < 3   ? "gov:" + std::to_string(k)
           : k < 5 ? "city:" + std::to_string(k - 3)
                   : "firm:" + std::to_string(k - 5);
  };
  for (int f = 0; f < firms; ++f) {
    const int count = holders(random);
    for (int h = 0; h < count; ++h) {
      const std::string from = "firm:" + std::to_string(f);
      const std::string to = holder_id(holder(random));
      const std::string share = "0." + std::to_string(percent(random));
      const int s = shape(random);
      std::string props = s == 0   ? R"(, "share_min": )" + share + R"(, "share_max": 0.99)"
                          : s == 5 ? std::string()  // a holding of unknown size
                          : s == 6 ? R"(, "share": 0)"
                                   : R"(, "share": )" + share;
      if (s == 1) props += R"(, "until": "2020-01-01")";
      if (s == 2) props += R"(, "since": "2030-01-01")";
      if (s == 3) props += R"(, "since": "2026-11")";
      add_link(from, to, props);
      if (s == 4) add_link(from, to, props);
    }
  }
  // A line of twelve firms held whole, one by the next, the last by gov:0: the state's
  // share of the first lies past the ten links a chain follows.
  for (int i = 0; i < 12; ++i) add_entity("line:" + std::to_string(i), "Firm", -1);
  for (int i = 0; i < 11; ++i) {
    add_link("line:" + std::to_string(i), "line:" + std::to_string(i + 1), R"(, "share": 1.0)");
  }
  add_link("line:11", "gov:0", R"(, "share": 1.0)");
  return R"({"format": "twinscan/1", "entities": [)" + entities + R"(], "relations": [)" +
         relations + "]}";
}

struct Run {
  std::vector<std::string> rows;
  query::ReachCache::Usage reaches;
};

// The rows of `text`, run as a scan or `twinscan query` runs it (with caches of shares and
// reaches, the shares' room `capacity` words), or with no caches.
Run run(const model::Graph& graph, const std::string& text, bool with_caches,
        std::size_t capacity = query::ChainShareCache::kDefaultCapacity) {
  std::vector<query::QueryMessage> messages;
  query::CompileOptions options;
  options.require_return = true;
  const auto compiled = query::prepare_query(text, graph, {}, options, messages);
  REQUIRE(compiled);
  query::ChainShareCache shares(graph, kAsOf, capacity);
  query::ReachCache reaches(graph.entity_count());
  query::FunctionContext context{graph, kAsOf};
  if (with_caches) {
    context.chain_shares = &shares;
    context.reaches = &reaches;
  }
  Run out;
  for (const auto& values : query::run_query(graph, *compiled, context).rows) {
    std::string line;
    for (const auto& v : values) line += query::to_display(graph, v) + " | ";
    out.rows.push_back(line);
  }
  out.reaches = reaches.usage();
  return out;
}

const char* const kMarked = "[owners read from its chain shares, at";

}  // namespace

TEST_CASE("a walk up ownership chains is read from the chain shares only where that finds all",
          "[owner-shares]") {
  std::mt19937 random(5);
  const auto g = testing::load_registry_text("ownership.json", ownership_registry(random, 30));
  const auto marked = [&](const std::string& text) {
    CAPTURE(text);
    return testing::query_plan(*g, text).find(kMarked) != std::string::npos;
  };
  // A positive floor, either way round; a strict comparison with 0; inside EXISTS.
  CHECK(
      marked("MATCH (f:Firm)-[:OWNED_BY*1..10]->(o) WHERE effective_share(f, o) >= 0.25 "
             "RETURN DISTINCT f.id, o.id"));
  CHECK(
      marked("MATCH (f:Firm)-[:OWNED_BY*1..12]->(o) WHERE 0.5 <= effective_share(f, o) "
             "RETURN DISTINCT f.id, o.id"));
  CHECK(
      marked("MATCH (f:Firm)-[:OWNED_BY*..10]->(o) WHERE effective_share(f, o) > 0 "
             "RETURN DISTINCT f.id, o.id"));
  CHECK(
      marked("MATCH (f:Firm) WHERE EXISTS { (f)-[:OWNED_BY*1..10]->(o:ForeignGovernment) "
             "WHERE effective_share(f, o) >= 0.3 } RETURN f.id"));
  // The floor is shown as written.
  CHECK(testing::query_plan(*g,
                            "MATCH (f:Firm)-[:OWNED_BY*1..10]->(o) "
                            "WHERE effective_share(f, o) >= 0.3333333333 "
                            "RETURN DISTINCT f.id, o.id")
            .find("at 0.3333333333 or more]") != std::string::npos);
  // A floor of 0 keeps owners without a chain; a bound from above keeps them too.
  CHECK_FALSE(
      marked("MATCH (f:Firm)-[:OWNED_BY*1..10]->(o) WHERE effective_share(f, o) >= 0 "
             "RETURN DISTINCT f.id, o.id"));
  CHECK_FALSE(
      marked("MATCH (f:Firm)-[:OWNED_BY*1..10]->(o) WHERE effective_share(f, o) < 0.5 "
             "RETURN DISTINCT f.id, o.id"));
  // Fewer hops than a chain's links, or not from the first: owners the shares list lie
  // outside the walk.
  CHECK_FALSE(
      marked("MATCH (f:Firm)-[:OWNED_BY*1..9]->(o) WHERE effective_share(f, o) >= 0.25 "
             "RETURN DISTINCT f.id, o.id"));
  CHECK_FALSE(
      marked("MATCH (f:Firm)-[:OWNED_BY*2..10]->(o) WHERE effective_share(f, o) >= 0.25 "
             "RETURN DISTINCT f.id, o.id"));
  // Every path matched (no DISTINCT), another relation kind, the share of other entities,
  // a floor that is not a number known before the run.
  CHECK_FALSE(
      marked("MATCH (f:Firm)-[:OWNED_BY*1..10]->(o) WHERE effective_share(f, o) >= 0.25 "
             "RETURN f.id, o.id"));
  CHECK_FALSE(
      marked("MATCH (f:Firm)-[:OWNED_BY|CONTROLLED_BY*1..10]->(o) "
             "WHERE effective_share(f, o) >= 0.25 RETURN DISTINCT f.id, o.id"));
  CHECK_FALSE(
      marked("MATCH (f:Firm)-[:OWNED_BY*1..10]->(o) WHERE effective_share(o, f) >= 0.25 "
             "RETURN DISTINCT f.id, o.id"));
  CHECK_FALSE(
      marked("MATCH (f:Firm)-[:OWNED_BY*1..10]->(o) "
             "WHERE effective_share(f, o) >= size(f.name) / 100.0 RETURN DISTINCT f.id, o.id"));
  // Walked down from the owner: the shares are listed by firm, not by owner.
  CHECK_FALSE(
      marked("MATCH (o:ForeignGovernment {name: 'gov:0'}) "
             "MATCH (f:Firm)-[:OWNED_BY*1..10]->(o) WHERE effective_share(f, o) >= 0.25 "
             "RETURN DISTINCT f.id, o.id"));
}

TEST_CASE("owners read from the chain shares are the owners a walk finds", "[owner-shares]") {
  const std::vector<std::string> queries = {
      "MATCH (f:Firm)-[:OWNED_BY*1..10]->(o) WHERE effective_share(f, o) >= 0.25 "
      "RETURN DISTINCT f.id, o.id, effective_share(f, o) ORDER BY f.id, o.id",
      "MATCH (f:Firm)-[:OWNED_BY*1..12]->(o:ForeignGovernment|ForeignCity) "
      "WHERE effective_share(f, o) > 0 RETURN DISTINCT f.id, o.id ORDER BY f.id, o.id",
      "MATCH (f:Firm)-[:OWNED_BY*1..10]->(o:Firm) WHERE 0.5 <= effective_share(f, o) "
      "AND o.name <> 'firm:3' RETURN DISTINCT f.id, o.id ORDER BY f.id, o.id",
      "MATCH (f:Firm) WHERE EXISTS { (f)-[:OWNED_BY*1..10]->(o:ForeignGovernment) "
      "WHERE effective_share(f, o) >= 0.3 } RETURN f.id ORDER BY f.id",
      "MATCH (f:Firm) RETURN f.id, COUNT { (f)-[:OWNED_BY*1..10]->(o) "
      "WHERE effective_share(f, o) >= 0.1 } AS n ORDER BY f.id",
      // Whole floors: one, and one that no share reaches.
      "MATCH (f:Firm)-[:OWNED_BY*1..10]->(o) WHERE effective_share(f, o) >= 1 "
      "RETURN DISTINCT f.id, o.id ORDER BY f.id, o.id",
      "MATCH (f:Firm) WHERE NOT EXISTS { (f)-[:OWNED_BY*1..10]->(o) "
      "WHERE effective_share(f, o) >= 2 } RETURN f.id ORDER BY f.id",
      // An optional walk, and an EXISTS answered by the countries of its owners.
      "MATCH (f:Firm) OPTIONAL MATCH (f)-[:OWNED_BY*1..10]->(o:ForeignGovernment) "
      "WHERE effective_share(f, o) >= 0.2 RETURN DISTINCT f.id, o.id ORDER BY f.id, o.id",
      "MATCH (f:Firm), (c:ForeignCity) WHERE EXISTS { (f)-[:OWNED_BY*1..10]->(o) "
      "WHERE o.country = c.country AND effective_share(f, o) >= 0.2 } "
      "RETURN f.id, c.id ORDER BY f.id, c.id",
  };
  for (const unsigned seed : {1U, 2U, 3U, 4U}) {
    std::mt19937 random(seed);
    const auto g = testing::load_registry_text("ownership.json", ownership_registry(random, 80));
    for (const std::string& text : queries) {
      CAPTURE(seed, text);
      const Run walked = run(*g, text, false);
      const Run read = run(*g, text, true);
      CHECK(read.rows == walked.rows);
      CHECK_FALSE(walked.rows.empty());
    }
  }
}

TEST_CASE("a firm whose shares the run does not keep is walked", "[owner-shares]") {
  std::mt19937 random(9);
  const auto g = testing::load_registry_text("ownership.json", ownership_registry(random, 80));
  const std::string text =
      "MATCH (f:Firm)-[:OWNED_BY*1..10]->(o) WHERE effective_share(f, o) >= 0.25 "
      "RETURN DISTINCT f.id, o.id ORDER BY f.id, o.id";
  const Run walked = run(*g, text, false);
  // With room for every firm's shares, no reach is walked; with room for a few (a header
  // and a share), the others are walked, and their reaches kept.
  const Run read = run(*g, text, true);
  CHECK(read.rows == walked.rows);
  CHECK(read.reaches.reaches == 0);
  const Run full = run(*g, text, true, 3);
  CHECK(full.rows == walked.rows);
  CHECK(full.reaches.reaches > 0);
  // The line of twelve: gov:0 holds line:2 whole through ten links; line:1 and line:0
  // through eleven and twelve, which no chain follows.
  const auto held = std::count_if(walked.rows.begin(), walked.rows.end(), [](const auto& row) {
    return row.rfind("line:", 0) == 0 && row.find("gov:0") != std::string::npos;
  });
  CHECK(held == 10);
}

TEST_CASE("a firm whose chains are too many to list is walked", "[owner-shares]") {
  // Twelve firms each holding 5% of every other, firm:0 also held half by the state: more
  // chains from each firm than the shares list, so effective_share() bounds them instead.
  std::string entities = R"({"id": "gov:cn", "kind": "ForeignGovernment", "name": "State"})";
  std::string relations = R"({"kind": "OWNED_BY", "from": "firm:0", "to": "gov:cn", "share": 0.5})";
  for (int i = 0; i < 12; ++i) {
    const std::string firm = "firm:" + std::to_string(i);
    entities += R"(, {"id": ")" + firm + R"(", "kind": "Firm", "name": ")" + firm + "\"}";
    for (int j = 0; j < 12; ++j) {
      if (i == j) continue;
      relations += R"(, {"kind": "OWNED_BY", "from": ")" + firm + R"(", "to": "firm:)" +
                   std::to_string(j) + R"(", "share": 0.05})";
    }
  }
  const auto g = testing::load_registry_text(
      "cross.json", R"({"format": "twinscan/1", "entities": [)" + entities +
                        R"(], "relations": [)" + relations + "]}");
  const std::string text =
      "MATCH (f:Firm) WHERE EXISTS { (f)-[:OWNED_BY*1..10]->(o:ForeignGovernment) "
      "WHERE effective_share(f, o) >= 0.02 } RETURN f.id ORDER BY f.id";
  REQUIRE(testing::query_plan(*g, text).find(kMarked) != std::string::npos);
  const Run walked = run(*g, text, false);
  const Run read = run(*g, text, true);
  CHECK(read.rows == walked.rows);
  CHECK_FALSE(walked.rows.empty());
  CHECK(read.reaches.reaches > 0);  // walked, not read
}

namespace {

// `firms` firms and two governments: gov:0 holds the first firm of a line in which each
// firm holds 60% of the next, `held` firms long; the other firms are held by gov:1 apart
// from all but `also_held` of them, which nobody holds. The first firm bids on each of
// `projects` projects.
std::string line_registry(int firms, int held, int also_held, int projects = 0) {
  std::string entities = R"({"id": "gov:0", "kind": "ForeignGovernment", "name": "gov:0"},)"
                         R"({"id": "gov:1", "kind": "ForeignGovernment", "name": "gov:1"})";
  std::string relations;
  const auto link = [&](const std::string& from, const std::string& to) {
    relations += std::string(relations.empty() ? "" : ",") + R"({"kind": "OWNED_BY", "from": ")" +
                 from + R"(", "to": ")" + to + R"(", "share": 0.6})";
  };
  for (int f = 0; f < firms; ++f) {
    const std::string id = "firm:" + std::to_string(f);
    entities += R"(,{"id": ")" + id + R"(", "kind": "Firm", "name": ")" + id + "\"}";
    if (f == 0) link(id, "gov:0");
    if (f > 0 && f < held) link(id, "firm:" + std::to_string(f - 1));
    if (f >= held && f < held + also_held) link(id, "gov:1");
  }
  for (int p = 0; p < projects; ++p) {
    const std::string id = "proj:" + std::to_string(p);
    entities += R"(,{"id": ")" + id + R"(", "kind": "Project", "name": ")" + id + "\"}";
    relations += R"(,{"kind": "BIDDER_ON", "from": "firm:0", "to": ")" + id + "\"}";
  }
  return R"({"format": "twinscan/1", "entities": [)" + entities + R"(], "relations": [)" +
         relations + "]}";
}

// A line_registry() and whether the plan starts at its firms.
struct Shape {
  int held;
  int also_held;
  bool firms_first;
};

}  // namespace

TEST_CASE("a walk up ownership chains starts at the firms where walking down meets as many",
          "[owner-shares]") {
  const std::string text =
      "MATCH (f:Firm)-[:OWNED_BY*1..10]->(g:ForeignGovernment) "
      "WHERE effective_share(f, g) >= 0.05 RETURN DISTINCT f.id, g.id ORDER BY f.id, g.id";
  // Fewer governments than firms: planned alone, the governments go first.
  // 60 firms: ten down the line and 50 held by gov:1 (every firm met walking down); the
  // line alone (ten in 60); the line and 30 more (40 in 60, under three quarters).
  for (const Shape shape : {Shape{10, 50, true}, Shape{10, 0, false}, Shape{10, 30, false}}) {
    CAPTURE(shape.held, shape.also_held);
    const auto g =
        testing::load_registry_text("line.json", line_registry(60, shape.held, shape.also_held));
    const std::string plan = testing::query_plan(*g, text);
    CAPTURE(plan);
    CHECK((plan.rfind("1. scan f over Firm", 0) == 0) == shape.firms_first);
    CHECK((plan.find(kMarked) != std::string::npos) == shape.firms_first);
    // Either way, the rows a walk finds: 0.6 held down five links is 0.078, six 0.047.
    const Run walked = run(*g, text, false);
    const Run read = run(*g, text, true);
    CHECK(read.rows == walked.rows);
    CHECK(walked.rows.size() == static_cast<std::size_t>(5 + shape.also_held));
  }
}

TEST_CASE("a walk up ownership chains finds the same pairs from either end", "[owner-shares]") {
  // The planner's start, the firms or the owners, is forced by a WITH; the rows are
  // those of the plain query whichever it chose.
  const std::string condition =
      "WHERE effective_share(f, g) >= 0.2 RETURN DISTINCT f.id, g.id ORDER BY f.id, g.id";
  const std::string plain =
      "MATCH (f:Firm)-[:OWNED_BY*1..10]->(g:ForeignGovernment|ForeignCity) " + condition;
  const std::string firms_first =
      "MATCH (f:Firm) WITH f MATCH (f)-[:OWNED_BY*1..10]->(g:ForeignGovernment|ForeignCity) " +
      condition;
  const std::string owners_first =
      "MATCH (g:ForeignGovernment|ForeignCity) WITH g MATCH (f:Firm)-[:OWNED_BY*1..10]->(g) " +
      condition;
  for (const unsigned seed : {11U, 12U, 13U}) {
    std::mt19937 random(seed);
    const auto g = testing::load_registry_text("ownership.json", ownership_registry(random, 80));
    CAPTURE(seed);
    const Run expected = run(*g, plain, false);
    CHECK_FALSE(expected.rows.empty());
    // The second stage of each: walked up from the firm and read from its shares, or
    // walked down from the owner.
    CHECK(testing::query_plan(*g, firms_first).find(kMarked) != std::string::npos);
    CHECK(testing::query_plan(*g, owners_first).find("expand g <-[OWNED_BY*1..10]- f") !=
          std::string::npos);
    for (const std::string& text : {plain, firms_first, owners_first}) {
      CAPTURE(text);
      CHECK(run(*g, text, true).rows == expected.rows);
      CHECK(run(*g, text, false).rows == expected.rows);
    }
  }
  for (const Shape shape : {Shape{10, 50, true}, Shape{10, 0, false}}) {
    const auto g =
        testing::load_registry_text("line.json", line_registry(60, shape.held, shape.also_held));
    CAPTURE(shape.also_held);
    const Run expected = run(*g, plain, false);
    CHECK(run(*g, firms_first, true).rows == expected.rows);
    CHECK(run(*g, owners_first, true).rows == expected.rows);
  }
}

TEST_CASE("the firms go first only where no other start is rarer, whichever way it is written",
          "[owner-shares]") {
  const auto first_step = [](const model::Graph& graph, const std::string& text) {
    const std::string plan = testing::query_plan(graph, text);
    return plan.substr(0, plan.find('\n'));
  };
  const std::string share = " WHERE effective_share(f, g) >= 0.05 ";
  // 600 firms, all but ten held by gov:1: past the 256 sampled.
  const auto hub = testing::load_registry_text("line.json", line_registry(600, 10, 590, 3));
  // Written right to left.
  CHECK(first_step(*hub, "MATCH (g:ForeignGovernment)<-[:OWNED_BY*1..10]-(f:Firm)" + share +
                             "RETURN DISTINCT f.id, g.id") == "1. scan f over Firm   ~600 rows");
  // Three projects, rarer than the firms: the governments, rarer still, stay first.
  const std::string with_projects =
      "MATCH (p:Project)<-[:BIDDER_ON]-(f:Firm)-[:OWNED_BY*1..10]->(g:ForeignGovernment)" + share +
      "RETURN DISTINCT p.id, f.id, g.id ORDER BY p.id, f.id, g.id";
  CHECK(first_step(*hub, with_projects) == "1. scan g over ForeignGovernment   ~2 rows");
  // One government looked up by its id: walked down from it.
  CHECK(first_step(*hub, "MATCH (f:Firm)-[:OWNED_BY*1..10]->(g:ForeignGovernment)" + share +
                             "AND g.id = 'gov:1' RETURN DISTINCT f.id") ==
        "1. look up g by id   ~1 rows");
  // The rows are the walk's all the same: firm:0 bids on the three, held by gov:0.
  const Run walked = run(*hub, with_projects, false);
  CHECK(run(*hub, with_projects, true).rows == walked.rows);
  CHECK(walked.rows.size() == 3);
}

}  // namespace twinscan
