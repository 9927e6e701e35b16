// Differential test of the query engine: random small registries and random queries
// (written as query text), run through query::prepare_query and query::run_query and
// compared, as multisets of rows, with a brute-force matcher written here from the
// documented semantics alone. The brute force knows nothing of plans, adjacency or
// slots: it walks the pattern in written order, tries every entity for a new node
// variable and every relation for a relation element, and keeps what satisfies the
// semantics:
//
// - A node pattern matches an entity of one of its kinds (any when none) whose
//   properties equal the listed ones; a variable written twice is one entity.
// - A fixed relation element matches one relation of one of its types (any when none):
//   `-[]->` left to right, `<-[]-` right to left, `-[]-` either way; a self-loop matches
//   an undirected element once.
// - `*a..b` (a may be 0; no upper bound means 8) matches k relations, a <= k <= b, each
//   of an allowed type and orientation, forming a simple path: no entity twice, its two
//   ends included (k = 0: left and right are one entity).
// - Within one MATCH clause every relation element, and every relation inside a
//   variable-length one, binds a different relation; across clauses, and between a
//   query and its EXISTS subqueries, relations may repeat.
// - WHERE keeps a row only when the condition is true (three-valued logic). EXISTS is
//   true when some assignment of its own new elements matches with the outer ones fixed.
// - The result is a multiset: one row per assignment of all elements.
// - The clauses after the leading MATCH clauses are checked against those rows: WITH
//   groups them by its other items (count(*) is the rows of a group), WITH DISTINCT
//   keeps one of each, WHERE after WITH filters the groups, collect then UNWIND gives
//   the column back, a MATCH after WITH is the same match with its variables bound,
//   and OPTIONAL MATCH gives each entity its rows or one row of nulls.
//
// Set TWINSCAN_DIFF_SEED to change the seed, TWINSCAN_DIFF_GRAPHS to change the number
// of registries, TWINSCAN_DIFF_MAX_WALKS to cap the variable-length elements of a query
// (1 keeps walks from nesting, which tells their bugs from others), TWINSCAN_DIFF_VERBOSE
// to print a summary, and TWINSCAN_DIFF_DUMP to print every query with its outcome (0 same,
// 1 different, 2 too big for the brute force, 3 engine over budget), rows and brute-force
// steps.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/model/graph.h"
#include "analyzer/query/executor.h"
#include "analyzer/query/projection.h"
#include "analyzer/query/query_engine.h"
#include "random_registry.h"

namespace {

using twinscan::model::Graph;
using twinscan::testing::RandomRegistry;
using twinscan::testing::RandomRelation;
using twinscan::testing::RegistryShape;
using twinscan::testing::Rng;
namespace query = twinscan::query;

using Row = std::vector<std::string>;
using Rows = std::vector<Row>;

// ---------------------------------------------------------------------------
// Loading

std::shared_ptr<const twinscan::model::Schema> builtin_schema() {
  static const std::shared_ptr<const twinscan::model::Schema> schema = [] {
    twinscan::diag::Diagnostics diagnostics;
    bool missing = false;
    auto s = twinscan::io::load_schema({}, diagnostics, missing);
    REQUIRE(s);
    return s;
  }();
  return schema;
}

/// The registry as a graph; fails the test when the loader rejects it.
std::shared_ptr<const Graph> load_graph(const RandomRegistry& reg) {
  twinscan::diag::Diagnostics diagnostics;
  twinscan::io::RegistryLoader loader(builtin_schema(), diagnostics);
  const std::string text = reg.to_json();
  loader.add_source(twinscan::diag::SourceText("random.json", text));
  auto graph = loader.finish();
  if (!graph) {
    std::string errors;
    for (const auto& d : diagnostics.all()) errors += d.to_string() + "\n";
    FAIL("the random registry does not load:\n" << errors << text);
  }
  return graph;
}

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  return std::strtoull(text, nullptr, 10);
}

// ---------------------------------------------------------------------------
// The random query: a small tree of our own, rendered to query text.

enum class Dir { kOut, kIn, kBoth };

/// A value of the brute force's evaluator.
struct Val {
  enum class T { kNull, kBool, kNum, kStr, kNode } t = T::kNull;
  bool b = false;
  double n = 0;
  std::string s;
  int node = -1;

  static Val null() { return {}; }
  static Val of_bool(bool x) {
    Val v;
    v.t = T::kBool;
    v.b = x;
    return v;
  }
  static Val of_num(double x) {
    Val v;
    v.t = T::kNum;
    v.n = x;
    return v;
  }
  static Val of_str(std::string x) {
    Val v;
    v.t = T::kStr;
    v.s = std::move(x);
    return v;
  }
  static Val of_node(int x) {
    Val v;
    v.t = T::kNode;
    v.node = x;
    return v;
  }
};

struct Expr;
using ExprP = std::shared_ptr<const Expr>;
struct QExists;

struct QNode {
  int var = -1;  ///< Index into QQuery::node_names.
  std::vector<std::string> kinds;
  std::vector<std::pair<std::string, ExprP>> props;
};

struct QRel {
  int id = -1;  ///< Index into QQuery::rel_names.
  std::vector<std::string> types;
  Dir dir = Dir::kBoth;
  bool var_length = false;
  int min_hops = 1;
  int max_hops = 1;
  std::string hops_text;  ///< `*1..3` as written.
  std::optional<double> share;
  bool short_form = false;  ///< `-->` rather than `-[]->`.
};

struct QPattern {
  std::vector<QNode> nodes;
  std::vector<QRel> rels;
};

struct QExists {
  std::vector<QPattern> patterns;
  ExprP where;
  bool match_keyword = false;
};

struct Expr {
  enum class K {
    kLit,        ///< lit
    kNodeProp,   ///< var.key
    kRelProp,    ///< rel var (var).key
    kNodeRef,    ///< var
    kType,       ///< type(rel var)
    kSize,       ///< size(variable-length rel var)
    kCmp,        ///< kids[0] op kids[1]
    kIsNull,     ///< kids[0] IS NULL
    kIsNotNull,  ///< kids[0] IS NOT NULL
    kIn,         ///< kids[0] IN [kids[1..]]
    kAnd,
    kOr,
    kXor,
    kNot,
    kExists,  ///< exists
  };
  K k = K::kLit;
  Val lit;
  int var = -1;
  std::string key;
  std::string op;
  std::vector<ExprP> kids;
  std::shared_ptr<const QExists> exists;
  bool parens = false;  ///< Redundant parentheses around it.
};

struct QMatch {
  std::vector<QPattern> patterns;
  ExprP where;
};

struct QQuery {
  std::vector<std::string> node_names;  ///< Per node element; empty when anonymous.
  std::vector<std::string> rel_names;   ///< Per relation element; empty when anonymous.
  std::vector<QMatch> matches;
  std::vector<int> returned;  ///< Node variables of RETURN, in order.
};

// ---------------------------------------------------------------------------
// Rendering

std::string quote_string(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string render_number(double x) {
  return RandomRegistry::format_share(x);  // "0.5", "1.0", "5000.0"
}

std::string render_literal(const Val& v) {
  switch (v.t) {
    case Val::T::kNull:
      return "null";
    case Val::T::kBool:
      return v.b ? "true" : "false";
    case Val::T::kNum:
      if (v.n == static_cast<double>(static_cast<std::int64_t>(v.n))) {
        return std::to_string(static_cast<std::int64_t>(v.n));  // 5000, and 1 for a share of 1.0
      }
      return render_number(v.n);
    case Val::T::kStr:
      return quote_string(v.s);
    case Val::T::kNode:
      break;
  }
  return "?";
}

class Renderer {
 public:
  explicit Renderer(const QQuery& q) : q_(q) {}

  std::string node(const QNode& n) const {
    std::string s = "(" + q_.node_names[static_cast<std::size_t>(n.var)];
    for (std::size_t i = 0; i < n.kinds.size(); ++i) s += (i == 0 ? ":" : "|") + n.kinds[i];
    if (!n.props.empty()) {
      s += " {";
      for (std::size_t i = 0; i < n.props.size(); ++i) {
        s += (i == 0 ? "" : ", ") + n.props[i].first + ": " + expr(*n.props[i].second, 5);
      }
      s += "}";
    }
    return s + ")";
  }

  std::string rel(const QRel& r) const {
    std::string body = q_.rel_names[static_cast<std::size_t>(r.id)];
    for (std::size_t i = 0; i < r.types.size(); ++i) body += (i == 0 ? ":" : "|") + r.types[i];
    if (r.var_length) body += r.hops_text;
    if (r.share) body += " {share: " + render_number(*r.share) + "}";
    if (body.empty() && r.short_form) {
      return r.dir == Dir::kOut ? "-->" : r.dir == Dir::kIn ? "<--" : "--";
    }
    switch (r.dir) {
      case Dir::kOut:
        return "-[" + body + "]->";
      case Dir::kIn:
        return "<-[" + body + "]-";
      case Dir::kBoth:
        break;
    }
    return "-[" + body + "]-";
  }

  std::string pattern(const QPattern& p) const {
    std::string s = node(p.nodes[0]);
    for (std::size_t i = 0; i < p.rels.size(); ++i) s += rel(p.rels[i]) + node(p.nodes[i + 1]);
    return s;
  }

  std::string patterns(const std::vector<QPattern>& ps) const {
    std::string s;
    for (std::size_t i = 0; i < ps.size(); ++i) s += (i == 0 ? "" : ", ") + pattern(ps[i]);
    return s;
  }

  static int level(const Expr& e) {
    switch (e.k) {
      case Expr::K::kOr:
        return 1;
      case Expr::K::kXor:
        return 2;
      case Expr::K::kAnd:
        return 3;
      case Expr::K::kNot:
        return 4;
      default:
        return 5;
    }
  }

  /// The expression, in parentheses when its operator binds more loosely than `min_level`.
  std::string expr(const Expr& e, int min_level) const {
    std::string s = bare(e);
    if (e.parens || level(e) < min_level) s = "(" + s + ")";
    return s;
  }

  std::string bare(const Expr& e) const {
    switch (e.k) {
      case Expr::K::kLit:
        return render_literal(e.lit);
      case Expr::K::kNodeProp:
        return q_.node_names[static_cast<std::size_t>(e.var)] + "." + e.key;
      case Expr::K::kRelProp:
        return q_.rel_names[static_cast<std::size_t>(e.var)] + "." + e.key;
      case Expr::K::kNodeRef:
        return q_.node_names[static_cast<std::size_t>(e.var)];
      case Expr::K::kType:
        return "type(" + q_.rel_names[static_cast<std::size_t>(e.var)] + ")";
      case Expr::K::kSize:
        return "size(" + q_.rel_names[static_cast<std::size_t>(e.var)] + ")";
      case Expr::K::kCmp:
        return expr(*e.kids[0], 5) + " " + e.op + " " + expr(*e.kids[1], 5);
      case Expr::K::kIsNull:
        return expr(*e.kids[0], 5) + " IS NULL";
      case Expr::K::kIsNotNull:
        return expr(*e.kids[0], 5) + " IS NOT NULL";
      case Expr::K::kIn: {
        std::string s = expr(*e.kids[0], 5) + " IN [";
        for (std::size_t i = 1; i < e.kids.size(); ++i)
          s += (i == 1 ? "" : ", ") + expr(*e.kids[i], 5);
        return s + "]";
      }
      case Expr::K::kAnd:
        return expr(*e.kids[0], 3) + " AND " + expr(*e.kids[1], 3);
      case Expr::K::kOr:
        return expr(*e.kids[0], 1) + " OR " + expr(*e.kids[1], 1);
      case Expr::K::kXor:
        return expr(*e.kids[0], 2) + " XOR " + expr(*e.kids[1], 2);
      case Expr::K::kNot:
        return "NOT " + expr(*e.kids[0], 4);
      case Expr::K::kExists: {
        std::string s = std::string("EXISTS { ") + (e.exists->match_keyword ? "MATCH " : "") +
                        patterns(e.exists->patterns);
        if (e.exists->where) s += " WHERE " + expr(*e.exists->where, 0);
        return s + " }";
      }
    }
    return "?";
  }

  /// The MATCH clauses, without RETURN.
  std::string matches() const {
    std::string s;
    for (const auto& m : q_.matches) {
      s += (s.empty() ? "" : " ") + std::string("MATCH ") + patterns(m.patterns);
      if (m.where) s += " WHERE " + expr(*m.where, 0);
    }
    return s;
  }

  /// `a.id, b.id, ...` for the returned variables.
  std::string id_columns() const {
    std::string s;
    for (std::size_t i = 0; i < q_.returned.size(); ++i) {
      s += (i == 0 ? "" : ", ") + q_.node_names[static_cast<std::size_t>(q_.returned[i])] + ".id";
    }
    return s;
  }

  std::string text() const { return matches() + " RETURN " + id_columns(); }

 private:
  const QQuery& q_;
};

// ---------------------------------------------------------------------------
// The query generator

const std::vector<std::string> kQueryKinds = {"Firm",       "ForeignGovernment", "Organization",
                                              "Person",     "Project",           "Municipality",
                                              "ForeignCity"};
const std::vector<std::string> kQueryTypes = {"OWNED_BY",      "CONTROLLED_BY", "BIDDER_ON",
                                              "CONTRACTOR_OF", "LOCATED_IN",    "REPRESENTS"};

/// Draws random queries for one registry. Patterns are mostly guided by a "witness": a
/// walk through the registry that the pattern is written after (its kinds, types,
/// directions, names and ids), then loosened or perturbed, so that a good share of the
/// queries have rows and the rest miss for varied reasons.
class QueryGenerator {
 public:
  QueryGenerator(Rng& rng, const RandomRegistry& reg) : rng_(rng), reg_(reg) {}

  QQuery generate() {
    q_ = QQuery{};
    vars_.clear();
    visible_nodes_.clear();
    visible_rels_.clear();
    rel_var_length_.clear();
    depth_ = 0;
    walks_ = 0;
    const int total = 1 + weighted({50, 35, 15});
    const int clauses = total >= 2 && rng_.chance(0.45) ? 2 : 1;
    const int first = clauses == 2 ? rng_.range(1, total - 1) : total;
    for (int c = 0; c < clauses; ++c) {
      QMatch m;
      taken_.assign(reg_.relations.size(), false);
      const int count = c == 0 ? first : total - first;
      for (int p = 0; p < count; ++p) m.patterns.push_back(pattern(c == 0 && p == 0, 3));
      if (rng_.chance(0.45)) m.where = condition(0);
      q_.matches.push_back(std::move(m));
    }
    for (std::size_t v = 0; v < q_.node_names.size(); ++v) {
      if (!q_.node_names[v].empty() && vars_[v].outer) q_.returned.push_back(static_cast<int>(v));
    }
    return q_;
  }

 private:
  struct VarInfo {
    std::optional<std::set<std::string>> kinds;  ///< Kinds allowed so far; nullopt: any.
    bool outer = true;                           ///< Declared outside every EXISTS.
    int witness = -1;                            ///< The entity the variable was written after.
    int depth = 0;                               ///< EXISTS nesting where it was declared.
  };

  int random_entity() { return rng_.below(static_cast<int>(reg_.entities.size())); }
  /// A random entity with a relation, when there is one.
  int connected_entity() {
    if (reg_.relations.empty() || rng_.chance(0.1)) return random_entity();
    const auto& r = reg_.relations[static_cast<std::size_t>(
        rng_.below(static_cast<int>(reg_.relations.size())))];
    return rng_.chance(0.5) ? r.from : r.to;
  }
  const twinscan::testing::RandomEntity& entity(int e) const {
    return reg_.entities[static_cast<std::size_t>(e)];
  }

  /// A kind to filter on: mostly the witness's, else one some entity has, rarely any.
  std::string some_kind(int witness) {
    if (rng_.chance(0.02)) return "Agreement";
    if (witness >= 0 && rng_.chance(0.75)) return entity(witness).kind;
    if (rng_.chance(0.8)) return entity(random_entity()).kind;
    return rng_.pick(kQueryKinds);
  }

  /// A relation type to filter on: mostly one that some relation of the registry has.
  std::string some_type() {
    if (rng_.chance(0.02)) return "TWINNED_WITH";
    if (!reg_.relations.empty() && rng_.chance(0.8)) {
      return reg_
          .relations[static_cast<std::size_t>(rng_.below(static_cast<int>(reg_.relations.size())))]
          .kind;
    }
    return rng_.pick(kQueryTypes);
  }

  std::vector<std::string> random_kinds(int witness) {
    std::vector<std::string> kinds;
    const int roll = rng_.below(100);
    if (roll < 55) return kinds;
    kinds.push_back(some_kind(witness));
    if (roll >= 88) {
      const std::string other = some_kind(-1);
      if (other != kinds[0]) kinds.push_back(other);
    }
    return kinds;
  }

  int new_node(bool named, int witness) {
    const int v = static_cast<int>(q_.node_names.size());
    std::string name;
    if (named) {
      name = std::string(static_cast<std::size_t>(depth_), 'x') +
             std::string(1, static_cast<char>('a' + v % 26)) + (v >= 26 ? std::to_string(v) : "");
    }
    q_.node_names.push_back(name);
    VarInfo info;
    info.outer = depth_ == 0;
    info.depth = depth_;
    info.witness = witness;
    vars_.push_back(info);
    return v;
  }

  /// A node pattern; `witness` is the entity the walk arrived at (-1: none).
  QNode node(bool first_of_pattern, bool first_of_query, int witness) {
    QNode n;
    bool reused = false;
    if (first_of_query) {
      n.var = new_node(true, witness >= 0 ? witness : connected_entity());
    } else {
      const double p_reuse =
          depth_ > 0 ? (first_of_pattern ? 0.9 : 0.15) : (first_of_pattern ? 0.6 : 0.12);
      if (!visible_nodes_.empty() && rng_.chance(p_reuse)) {
        n.var = rng_.pick(visible_nodes_);
        reused = true;
      } else {
        n.var = new_node(rng_.chance(0.75), witness >= 0 ? witness : connected_entity());
      }
    }
    VarInfo& info = vars_[static_cast<std::size_t>(n.var)];
    if (reused && info.kinds) {
      if (rng_.chance(0.15)) {
        const std::vector<std::string> allowed(info.kinds->begin(), info.kinds->end());
        n.kinds.push_back(rng_.pick(allowed));
        const std::string other = some_kind(-1);
        if (rng_.chance(0.4) && other != n.kinds[0]) n.kinds.push_back(other);
      }
    } else if (!reused || rng_.chance(0.15)) {
      n.kinds = random_kinds(info.witness);
    }
    // A check inside EXISTS on a variable of an enclosing query does not narrow it there.
    const bool narrows = info.depth == depth_;
    if (!n.kinds.empty() && narrows) {
      std::set<std::string> mine(n.kinds.begin(), n.kinds.end());
      if (info.kinds) {
        std::set<std::string> both;
        std::set_intersection(info.kinds->begin(), info.kinds->end(), mine.begin(), mine.end(),
                              std::inserter(both, both.end()));
        mine = both;
      }
      info.kinds = mine;
    }
    if (rng_.chance(0.07))
      n.props.emplace_back("name", literal(Val::of_str(name_literal(info.witness))));
    if (rng_.chance(0.02)) {
      n.props.emplace_back("country",
                           literal(rng_.chance(0.9) ? country_literal(info.witness) : Val::null()));
    }
    if (!visible_nodes_.empty() && rng_.chance(0.02)) {
      n.props.emplace_back("name", node_prop(rng_.pick(visible_nodes_), "name"));
    }
    if (!reused && !q_.node_names[static_cast<std::size_t>(n.var)].empty())
      visible_nodes_.push_back(n.var);
    return n;
  }

  /// The relations at `at` that the clause has not walked yet, with the far end of each.
  std::vector<std::pair<int, int>> free_relations(int at, const std::vector<int>& avoid) const {
    std::vector<std::pair<int, int>> out;
    for (int k = 0; k < static_cast<int>(reg_.relations.size()); ++k) {
      if (taken_[static_cast<std::size_t>(k)]) continue;
      const auto& r = reg_.relations[static_cast<std::size_t>(k)];
      int far = -1;
      if (r.from == at)
        far = r.to;
      else if (r.to == at)
        far = r.from;
      if (far < 0 || std::find(avoid.begin(), avoid.end(), far) != avoid.end()) continue;
      out.emplace_back(k, far);
    }
    return out;
  }

  /// A relation pattern leaving the entity `at` (-1: none); sets `arrived` to the entity
  /// the witness walk reached (-1: none).
  QRel rel(int at, int& arrived) {
    QRel r;
    r.id = static_cast<int>(q_.rel_names.size());
    r.var_length = rng_.chance(0.3) && walks_ < max_walks_;
    if (r.var_length) {
      ++walks_;
      if (rng_.chance(0.9)) {
        static const std::vector<int> kMins = {0, 1, 1, 2};
        r.min_hops = rng_.pick(kMins);
        r.max_hops = std::min(3, r.min_hops + rng_.range(0, 2));
        if (r.max_hops == 0 && rng_.chance(0.6)) r.max_hops = 1;
        if (r.min_hops == r.max_hops && rng_.chance(0.5)) {
          r.hops_text = "*" + std::to_string(r.min_hops);
        } else if (r.min_hops == 1 && rng_.chance(0.3)) {
          r.hops_text = "*.." + std::to_string(r.max_hops);
        } else {
          r.hops_text = "*" + std::to_string(r.min_hops) + ".." + std::to_string(r.max_hops);
        }
      } else if (rng_.chance(0.5)) {
        r.min_hops = 1;
        r.max_hops = 8;  // the default cap
        r.hops_text = "*";
      } else {
        r.min_hops = rng_.range(1, 3);
        r.max_hops = 8;
        r.hops_text = "*" + std::to_string(r.min_hops) + "..";
      }
    }
    // The witness walk: 1 hop, or for a variable-length element a simple path of a length
    // within its bounds; its first relation suggests the type and the direction.
    arrived = -1;
    int first_relation = -1, first_far = -1;
    if (at >= 0 && rng_.chance(0.85)) {
      const int hops =
          r.var_length ? rng_.range(r.min_hops, std::min(r.max_hops, r.min_hops + 2)) : 1;
      std::vector<int> path = {at};
      std::vector<int> walked;
      for (int h = 0; h < hops; ++h) {
        const auto options = free_relations(path.back(), path);
        if (options.empty()) break;
        const auto& [k, far] = rng_.pick(options);
        if (h == 0) {
          first_relation = k;
          first_far = far;
        }
        walked.push_back(k);
        path.push_back(far);
      }
      if (static_cast<int>(walked.size()) == hops) {
        arrived = path.back();
        for (int k : walked) taken_[static_cast<std::size_t>(k)] = true;
      } else {
        first_relation = -1;
      }
    }
    const int types_roll = rng_.below(100);
    if (types_roll >= 55) {
      const auto& witness_type = first_relation >= 0
                                     ? reg_.relations[static_cast<std::size_t>(first_relation)].kind
                                     : std::string();
      r.types.push_back(!witness_type.empty() && rng_.chance(0.8) ? witness_type : some_type());
      if (types_roll >= 90) {
        const std::string other = some_type();
        if (other != r.types[0]) r.types.push_back(other);
      }
    }
    if (first_relation >= 0 && rng_.chance(0.8)) {
      // The walk's own direction, or undirected.
      const auto& k = reg_.relations[static_cast<std::size_t>(first_relation)];
      const bool forward = k.from == at && k.to == first_far;
      r.dir = rng_.chance(0.3) ? Dir::kBoth : forward ? Dir::kOut : Dir::kIn;
    } else {
      r.dir = static_cast<Dir>(rng_.below(3));
    }
    const bool named = rng_.chance(r.var_length ? 0.15 : 0.3);
    q_.rel_names.push_back(named ? "r" + std::to_string(r.id) : "");
    if (named) visible_rels_.push_back(r.id);
    rel_var_length_.resize(q_.rel_names.size());
    rel_var_length_[static_cast<std::size_t>(r.id)] = r.var_length;
    if (rng_.chance(0.03)) r.share = rng_.pick(twinscan::testing::random_shares());
    r.short_form = rng_.chance(0.5);
    return r;
  }

  QPattern pattern(bool first_of_query, int max_rels) {
    QPattern p;
    const int rels = !first_of_query && rng_.chance(0.05) ? 0 : 1 + weighted({55, 30, 15});
    p.nodes.push_back(node(true, first_of_query, -1));
    for (int i = 0; i < std::min(rels, max_rels); ++i) {
      const int at = vars_[static_cast<std::size_t>(p.nodes.back().var)].witness;
      int arrived = -1;
      p.rels.push_back(rel(at, arrived));
      p.nodes.push_back(node(false, false, arrived));
    }
    return p;
  }

  std::string name_literal(int witness) {
    if (witness >= 0 && rng_.chance(0.6)) return entity(witness).name;
    return rng_.chance(0.9) ? rng_.pick(twinscan::testing::random_names()) : std::string("Delta");
  }

  Val country_literal(int witness) {
    if (witness >= 0 && entity(witness).country && rng_.chance(0.6))
      return Val::of_str(*entity(witness).country);
    return Val::of_str(rng_.pick(twinscan::testing::random_countries()));
  }

  std::string id_literal(int witness) {
    if (witness >= 0 && rng_.chance(0.6)) return entity(witness).id;
    return rng_.chance(0.9) ? entity(random_entity()).id : std::string("firm:99");
  }

  static ExprP literal(Val v) {
    auto e = std::make_shared<Expr>();
    e->k = Expr::K::kLit;
    e->lit = std::move(v);
    return e;
  }
  static ExprP node_prop(int var, std::string key) {
    auto e = std::make_shared<Expr>();
    e->k = Expr::K::kNodeProp;
    e->var = var;
    e->key = std::move(key);
    return e;
  }
  static ExprP element(Expr::K k, int var) {
    auto e = std::make_shared<Expr>();
    e->k = k;
    e->var = var;
    return e;
  }
  static ExprP make(Expr::K k, std::vector<ExprP> kids, std::string op = "") {
    auto e = std::make_shared<Expr>();
    e->k = k;
    e->kids = std::move(kids);
    e->op = std::move(op);
    return e;
  }

  /// An index drawn with the given weights.
  int weighted(std::initializer_list<int> weights) {
    int total = 0;
    for (int w : weights) total += w;
    int roll = rng_.below(total);
    int index = 0;
    for (int w : weights) {
      if (roll < w) return index;
      roll -= w;
      ++index;
    }
    return index;
  }

  std::string comparison_op() {
    static const std::vector<std::string> kOps = {"=", "<>", "<", "<=", ">", ">="};
    return rng_.pick(kOps);
  }
  std::string equality_op() { return rng_.chance(0.75) ? "=" : "<>"; }

  /// A boolean condition over the visible variables.
  ExprP condition(int depth) {
    ExprP e;
    if (depth < 2 && rng_.chance(0.35)) {
      const int roll = rng_.below(10);
      if (roll < 2) {
        e = make(Expr::K::kNot, {condition(depth + 1)});
      } else {
        const Expr::K k = roll < 6 ? Expr::K::kAnd : roll < 9 ? Expr::K::kOr : Expr::K::kXor;
        e = make(k, {condition(depth + 1), condition(depth + 1)});
      }
    } else if (depth_ < 2 && rng_.chance(depth_ == 0 ? 0.15 : 0.08)) {
      e = exists_condition();
      if (rng_.chance(0.4)) e = make(Expr::K::kNot, {e});
    } else {
      e = atom();
    }
    if (rng_.chance(0.08)) std::const_pointer_cast<Expr>(e)->parens = true;
    return e;
  }

  ExprP exists_condition() {
    auto ex = std::make_shared<QExists>();
    const auto saved_nodes = visible_nodes_;
    const auto saved_rels = visible_rels_;
    const auto saved_taken = taken_;
    taken_.assign(reg_.relations.size(), false);  // the subquery's relations are its own
    ++depth_;
    const int count = rng_.chance(0.8) ? 1 : 2;
    for (int i = 0; i < count; ++i) ex->patterns.push_back(pattern(false, 2));
    if (rng_.chance(0.4)) ex->where = condition(1);
    // A join on a text property with a variable of the enclosing query: the subquery may
    // then be answered from the countries its variable takes (SubPlan::value_conjunct).
    if (rng_.chance(0.3)) {
      std::vector<int> inner, outer;
      for (int v : visible_nodes_) {
        (vars_[static_cast<std::size_t>(v)].depth == depth_ ? inner : outer).push_back(v);
      }
      if (!inner.empty() && !outer.empty()) {
        ExprP join = make(
            Expr::K::kCmp,
            {node_prop(rng_.pick(inner), "country"), node_prop(rng_.pick(outer), "country")}, "=");
        ex->where = ex->where ? make(Expr::K::kAnd, {join, ex->where}) : join;
      }
    }
    ex->match_keyword = rng_.chance(0.2);
    --depth_;
    visible_nodes_ = saved_nodes;
    visible_rels_ = saved_rels;
    taken_ = saved_taken;
    auto e = std::make_shared<Expr>();
    e->k = Expr::K::kExists;
    e->exists = ex;
    return e;
  }

  ExprP atom() {
    std::vector<int> fixed_rels, list_rels;
    for (int r : visible_rels_) {
      (rel_var_length_[static_cast<std::size_t>(r)] ? list_rels : fixed_rels).push_back(r);
    }
    for (int attempt = 0; attempt < 20; ++attempt) {
      const int roll = rng_.below(100);
      if (roll < 3) {
        const int t = rng_.below(3);
        return literal(t == 2 ? Val::null() : Val::of_bool(t == 1));
      }
      if (visible_nodes_.empty()) continue;
      const int v = rng_.pick(visible_nodes_);
      const int witness = vars_[static_cast<std::size_t>(v)].witness;
      if (roll < 18) {
        // Mostly a comparison that the witness satisfies.
        const std::string name = name_literal(witness);
        std::string op = comparison_op();
        if (witness >= 0 && name == entity(witness).name && rng_.chance(0.7)) {
          static const std::vector<std::string> kInclusive = {"=", "<=", ">="};
          op = rng_.pick(kInclusive);
        }
        return make(Expr::K::kCmp, {node_prop(v, "name"), literal(Val::of_str(name))}, op);
      }
      if (roll < 30) {
        const int form = rng_.below(4);
        const auto country = [&] { return literal(country_literal(witness)); };
        if (form == 0)
          return make(Expr::K::kCmp, {node_prop(v, "country"), country()}, equality_op());
        if (form == 1) {
          const bool has = witness >= 0 && entity(witness).country.has_value();
          return make(has == rng_.chance(0.7) ? Expr::K::kIsNotNull : Expr::K::kIsNull,
                      {node_prop(v, "country")});
        }
        if (form == 2) return make(Expr::K::kIsNotNull, {node_prop(v, "country")});
        std::vector<ExprP> kids = {node_prop(v, "country"), country()};
        if (rng_.chance(0.5)) kids.push_back(country());
        if (rng_.chance(0.25)) kids.push_back(literal(Val::null()));
        return make(Expr::K::kIn, kids);
      }
      if (roll < 36) {
        const auto population =
            static_cast<double>(rng_.pick(twinscan::testing::random_populations()));
        return make(Expr::K::kCmp, {node_prop(v, "population"), literal(Val::of_num(population))},
                    comparison_op());
      }
      if (roll < 42) {
        if (rng_.chance(0.5)) return node_prop(v, "state_owned");
        return make(Expr::K::kCmp,
                    {node_prop(v, "state_owned"), literal(Val::of_bool(rng_.chance(0.5)))},
                    equality_op());
      }
      if (roll < 54) {
        // Id equality: the planner may turn it into a lookup.
        const auto id = [&] { return literal(Val::of_str(id_literal(witness))); };
        const int form = rng_.below(4);
        if (form == 0) return make(Expr::K::kCmp, {node_prop(v, "id"), id()}, "=");
        if (form == 1) return make(Expr::K::kCmp, {id(), node_prop(v, "id")}, "=");
        if (form == 2) return make(Expr::K::kIn, {node_prop(v, "id"), id(), id()});
        return make(Expr::K::kCmp, {node_prop(v, "id"), id()}, comparison_op());
      }
      if (roll < 68) {
        const int w = rng_.pick(visible_nodes_);
        const int form = rng_.below(5);
        if (form == 4) {
          // A join on a text property: inside EXISTS, with w outside it, the subquery may
          // be answered from the countries v takes (SubPlan::value_conjunct).
          return make(Expr::K::kCmp, {node_prop(v, "country"), node_prop(w, "country")},
                      equality_op());
        }
        if (form == 0)
          return make(Expr::K::kCmp, {node_prop(v, "id"), node_prop(w, "id")}, comparison_op());
        if (form == 1)
          return make(Expr::K::kCmp, {node_prop(v, "name"), node_prop(w, "name")}, equality_op());
        if (form == 2) {
          return make(Expr::K::kCmp, {element(Expr::K::kNodeRef, v), element(Expr::K::kNodeRef, w)},
                      equality_op());
        }
        return make(Expr::K::kCmp, {node_prop(w, "id"), node_prop(v, "id")}, "=");
      }
      if (roll < 76) {
        const auto kind = [&] { return literal(Val::of_str(some_kind(witness))); };
        if (rng_.chance(0.5))
          return make(Expr::K::kCmp, {node_prop(v, "kind"), kind()}, equality_op());
        return make(Expr::K::kIn, {node_prop(v, "kind"), kind(), kind()});
      }
      if (roll < 92 && !fixed_rels.empty()) {
        const int r = rng_.pick(fixed_rels);
        auto share = std::make_shared<Expr>();
        share->k = Expr::K::kRelProp;
        share->var = r;
        share->key = "share";
        const auto type = [&] { return literal(Val::of_str(some_type())); };
        const int form = rng_.below(4);
        if (form == 0) {
          return make(Expr::K::kCmp,
                      {share, literal(Val::of_num(rng_.pick(twinscan::testing::random_shares())))},
                      comparison_op());
        }
        if (form == 1) return make(Expr::K::kIsNull, {share});
        if (form == 2)
          return make(Expr::K::kCmp, {element(Expr::K::kType, r), type()}, equality_op());
        return make(Expr::K::kIn, {element(Expr::K::kType, r), type(), type()});
      }
      if (roll >= 92 && !list_rels.empty()) {
        return make(
            Expr::K::kCmp,
            {element(Expr::K::kSize, rng_.pick(list_rels)), literal(Val::of_num(rng_.range(0, 3)))},
            comparison_op());
      }
    }
    return literal(Val::of_bool(true));
  }

  Rng& rng_;
  const RandomRegistry& reg_;
  QQuery q_;
  std::vector<VarInfo> vars_;
  std::vector<int> visible_nodes_;  ///< Named node variables in scope.
  std::vector<int> visible_rels_;   ///< Named relation variables in scope.
  std::vector<bool> rel_var_length_;
  std::vector<bool> taken_;  ///< Relations the witness walks of the clause have used.
  int depth_ = 0;            ///< EXISTS nesting of the pattern being written.
  int walks_ = 0;            ///< Variable-length elements so far.
  int max_walks_ = static_cast<int>(env_number("TWINSCAN_DIFF_MAX_WALKS", 99));
};

// ---------------------------------------------------------------------------
// The brute force

/// openCypher equality: 1 true, 0 false, -1 null.
int equals(const Val& a, const Val& b) {
  if (a.t == Val::T::kNull || b.t == Val::T::kNull) return -1;
  if (a.t != b.t) return 0;
  switch (a.t) {
    case Val::T::kBool:
      return a.b == b.b ? 1 : 0;
    case Val::T::kNum:
      return a.n == b.n ? 1 : 0;
    case Val::T::kStr:
      return a.s == b.s ? 1 : 0;
    case Val::T::kNode:
      return a.node == b.node ? 1 : 0;
    case Val::T::kNull:
      break;
  }
  return -1;
}

/// openCypher ordering: -1, 0, 1, or 2 when incomparable (the comparison is null).
int compare(const Val& a, const Val& b) {
  if (a.t == Val::T::kNull || b.t == Val::T::kNull || a.t != b.t) return 2;
  switch (a.t) {
    case Val::T::kNum:
      return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
    case Val::T::kStr:
      return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
    case Val::T::kBool:
      return a.b == b.b ? 0 : a.b ? 1 : -1;
    default:
      return 2;
  }
}

/// Three-valued truth: 1, 0 or -1 (null).
int truth(const Val& v) {
  if (v.t == Val::T::kNull) return -1;
  if (v.t != Val::T::kBool) throw std::logic_error("the generator made a non-boolean condition");
  return v.b ? 1 : 0;
}

Val of_truth(int t) {
  return t < 0 ? Val::null() : Val::of_bool(t == 1);
}

class BruteForce {
 public:
  BruteForce(const RandomRegistry& reg, const QQuery& q, std::uint64_t budget)
      : reg_(reg),
        q_(q),
        budget_(budget),
        node_(q.node_names.size(), -1),
        rel_(q.rel_names.size(), -1),
        seg_(q.rel_names.size()) {}

  /// Every row, or nothing when the search ran past its budget.
  std::optional<Rows> rows() {
    Rows out;
    try {
      clauses(0, out);
    } catch (const OutOfBudget&) {
      return std::nullopt;
    }
    return out;
  }

  [[nodiscard]] std::uint64_t steps() const { return steps_; }

 private:
  struct OutOfBudget {};
  using Done = std::function<bool()>;

  void tick() {
    if (++steps_ > budget_) throw OutOfBudget{};
  }

  bool clauses(std::size_t c, Rows& out) {
    if (c == q_.matches.size()) {
      Row row;
      for (int v : q_.returned)
        row.push_back(
            reg_.entities[static_cast<std::size_t>(node_[static_cast<std::size_t>(v)])].id);
      out.push_back(std::move(row));
      tick();
      return true;
    }
    const QMatch& m = q_.matches[c];
    std::vector<char> used(reg_.relations.size(), 0);  // relations are unique per clause
    match(m.patterns, 0, used, [&] {
      if (m.where && truth(eval(*m.where)) != 1) return true;
      return clauses(c + 1, out);
    });
    return true;
  }

  bool node_ok(const QNode& n, int entity) {
    const auto& e = reg_.entities[static_cast<std::size_t>(entity)];
    if (!n.kinds.empty() && std::find(n.kinds.begin(), n.kinds.end(), e.kind) == n.kinds.end())
      return false;
    for (const auto& [key, value] : n.props) {
      if (equals(node_prop(entity, key), eval(*value)) != 1) return false;
    }
    return true;
  }

  /// Matches patterns[p..] (all of one clause or one EXISTS) with `used` relations taken.
  bool match(const std::vector<QPattern>& pats, std::size_t p, std::vector<char>& used,
             const Done& done) {
    if (p == pats.size()) return done();
    const QNode& first = pats[p].nodes[0];
    int& slot = node_[static_cast<std::size_t>(first.var)];
    if (slot >= 0) {
      tick();
      return node_ok(first, slot) ? step(pats, p, 0, used, done) : true;
    }
    for (int e = 0; e < static_cast<int>(reg_.entities.size()); ++e) {
      tick();
      slot = e;
      const bool go_on = !node_ok(first, e) || step(pats, p, 0, used, done);
      slot = -1;
      if (!go_on) return false;
    }
    return true;
  }

  /// The far end of relation `k` walked from `at` in direction `d`, or -1.
  int far_end(int k, int at, Dir d) const {
    const RandomRelation& r = reg_.relations[static_cast<std::size_t>(k)];
    switch (d) {
      case Dir::kOut:
        return r.from == at ? r.to : -1;
      case Dir::kIn:
        return r.to == at ? r.from : -1;
      case Dir::kBoth:
        return r.from == at ? r.to : r.to == at ? r.from : -1;  // a self-loop once
    }
    return -1;
  }

  bool relation_ok(const QRel& rel, int k) const {
    const RandomRelation& r = reg_.relations[static_cast<std::size_t>(k)];
    if (!rel.types.empty() &&
        std::find(rel.types.begin(), rel.types.end(), r.kind) == rel.types.end()) {
      return false;
    }
    if (rel.share) {
      if (!r.share || *r.share != *rel.share) return false;
    }
    return true;
  }

  /// Binds relation element i of pattern p (and the node after it), then goes on.
  bool step(const std::vector<QPattern>& pats, std::size_t p, std::size_t i,
            std::vector<char>& used, const Done& done) {
    const QPattern& pat = pats[p];
    if (i == pat.rels.size()) return match(pats, p + 1, used, done);
    const QRel& rel = pat.rels[i];
    const int left = node_[static_cast<std::size_t>(pat.nodes[i].var)];
    const QNode& right = pat.nodes[i + 1];
    auto arrive = [&](int entity) {
      int& slot = node_[static_cast<std::size_t>(right.var)];
      if (slot >= 0) {
        if (slot != entity || !node_ok(right, entity)) return true;
        return step(pats, p, i + 1, used, done);
      }
      slot = entity;
      const bool go_on = !node_ok(right, entity) || step(pats, p, i + 1, used, done);
      slot = -1;
      return go_on;
    };
    const int relations = static_cast<int>(reg_.relations.size());
    if (!rel.var_length) {
      for (int k = 0; k < relations; ++k) {
        tick();
        if (used[static_cast<std::size_t>(k)] || !relation_ok(rel, k)) continue;
        const int end = far_end(k, left, rel.dir);
        if (end < 0) continue;
        used[static_cast<std::size_t>(k)] = 1;
        rel_[static_cast<std::size_t>(rel.id)] = k;
        const bool go_on = arrive(end);
        rel_[static_cast<std::size_t>(rel.id)] = -1;
        used[static_cast<std::size_t>(k)] = 0;
        if (!go_on) return false;
      }
      return true;
    }
    // Variable length: every simple path of min..max relations from `left`.
    std::vector<int> path_nodes = {left};
    std::vector<int>& seg = seg_[static_cast<std::size_t>(rel.id)];
    seg.clear();
    std::function<bool()> walk = [&]() -> bool {
      const int depth = static_cast<int>(seg.size());
      const int at = path_nodes.back();
      if (depth >= rel.min_hops && depth <= rel.max_hops && !arrive(at)) return false;
      if (depth >= rel.max_hops) return true;
      for (int k = 0; k < relations; ++k) {
        tick();
        if (used[static_cast<std::size_t>(k)] || !relation_ok(rel, k)) continue;
        const int end = far_end(k, at, rel.dir);
        if (end < 0 || std::find(path_nodes.begin(), path_nodes.end(), end) != path_nodes.end())
          continue;
        used[static_cast<std::size_t>(k)] = 1;
        seg.push_back(k);
        path_nodes.push_back(end);
        const bool go_on = walk();
        path_nodes.pop_back();
        seg.pop_back();
        used[static_cast<std::size_t>(k)] = 0;
        if (!go_on) return false;
      }
      return true;
    };
    const bool go_on = walk();
    seg.clear();
    return go_on;
  }

  Val node_prop(int entity, const std::string& key) const {
    const auto& e = reg_.entities[static_cast<std::size_t>(entity)];
    if (key == "id") return Val::of_str(e.id);
    if (key == "kind") return Val::of_str(e.kind);
    if (key == "name") return Val::of_str(e.name);
    if (key == "country") return e.country ? Val::of_str(*e.country) : Val::null();
    if (key == "population")
      return e.population ? Val::of_num(static_cast<double>(*e.population)) : Val::null();
    if (key == "state_owned") return e.state_owned ? Val::of_bool(*e.state_owned) : Val::null();
    return Val::null();
  }

  bool exists(const QExists& ex) {
    std::vector<char> used(reg_.relations.size(),
                           0);  // its own relations are unique among themselves
    bool found = false;
    match(ex.patterns, 0, used, [&] {
      if (ex.where && truth(eval(*ex.where)) != 1) return true;
      found = true;
      return false;
    });
    return found;
  }

  Val eval(const Expr& e) {
    switch (e.k) {
      case Expr::K::kLit:
        return e.lit;
      case Expr::K::kNodeProp: {
        const int entity = node_[static_cast<std::size_t>(e.var)];
        if (entity < 0) throw std::logic_error("unbound node variable in a condition");
        return node_prop(entity, e.key);
      }
      case Expr::K::kRelProp: {
        const int k = rel_[static_cast<std::size_t>(e.var)];
        if (k < 0) throw std::logic_error("unbound relation variable in a condition");
        const auto& r = reg_.relations[static_cast<std::size_t>(k)];
        if (e.key == "share" && r.share) return Val::of_num(*r.share);
        return Val::null();
      }
      case Expr::K::kNodeRef:
        return Val::of_node(node_[static_cast<std::size_t>(e.var)]);
      case Expr::K::kType: {
        const int k = rel_[static_cast<std::size_t>(e.var)];
        return Val::of_str(reg_.relations[static_cast<std::size_t>(k)].kind);
      }
      case Expr::K::kSize:
        return Val::of_num(static_cast<double>(seg_[static_cast<std::size_t>(e.var)].size()));
      case Expr::K::kCmp: {
        const Val a = eval(*e.kids[0]);
        const Val b = eval(*e.kids[1]);
        if (e.op == "=" || e.op == "<>") {
          const int eq = equals(a, b);
          return eq < 0 ? Val::null() : Val::of_bool((eq == 1) == (e.op == "="));
        }
        const int c = compare(a, b);
        if (c == 2) return Val::null();
        if (e.op == "<") return Val::of_bool(c < 0);
        if (e.op == "<=") return Val::of_bool(c <= 0);
        if (e.op == ">") return Val::of_bool(c > 0);
        return Val::of_bool(c >= 0);
      }
      case Expr::K::kIsNull:
        return Val::of_bool(eval(*e.kids[0]).t == Val::T::kNull);
      case Expr::K::kIsNotNull:
        return Val::of_bool(eval(*e.kids[0]).t != Val::T::kNull);
      case Expr::K::kIn: {
        const Val a = eval(*e.kids[0]);
        bool saw_null = false;
        for (std::size_t i = 1; i < e.kids.size(); ++i) {
          const int eq = equals(a, eval(*e.kids[i]));
          if (eq == 1) return Val::of_bool(true);
          if (eq < 0) saw_null = true;
        }
        return saw_null ? Val::null() : Val::of_bool(false);
      }
      case Expr::K::kAnd: {
        const int a = truth(eval(*e.kids[0])), b = truth(eval(*e.kids[1]));
        if (a == 0 || b == 0) return Val::of_bool(false);
        return of_truth(a < 0 || b < 0 ? -1 : 1);
      }
      case Expr::K::kOr: {
        const int a = truth(eval(*e.kids[0])), b = truth(eval(*e.kids[1]));
        if (a == 1 || b == 1) return Val::of_bool(true);
        return of_truth(a < 0 || b < 0 ? -1 : 0);
      }
      case Expr::K::kXor: {
        const int a = truth(eval(*e.kids[0])), b = truth(eval(*e.kids[1]));
        return of_truth(a < 0 || b < 0 ? -1 : a != b ? 1 : 0);
      }
      case Expr::K::kNot: {
        const int a = truth(eval(*e.kids[0]));
        return of_truth(a < 0 ? -1 : 1 - a);
      }
      case Expr::K::kExists:
        return Val::of_bool(exists(*e.exists));
    }
    return Val::null();
  }

  const RandomRegistry& reg_;
  const QQuery& q_;
  std::uint64_t budget_;
  std::uint64_t steps_ = 0;
  std::vector<int> node_;              ///< Entity per node element, -1 when unbound.
  std::vector<int> rel_;               ///< Relation per fixed relation element.
  std::vector<std::vector<int>> seg_;  ///< Relations per variable-length element.
};

// ---------------------------------------------------------------------------
// Running the engine and comparing

struct EngineResult {
  bool compiled = false;
  bool limit_exceeded = false;
  std::string error;  ///< Compile messages or an evaluation error.
  Rows rows;
};

EngineResult run_engine(const Graph& graph, const std::string& text, std::uint64_t max_expansions) {
  EngineResult out;
  std::vector<query::QueryMessage> messages;
  const auto compiled = query::prepare_query(text, graph, {}, query::CompileOptions{}, messages);
  if (!compiled) {
    for (const auto& m : messages) {
      out.error += "at " + std::to_string(m.span.begin) + ": " + m.message + "\n";
    }
    return out;
  }
  out.compiled = true;
  query::ExecutionLimits limits;
  limits.max_expansions = max_expansions;
  try {
    const auto table =
        query::run_query(graph, *compiled, query::FunctionContext{graph, {2024, 6, 1}}, limits);
    for (const auto& values : table.rows) {
      Row row;
      for (const auto& v : values) row.push_back(query::to_display(graph, v));
      out.rows.push_back(std::move(row));
    }
  } catch (const query::LimitExceeded&) {
    out.limit_exceeded = true;
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

std::string show_rows(const Rows& rows) {
  std::string s = std::to_string(rows.size()) + " row(s)";
  std::size_t shown = 0;
  for (const auto& row : rows) {
    if (++shown > 60) {
      s += "\n  ...";
      break;
    }
    s += "\n  [";
    for (std::size_t i = 0; i < row.size(); ++i) s += (i == 0 ? "" : ", ") + row[i];
    s += "]";
  }
  return s;
}

Rows sorted(Rows rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// Steps of the brute force (entities and relations tried, rows made) before a case is
/// dropped as too big to compare.
constexpr std::uint64_t kBruteBudget = 400'000;

/// Relations the engine may walk for a case: generous next to the brute force's own
/// work, which tries every relation at every step, but bounded so that a runaway engine
/// costs little. Cases past it are counted, not failed: a plan may legitimately do more
/// work than the written order does.
std::uint64_t engine_budget(std::uint64_t brute_steps) {
  return std::min<std::uint64_t>(1'000'000, std::max<std::uint64_t>(50'000, 20 * brute_steps));
}

enum class Outcome { kSame, kDiffer, kBruteOverBudget, kEngineOverBudget };

struct Comparison {
  Outcome outcome = Outcome::kSame;
  EngineResult engine;
  Rows expected;
  std::uint64_t brute_steps = 0;
};

/// Runs the brute force, then the engine, and compares their rows as multisets.
Comparison compare_rows(const RandomRegistry& reg, const Graph& graph, const QQuery& q,
                        const std::string& text) {
  Comparison c;
  BruteForce brute(reg, q, kBruteBudget);
  auto expected = brute.rows();
  c.brute_steps = brute.steps();
  if (!expected) {
    c.outcome = Outcome::kBruteOverBudget;
    return c;
  }
  c.expected = std::move(*expected);
  c.engine = run_engine(graph, text, engine_budget(c.brute_steps));
  if (c.engine.limit_exceeded) {
    c.outcome = Outcome::kEngineOverBudget;
  } else if (!c.engine.compiled || !c.engine.error.empty() ||
             sorted(c.engine.rows) != sorted(c.expected)) {
    c.outcome = Outcome::kDiffer;
  }
  return c;
}

/// Removes relations and entities from `reg` while the disagreement persists.
RandomRegistry shrink(RandomRegistry reg, const QQuery& q, const std::string& text) {
  int attempts = 0;  // bounded, so that a failing run stays quick
  auto still_differs = [&](const RandomRegistry& candidate) {
    if (++attempts > 150) return false;
    const auto graph = load_graph(candidate);
    return compare_rows(candidate, *graph, q, text).outcome == Outcome::kDiffer;
  };
  bool progress = true;
  while (progress && attempts <= 150) {
    progress = false;
    for (std::size_t i = reg.relations.size(); i-- > 0;) {
      RandomRegistry candidate = reg;
      candidate.relations.erase(candidate.relations.begin() + static_cast<std::ptrdiff_t>(i));
      if (still_differs(candidate)) {
        reg = std::move(candidate);
        progress = true;
      }
    }
    for (std::size_t i = reg.entities.size(); i-- > 0;) {
      if (reg.entities.size() <= 1) break;
      RandomRegistry candidate;
      for (std::size_t e = 0; e < reg.entities.size(); ++e) {
        if (e != i) candidate.entities.push_back(reg.entities[e]);
      }
      for (auto r : reg.relations) {
        if (r.from == static_cast<int>(i) || r.to == static_cast<int>(i)) continue;
        if (r.from > static_cast<int>(i)) --r.from;
        if (r.to > static_cast<int>(i)) --r.to;
        candidate.relations.push_back(r);
      }
      if (still_differs(candidate)) {
        reg = std::move(candidate);
        progress = true;
      }
    }
  }
  return reg;
}

struct Tally {
  std::uint64_t compared = 0;
  std::uint64_t brute_over_budget = 0;   ///< Cases too big for the brute force: not compared.
  std::uint64_t engine_over_budget = 0;  ///< Cases where the engine ran away: not compared.
  std::uint64_t mismatches = 0;
  std::uint64_t rows = 0;
  std::uint64_t nonempty = 0;  ///< Compared queries with at least one row.
};

constexpr int kReportedMismatches = 6;  ///< Printed in full; the first kShrunk also shrunk.
constexpr int kShrunk = 3;

void report_mismatch(Tally& tally, const std::string& what, const RandomRegistry& reg,
                     const std::string& text, const EngineResult& engine, const Rows& expected,
                     const std::string& shrunk) {
  ++tally.mismatches;
  if (tally.mismatches > kReportedMismatches) return;
  std::ostringstream msg;
  msg << what << "\nquery: " << text << "\ngraph: " << reg.to_json();
  if (!engine.compiled || !engine.error.empty()) msg << "engine error: " << engine.error << "\n";
  msg << "engine: " << show_rows(sorted(engine.rows))
      << "\nbrute force: " << show_rows(sorted(expected));
  if (!shrunk.empty()) msg << "\n" << shrunk;
  FAIL_CHECK(msg.str());
}

/// Compares plain RETURN rows for one query; returns the brute-force rows when compared.
std::optional<Rows> check_rows(Tally& tally, const RandomRegistry& reg, const Graph& graph,
                               const QQuery& q, const std::string& where) {
  const std::string text = Renderer(q).text();
  Comparison c = compare_rows(reg, graph, q, text);
  if (std::getenv("TWINSCAN_DIFF_DUMP") != nullptr) {
    std::cout << static_cast<int>(c.outcome) << "\t" << c.expected.size() << "\t" << c.brute_steps
              << "\t" << text << "\n";
  }
  if (c.outcome == Outcome::kBruteOverBudget) {
    ++tally.brute_over_budget;
    return std::nullopt;
  }
  if (c.outcome == Outcome::kEngineOverBudget) {
    ++tally.engine_over_budget;
    return std::nullopt;
  }
  ++tally.compared;
  tally.rows += c.expected.size();
  if (!c.expected.empty()) ++tally.nonempty;
  if (c.outcome == Outcome::kDiffer) {
    std::string shrunk;
    if (tally.mismatches < kShrunk) {
      const RandomRegistry small = shrink(reg, q, text);
      const auto small_graph = load_graph(small);
      const Comparison sc = compare_rows(small, *small_graph, q, text);
      shrunk = "shrunk graph: " + small.to_json() + "engine: " + show_rows(sorted(sc.engine.rows)) +
               "\nbrute force: " + show_rows(sorted(sc.expected));
    }
    report_mismatch(tally, "engine and brute force disagree (" + where + ")", reg, text, c.engine,
                    c.expected, shrunk);
  }
  return c.expected;
}

// ---------------------------------------------------------------------------
// RETURN tails: DISTINCT, count(), ORDER BY, SKIP, LIMIT over the brute-force rows

bool is_sub_multiset(Rows part, Rows whole) {
  std::sort(part.begin(), part.end());
  std::sort(whole.begin(), whole.end());
  return std::includes(whole.begin(), whole.end(), part.begin(), part.end());
}

/// Runs `matches + tail` and checks its rows with `accept`; reports a mismatch otherwise.
void check_tail(Tally& tally, const RandomRegistry& reg, const Graph& graph,
                const std::string& text, const Rows& brute, const std::string& expected_text,
                const std::function<bool(const Rows&)>& accept) {
  const EngineResult engine = run_engine(graph, text, engine_budget(kBruteBudget));
  if (engine.limit_exceeded) {
    ++tally.engine_over_budget;
    return;
  }
  ++tally.compared;
  if (engine.compiled && engine.error.empty() && accept(engine.rows)) return;
  report_mismatch(tally,
                  "RETURN tail disagrees with the brute-force rows; expected " + expected_text, reg,
                  text, engine, brute, "");
}

void check_random_tail(Tally& tally, Rng& rng, const RandomRegistry& reg, const Graph& graph,
                       const QQuery& q, const Rows& brute) {
  const Renderer render(q);
  const std::string matches = render.matches();
  const std::size_t width = q.returned.size();
  auto column = [&](std::size_t j) {
    return q.node_names[static_cast<std::size_t>(q.returned[j])] + ".id";
  };
  const int skip = rng.chance(0.5) ? rng.range(0, 3) : 0;
  const int limit = rng.chance(0.7) ? rng.range(0, 5) : -1;
  std::string paging;
  if (skip > 0 || rng.chance(0.2)) paging += " SKIP " + std::to_string(skip);
  if (limit >= 0) paging += " LIMIT " + std::to_string(limit);
  auto page = [&](Rows rows) {
    const std::size_t begin = std::min(rows.size(), static_cast<std::size_t>(skip));
    std::size_t end = rows.size();
    if (limit >= 0) end = std::min(end, begin + static_cast<std::size_t>(limit));
    return Rows(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                rows.begin() + static_cast<std::ptrdiff_t>(end));
  };
  switch (rng.below(8)) {
    case 0: {  // count(*)
      const Rows want = {{std::to_string(brute.size())}};
      check_tail(tally, reg, graph, matches + " RETURN count(*)", brute, show_rows(want),
                 [&](const Rows& got) { return got == want; });
      break;
    }
    case 1: {  // count(DISTINCT v)
      const std::size_t j = static_cast<std::size_t>(rng.below(static_cast<int>(width)));
      std::set<std::string> ids;
      for (const auto& row : brute) ids.insert(row[j]);
      const Rows want = {{std::to_string(ids.size())}};
      const std::string var = q.node_names[static_cast<std::size_t>(q.returned[j])];
      check_tail(tally, reg, graph, matches + " RETURN count(DISTINCT " + var + ")", brute,
                 show_rows(want), [&](const Rows& got) { return got == want; });
      break;
    }
    case 2: {  // DISTINCT over every column
      std::set<Row> unique(brute.begin(), brute.end());
      const Rows want(unique.begin(), unique.end());
      check_tail(tally, reg, graph, matches + " RETURN DISTINCT " + render.id_columns(), brute,
                 show_rows(want), [&](const Rows& got) { return sorted(got) == want; });
      break;
    }
    case 3: {  // ORDER BY every column, each way: a total order, so the page is exact
      std::vector<std::size_t> order(width);
      for (std::size_t j = 0; j < width; ++j) order[j] = j;
      for (std::size_t j = width; j > 1; --j)
        std::swap(order[j - 1], order[static_cast<std::size_t>(rng.below(static_cast<int>(j)))]);
      std::vector<bool> desc(width);
      std::string by;
      for (std::size_t j = 0; j < width; ++j) {
        desc[j] = rng.chance(0.4);
        by += (j == 0 ? "" : ", ") + column(order[j]) +
              (desc[j]           ? " DESC"
               : rng.chance(0.2) ? " ASC"
                                 : "");
      }
      Rows want = brute;
      std::sort(want.begin(), want.end(), [&](const Row& x, const Row& y) {
        for (std::size_t j = 0; j < width; ++j) {
          const auto& a = x[order[j]];
          const auto& b = y[order[j]];
          if (a != b) return desc[j] ? a > b : a < b;
        }
        return false;
      });
      want = page(want);
      check_tail(tally, reg, graph,
                 matches + " RETURN " + render.id_columns() + " ORDER BY " + by + paging, brute,
                 show_rows(want), [&](const Rows& got) { return got == want; });
      break;
    }
    case 4: {  // ORDER BY one column: that column's values are exact, the rows come from the match
      const std::size_t j = static_cast<std::size_t>(rng.below(static_cast<int>(width)));
      const bool desc = rng.chance(0.4);
      std::vector<std::string> keys;
      for (const auto& row : brute) keys.push_back(row[j]);
      std::sort(keys.begin(), keys.end());
      if (desc) std::reverse(keys.begin(), keys.end());
      Rows key_rows;
      for (const auto& k : keys) key_rows.push_back({k});
      const Rows want = page(key_rows);
      check_tail(tally, reg, graph,
                 matches + " RETURN " + render.id_columns() + " ORDER BY " + column(j) +
                     (desc ? " DESC" : "") + paging,
                 brute, "column " + std::to_string(j) + " = " + show_rows(want),
                 [&](const Rows& got) {
                   if (got.size() != want.size()) return false;
                   for (std::size_t i = 0; i < got.size(); ++i) {
                     if (got[i].size() != width || got[i][j] != want[i][0]) return false;
                   }
                   return is_sub_multiset(got, brute);
                 });
      break;
    }
    case 7: {  // ORDER BY a property that is not returned, then every column: exact
      const std::size_t j = static_cast<std::size_t>(rng.below(static_cast<int>(width)));
      const bool desc = rng.chance(0.5);
      std::map<std::string, std::string> name_of;
      for (const auto& e : reg.entities) name_of[e.id] = e.name;
      const std::string var = q.node_names[static_cast<std::size_t>(q.returned[j])];
      Rows want = brute;
      std::sort(want.begin(), want.end(), [&](const Row& x, const Row& y) {
        const auto& a = name_of[x[j]];
        const auto& b = name_of[y[j]];
        if (a != b) return desc ? a > b : a < b;
        return x < y;
      });
      want = page(want);
      check_tail(tally, reg, graph,
                 matches + " RETURN " + render.id_columns() + " ORDER BY " + var + ".name" +
                     (desc ? " DESC, " : ", ") + render.id_columns() + paging,
                 brute, show_rows(want), [&](const Rows& got) { return got == want; });
      break;
    }
    case 5: {  // SKIP / LIMIT without order: some page of the right size
      const std::size_t size = page(brute).size();
      check_tail(tally, reg, graph, matches + " RETURN " + render.id_columns() + paging, brute,
                 std::to_string(size) + " rows from the brute-force rows", [&](const Rows& got) {
                   return got.size() == size && is_sub_multiset(got, brute);
                 });
      break;
    }
    default: {  // grouping: v.id, count(*), and DISTINCT v.id ordered
      const std::size_t j = static_cast<std::size_t>(rng.below(static_cast<int>(width)));
      if (rng.chance(0.5)) {
        std::map<std::string, std::size_t> counts;
        for (const auto& row : brute) ++counts[row[j]];
        Rows want;
        for (const auto& [id, n] : counts) want.push_back({id, std::to_string(n)});
        check_tail(tally, reg, graph, matches + " RETURN " + column(j) + ", count(*)", brute,
                   show_rows(want), [&](const Rows& got) { return sorted(got) == want; });
      } else {
        std::set<std::string> ids;
        for (const auto& row : brute) ids.insert(row[j]);
        Rows want;
        for (const auto& id : ids) want.push_back({id});
        std::reverse(want.begin(), want.end());
        want = page(want);
        check_tail(
            tally, reg, graph,
            matches + " RETURN DISTINCT " + column(j) + " ORDER BY " + column(j) + " DESC" + paging,
            brute, show_rows(want), [&](const Rows& got) { return got == want; });
      }
      break;
    }
  }
}

/// WITH, OPTIONAL MATCH and UNWIND over a generated query whose brute-force rows are
/// known: each case's answer follows from those rows (or, for OPTIONAL MATCH, from them
/// and the list of entities) by the documented semantics.
void check_clause_tail(Tally& tally, Rng& rng, const RandomRegistry& reg, const Graph& graph,
                       const QQuery& q, const Rows& brute) {
  const Renderer render(q);
  const std::string matches = render.matches();
  const std::size_t width = q.returned.size();
  const std::size_t j = static_cast<std::size_t>(rng.below(static_cast<int>(width)));
  const std::string var = q.node_names[static_cast<std::size_t>(q.returned[j])];
  std::string vars;
  for (std::size_t i = 0; i < width; ++i)
    vars += (i == 0 ? "" : ", ") + q.node_names[static_cast<std::size_t>(q.returned[i])];
  std::map<std::string, int> per_value;  // column j's value -> rows
  for (const auto& row : brute) ++per_value[row[j]];
  auto same_multiset = [](const Rows& want) {
    return [want](const Rows& got) { return sorted(got) == want; };
  };
  switch (rng.below(9)) {
    case 0: {  // grouping by one variable
      Rows want;
      for (const auto& [value, n] : per_value) want.push_back({value, std::to_string(n)});
      check_tail(tally, reg, graph,
                 matches + " WITH " + var + ", count(*) AS n RETURN " + var + ".id, n", brute,
                 show_rows(want), same_multiset(sorted(want)));
      break;
    }
    case 1: {  // the distribution of the group sizes, through two WITHs
      std::map<int, int> sizes;
      for (const auto& [value, n] : per_value) ++sizes[n];
      Rows want;
      for (const auto& [n, k] : sizes) want.push_back({std::to_string(n), std::to_string(k)});
      check_tail(tally, reg, graph,
                 matches + " WITH " + var + ".id AS key, count(*) AS n WITH n, count(*) AS k " +
                     "RETURN n, k ORDER BY n",
                 brute, show_rows(want), [want](const Rows& got) { return got == want; });
      break;
    }
    case 2: {  // WHERE after WITH reads an aggregate
      const int at_least = rng.range(1, 3);
      Rows want;
      for (const auto& [value, n] : per_value) {
        if (n >= at_least) want.push_back({value});
      }
      check_tail(tally, reg, graph,
                 matches + " WITH " + var + ", count(*) AS n WHERE n >= " +
                     std::to_string(at_least) + " RETURN " + var + ".id",
                 brute, show_rows(want), same_multiset(sorted(want)));
      break;
    }
    case 3: {  // WITH DISTINCT over every returned variable
      std::set<Row> unique(brute.begin(), brute.end());
      const Rows want(unique.begin(), unique.end());
      check_tail(tally, reg, graph,
                 matches + " WITH DISTINCT " + vars + " RETURN " + render.id_columns(), brute,
                 show_rows(want), same_multiset(want));
      break;
    }
    case 4: {  // collect, then UNWIND: the column back, as a multiset
      Rows want;
      for (const auto& row : brute) want.push_back({row[j]});
      check_tail(tally, reg, graph,
                 matches + " WITH collect(" + var + ".id) AS ids UNWIND ids AS i RETURN i", brute,
                 show_rows(want), same_multiset(sorted(want)));
      break;
    }
    case 5: {  // every entity, then the whole match as later clauses with one end bound
      check_tail(
          tally, reg, graph,
          "MATCH (" + var + ") WITH " + var + " " + matches + " RETURN " + render.id_columns(),
          brute, show_rows(brute), same_multiset(sorted(brute)));
      break;
    }
    case 6: {  // OPTIONAL MATCH: each entity's rows, or one row of nulls
      if (q.matches.size() != 1) {
        check_tail(tally, reg, graph,
                   "UNWIND [1, 2] AS x " + matches + " RETURN " + render.id_columns(), brute,
                   "twice the rows", [&](const Rows& got) {
                     Rows twice = brute;
                     twice.insert(twice.end(), brute.begin(), brute.end());
                     return sorted(got) == sorted(twice);
                   });
        break;
      }
      Rows want;
      for (const auto& e : reg.entities) {
        bool any = false;
        for (const auto& row : brute) {
          if (row[j] == e.id) {
            want.push_back(row);
            any = true;
          }
        }
        if (!any) {
          Row nulls(width, "null");
          nulls[j] = e.id;
          want.push_back(nulls);
        }
      }
      check_tail(tally, reg, graph,
                 "MATCH (" + var + ") OPTIONAL " + matches + " RETURN " + render.id_columns(),
                 brute, show_rows(want), same_multiset(sorted(want)));
      break;
    }
    case 7: {  // COUNT { } of the whole match, per entity: its number of rows
      if (q.matches.size() != 1) {
        const Rows want = {{std::to_string(brute.size())}};
        check_tail(tally, reg, graph, matches + " WITH count(*) AS n RETURN n", brute,
                   show_rows(want), [want](const Rows& got) { return got == want; });
        break;
      }
      const auto& m = q.matches[0];
      std::string body = render.patterns(m.patterns);
      if (m.where) body += " WHERE " + render.expr(*m.where, 0);
      Rows want;
      for (const auto& e : reg.entities) {
        const auto it = per_value.find(e.id);
        want.push_back({e.id, std::to_string(it == per_value.end() ? 0 : it->second)});
      }
      check_tail(tally, reg, graph,
                 "MATCH (" + var + ") RETURN " + var + ".id, COUNT { " + body + " }", brute,
                 show_rows(want), same_multiset(sorted(want)));
      break;
    }
    case 8: {  // CASE and a list comprehension over the collected column
      const std::string pick =
          reg.entities[static_cast<std::size_t>(rng.below(static_cast<int>(reg.entities.size())))]
              .id;
      Rows want;
      std::vector<std::string> kept;
      for (const auto& row : brute) {
        want.push_back({row[j] == pick ? "hit" : row[j]});
        if (row[j] != pick) kept.push_back(row[j]);
      }
      check_tail(tally, reg, graph,
                 matches + " RETURN CASE " + var + ".id WHEN " + quote_string(pick) +
                     " THEN 'hit' ELSE " + var + ".id END",
                 brute, show_rows(want), same_multiset(sorted(want)));
      const Rows sizes = {{std::to_string(kept.size())}};
      check_tail(tally, reg, graph,
                 matches + " WITH collect(" + var +
                     ".id) AS ids RETURN size([x IN ids WHERE x <> " + quote_string(pick) +
                     " | x + '!'])",
                 brute, show_rows(sizes), [sizes](const Rows& got) { return got == sizes; });
      break;
    }
    default:
      break;
  }
}

void print_summary(const char* what, const Tally& tally, double seconds) {
  if (std::getenv("TWINSCAN_DIFF_VERBOSE") == nullptr) return;
  std::cout << what << ": " << tally.compared << " compared, " << tally.brute_over_budget
            << " too big for the brute force, " << tally.engine_over_budget
            << " engine over budget, " << tally.mismatches << " mismatches, " << tally.nonempty
            << " with rows, " << tally.rows << " brute-force rows, " << seconds << " s\n";
}

}  // namespace

TEST_CASE("random queries match the brute-force semantics", "[differential]") {
  const std::uint64_t seed = env_number("TWINSCAN_DIFF_SEED", 20240601);
  const std::uint64_t graphs = env_number("TWINSCAN_DIFF_GRAPHS", 500);
  constexpr int kQueriesPerGraph = 10;
  const auto started = std::chrono::steady_clock::now();
  Tally tally;
  for (std::uint64_t g = 0; g < graphs; ++g) {
    Rng rng(seed * 1'000'003 + g);
    const RandomRegistry reg = twinscan::testing::random_registry(rng);
    const auto graph = load_graph(reg);
    QueryGenerator generator(rng, reg);
    for (int i = 0; i < kQueriesPerGraph; ++i) {
      const QQuery q = generator.generate();
      check_rows(tally, reg, *graph, q,
                 "graph " + std::to_string(g) + ", query " + std::to_string(i));
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  print_summary("rows", tally, seconds);
  CHECK(tally.mismatches == 0);
  // Most generated queries must really be compared: a generator or a harness that
  // skips them would pass with nothing checked.
  CHECK(tally.compared * 5 >= graphs * kQueriesPerGraph * 4);
  // A few cases are too big to compare; many would mean the generator or the engine
  // (walking far more than the brute force) went astray.
  CHECK(tally.brute_over_budget * 50 <= tally.compared);
  CHECK(tally.engine_over_budget * 100 <= tally.compared);
  if (graphs >= 500) CHECK(tally.compared >= 4000);
}

TEST_CASE("DISTINCT, count, ORDER BY, SKIP and LIMIT agree with the brute-force rows",
          "[differential]") {
  const std::uint64_t seed = env_number("TWINSCAN_DIFF_SEED", 20240601) + 17;
  const std::uint64_t graphs = env_number("TWINSCAN_DIFF_GRAPHS", 500) / 2;
  constexpr int kQueriesPerGraph = 6;
  const auto started = std::chrono::steady_clock::now();
  Tally tally;
  for (std::uint64_t g = 0; g < graphs; ++g) {
    Rng rng(seed * 1'000'003 + g);
    const RandomRegistry reg = twinscan::testing::random_registry(rng);
    const auto graph = load_graph(reg);
    QueryGenerator generator(rng, reg);
    for (int i = 0; i < kQueriesPerGraph; ++i) {
      const QQuery q = generator.generate();
      const auto brute = check_rows(tally, reg, *graph, q,
                                    "graph " + std::to_string(g) + ", query " + std::to_string(i));
      if (brute) check_random_tail(tally, rng, reg, *graph, q, *brute);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  print_summary("tails", tally, seconds);
  CHECK(tally.mismatches == 0);
  // Most generated queries must really be compared: a generator or a harness that
  // skips them would pass with nothing checked.
  CHECK(tally.compared * 5 >= graphs * kQueriesPerGraph * 4);
}

TEST_CASE("WITH, OPTIONAL MATCH and UNWIND agree with the brute-force rows", "[differential]") {
  const std::uint64_t seed = env_number("TWINSCAN_DIFF_SEED", 20240601) + 29;
  const std::uint64_t graphs = env_number("TWINSCAN_DIFF_GRAPHS", 500) / 2;
  constexpr int kQueriesPerGraph = 6;
  const auto started = std::chrono::steady_clock::now();
  Tally tally;
  for (std::uint64_t g = 0; g < graphs; ++g) {
    Rng rng(seed * 1'000'003 + g);
    const RandomRegistry reg = twinscan::testing::random_registry(rng);
    const auto graph = load_graph(reg);
    QueryGenerator generator(rng, reg);
    for (int i = 0; i < kQueriesPerGraph; ++i) {
      const QQuery q = generator.generate();
      const auto brute = check_rows(tally, reg, *graph, q,
                                    "graph " + std::to_string(g) + ", query " + std::to_string(i));
      if (brute) check_clause_tail(tally, rng, reg, *graph, q, *brute);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  print_summary("clauses", tally, seconds);
  CHECK(tally.mismatches == 0);
  CHECK(tally.compared * 5 >= graphs * kQueriesPerGraph * 4);
}

TEST_CASE("shortestPath and allShortestPaths are the shortest of the enumerated walks",
          "[differential]") {
  // The enumeration of simple paths is checked against the brute force above; the
  // breadth-first searches must give its shortest walks: all of them for
  // allShortestPaths (both ends bound: the search from both ends), one of them for
  // shortestPath, and the shortest length to each far end with one end bound.
  const std::uint64_t seed = env_number("TWINSCAN_DIFF_SEED", 20240601) + 41;
  const std::uint64_t graphs = env_number("TWINSCAN_DIFF_GRAPHS", 500) / 5;
  std::uint64_t compared = 0, with_paths = 0;
  for (std::uint64_t g = 0; g < graphs; ++g) {
    Rng rng(seed * 1'000'003 + g);
    const RandomRegistry reg = twinscan::testing::random_registry(rng);
    const auto graph = load_graph(reg);
    for (int i = 0; i < 4; ++i) {
      const auto pick = [&] {
        return reg
            .entities[static_cast<std::size_t>(rng.below(static_cast<int>(reg.entities.size())))]
            .id;
      };
      std::string a = pick(), b = pick();
      // Half the pairs are the ends of a relation, so that many are joined by some walk
      // whatever the seed (two entities picked apart are seldom joined in a sparse graph).
      if (!reg.relations.empty() && rng.chance(0.5)) {
        const auto& r = reg.relations[static_cast<std::size_t>(
            rng.below(static_cast<int>(reg.relations.size())))];
        a = reg.entities[static_cast<std::size_t>(r.from)].id;
        b = reg.entities[static_cast<std::size_t>(r.to)].id;
        if (rng.chance(0.5)) std::swap(a, b);
      }
      std::string kinds;
      if (rng.chance(0.6)) {
        kinds = ":" + kQueryTypes[static_cast<std::size_t>(rng.below(6))];
        if (rng.chance(0.5)) kinds += "|" + kQueryTypes[static_cast<std::size_t>(rng.below(6))];
      }
      const int hops = rng.range(1, 5);
      const int dir = rng.below(3);
      const std::string left = dir == 1 ? "<-" : "-", right = dir == 0 ? "->" : "-";
      const std::string rel = left + "[" + kinds + "*1.." + std::to_string(hops) + "]" + right;
      const std::string ends =
          "MATCH (a {id: " + quote_string(a) + "}), (b {id: " + quote_string(b) + "}) ";
      const std::string walk = " RETURN [n IN nodes(p) | n.id], [r IN relationships(p) | type(r)]";
      const EngineResult every = run_engine(
          *graph, ends + "MATCH p = (a)" + rel + "(b)" + walk + ", length(p)", 5'000'000);
      REQUIRE(every.compiled);
      if (every.limit_exceeded) continue;
      std::size_t shortest = SIZE_MAX;
      for (const auto& row : every.rows)
        shortest = std::min<std::size_t>(shortest, std::stoul(row[2]));
      Rows want;
      for (const auto& row : every.rows) {
        if (std::stoul(row[2]) == shortest) want.push_back({row[0], row[1]});
      }
      const std::string context = "graph " + std::to_string(g) + ": " + ends + rel;
      INFO(context);
      const EngineResult all = run_engine(
          *graph, ends + "MATCH p = allShortestPaths((a)" + rel + "(b))" + walk, 5'000'000);
      REQUIRE(all.compiled);
      CHECK(sorted(all.rows) == sorted(want));
      const EngineResult one =
          run_engine(*graph, ends + "MATCH p = shortestPath((a)" + rel + "(b))" + walk, 5'000'000);
      REQUIRE(one.compiled);
      CHECK(one.rows.size() == (want.empty() ? 0U : 1U));
      if (!one.rows.empty()) CHECK(std::find(want.begin(), want.end(), one.rows[0]) != want.end());
      // One end bound: the shortest length to every far end.
      const EngineResult reach =
          run_engine(*graph,
                     "MATCH (a {id: " + quote_string(a) + "}) MATCH p = (a)" + rel +
                         "(x) WHERE x <> a RETURN x.id, min(length(p))",
                     5'000'000);
      const EngineResult bfs =
          run_engine(*graph,
                     "MATCH (a {id: " + quote_string(a) + "}) MATCH p = shortestPath((a)" + rel +
                         "(x)) WHERE x <> a RETURN x.id, length(p)",
                     5'000'000);
      REQUIRE(bfs.compiled);
      if (!reach.limit_exceeded) CHECK(sorted(bfs.rows) == sorted(reach.rows));
      ++compared;
      if (!want.empty()) ++with_paths;
    }
  }
  CHECK(compared >= graphs * 3);
  CHECK(with_paths * 10 >= compared);
}

TEST_CASE("the executor stops with LimitExceeded past max_expansions", "[differential]") {
  Rng rng(7);
  RegistryShape shape;
  shape.min_entities = 300;
  shape.max_entities = 300;
  shape.max_relations = 1200;
  RandomRegistry reg = twinscan::testing::random_registry(rng, shape);
  while (reg.relations.size() < 600) reg = twinscan::testing::random_registry(rng, shape);
  const auto graph = load_graph(reg);
  const std::string text = "MATCH (a)-[*1..4]-(b) RETURN a.id, b.id";
  std::vector<query::QueryMessage> messages;
  const auto compiled = query::prepare_query(text, *graph, {}, query::CompileOptions{}, messages);
  REQUIRE(compiled);
  const query::FunctionContext context{*graph, {2024, 6, 1}};

  // A full run, to learn how many relations the query walks.
  query::Executor full(*graph, *compiled, context);
  std::uint64_t matches = 0;
  full.match([&](const std::vector<query::Value>&) {
    ++matches;
    return true;
  });
  const std::uint64_t needed = full.expansions();
  REQUIRE(needed > 1000);
  CHECK(matches > 0);

  for (const std::uint64_t tiny :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{10}, std::uint64_t{500}}) {
    query::ExecutionLimits limits;
    limits.max_expansions = tiny;
    query::Executor executor(*graph, *compiled, context, limits);
    CHECK_THROWS_AS(executor.match([](const std::vector<query::Value>&) { return true; }),
                    query::LimitExceeded);
    CHECK_THROWS_AS(query::run_query(*graph, *compiled, context, limits), query::LimitExceeded);
  }
  // The budget is the number of relations walked: exactly enough passes, one fewer does not.
  query::ExecutionLimits exact;
  exact.max_expansions = needed;
  query::Executor enough(*graph, *compiled, context, exact);
  CHECK_NOTHROW(enough.match([](const std::vector<query::Value>&) { return true; }));
  exact.max_expansions = needed - 1;
  query::Executor short_by_one(*graph, *compiled, context, exact);
  CHECK_THROWS_AS(short_by_one.match([](const std::vector<query::Value>&) { return true; }),
                  query::LimitExceeded);
}
