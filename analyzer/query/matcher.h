// Pattern matching: runs a planned SubPlan over the graph, depth-first, one step at a
// time (scans, lookups, expansions along relations, variable-length walks, breadth-first
// reach), and answers EXISTS. Conditions are evaluated by the Evaluator.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "analyzer/query/budget.h"
#include "analyzer/query/evaluator.h"
#include "analyzer/query/imprecision.h"
#include "analyzer/query/plan.h"
#include "analyzer/query/reach_cache.h"
#include "analyzer/query/value_sets.h"
#include "analyzer/query/words_memo.h"
#include "analyzer/util/zeroed_array.h"

namespace twinscan::query {

/// Called with the frame of each complete match; return false to stop the run.
using MatchCallback = std::function<bool(const std::vector<Value>& frame)>;

/// Binds a plan's slots in `frame`, one match at a time, with conditions checked as soon
/// as their variables are bound.
class Matcher {
 public:
  Matcher(const model::Graph& graph, std::vector<Value>& frame, Evaluator& evaluator,
          const ExecutionLimits& limits);

  /// Every match of `plan` (its outer slots bound in the frame). Returns false when the
  /// callback stopped the run.
  bool match(const SubPlan& plan, const MatchCallback& callback) { return run(plan, 0, callback); }
  /// Every match, and besides every undecided match: one whose conditions are each true
  /// or unknown only because of date imprecision, at least one unknown. During
  /// `undecided`, imprecisions() tells why.
  bool match(const SubPlan& plan, const MatchCallback& callback, const MatchCallback& undecided);
  /// How many candidates the first step of `plan` visits when it scans entities (all
  /// of them, or those of some kinds), in the order it visits them; 0 when the first
  /// step is of another kind (a lookup, an index, a walk), which cannot be split.
  [[nodiscard]] std::size_t start_candidates(const SubPlan& plan) const;
  /// match(plan, callback, undecided) with the first step's scan limited to its
  /// candidates [begin, end): the matches of consecutive ranges, in range order, are
  /// those of the whole scan, in order.
  bool match_range(const SubPlan& plan, std::size_t begin, std::size_t end,
                   const MatchCallback& callback, const MatchCallback& undecided);
  /// The comparisons left open along the undecided match being reported.
  [[nodiscard]] const std::vector<Imprecision>& imprecisions() const { return open_notes_; }

  /// 1 when a match of an EXISTS subquery exists, 0 when none does, kImprecise when
  /// none is sure but some match is undecided because of date imprecision (then the
  /// evaluator's pending() tells why).
  int exists(const SubPlan& plan);
  /// The number of sure matches of a COUNT subquery (one that date imprecision leaves
  /// undecided is not counted).
  std::int64_t count(const SubPlan& plan);

  /// Every walk of `edge`, a variable-length relation of `plan`, that leads from `from`
  /// to `to` as a match of the plan walks it: a simple path within the edge's hop bounds,
  /// written from `from` (the edge's left end) to `to` (its right end), each relation of
  /// the edge's kinds and passing its conditions, and ending at `to` the first time it
  /// reaches it. `found` gets each one and stops the search by returning false; like a
  /// match with both ends bound, the walks go from the end with fewer relations to follow,
  /// so a path's nodes may run from `to` to `from`. The relations walked count against
  /// the budget.
  bool walks_between(const SubPlan& plan, const PatternEdge& edge, model::VertexId from,
                     model::VertexId to, const std::function<bool(const PathData&)>& found);

  [[nodiscard]] std::uint64_t expansions() const { return budget_.walked(); }
  /// Whether `condition`, one a walk checks on every relation it meets
  /// (PatternEdge::relation_conditions), held for `r` for sure when the walk met it: the
  /// WHERE, which asks it again of every relation of each path, need not evaluate it.
  [[nodiscard]] bool held_for_sure(const CompiledExpr& condition, model::RelationId r) const {
    for (const auto& [of, answers] : relation_answers_) {
      if (of == &condition) return answers[r] == kHeld;
    }
    return false;
  }
  /// One step of work counted against the budget (see Budget::tick).
  void tick() { budget_.tick(); }
  Budget& budget() { return budget_; }

 private:
  bool run(const SubPlan& plan, std::size_t step, const MatchCallback& callback);
  bool expand(const SubPlan& plan, std::size_t step, const MatchCallback& callback);
  bool expand_variable(const SubPlan& plan, std::size_t step, const MatchCallback& callback);
  bool expand_reach(const SubPlan& plan, std::size_t step, const MatchCallback& callback);
  // A walk up ownership chains with Step::owner_share_floor, its far ends read from the
  // run's chain shares; nothing when the run keeps none for the firm (then it is walked).
  std::optional<bool> expand_to_owners(const SubPlan& plan, std::size_t step,
                                       const MatchCallback& callback);
  // The entities within the edge's hops of `from`, breadth-first; stops at `target` once
  // found (found_target).
  // Returns the relations looked at.
  std::uint64_t reach_from(const SubPlan& plan, const PatternEdge& edge, Direction d,
                           model::VertexId from, model::VertexId target, bool& found_target,
                           std::vector<model::VertexId>& reached);
  // Where the reaches of `edge` walked in direction `d` are kept for the scan, or null
  // when they are not (no scan-wide cache, or relations that answer to conditions).
  ReachCache::Table* reach_table(const PatternEdge& edge, Direction d);
  bool expand_shortest(const SubPlan& plan, std::size_t step, const MatchCallback& callback);
  template <typename OnPath>
  bool simple_paths(const SubPlan& plan, const PatternEdge& edge, Direction d, model::VertexId at,
                    model::VertexId stop_at, PathData& walked, OnPath& on_path);
  // `flipped`: the walk goes from the step's bound target back to its source.
  bool walk(const SubPlan& plan, std::size_t step, const PatternEdge& edge, Direction d,
            model::VertexId at, PathData& walked, bool flipped, const MatchCallback& callback);
  bool bind_segment_end(const SubPlan& plan, std::size_t step, const PatternEdge& edge,
                        const PathData& walked, bool flipped, const MatchCallback& callback);
  bool relation_ok(const SubPlan& plan, const PatternEdge& edge, model::RelationId r);
  // The relations of `edge`'s kinds at `v` in direction `d`, counted up to 65: enough to
  // tell which end of a walk has fewer to follow. A hub's count is remembered
  // (follow_counts_): its runs are found by binary search in thousands of relations, and
  // the evidence of each finding that ends at it asks again.
  [[nodiscard]] std::size_t relations_to_follow(const PatternEdge& edge, model::VertexId v,
                                                Direction d);
  [[nodiscard]] std::size_t count_relations_to_follow(const PatternEdge& edge, model::VertexId v,
                                                      Direction d) const;
  // False when `r` fails a condition the WHERE asks of every relation of the edge.
  bool meets_relation_conditions(const PatternEdge& edge, model::RelationId r);
  bool relation_in_use(const SubPlan& plan, const PatternEdge& edge, model::RelationId r) const;
  void assemble_path(const SubPlan& plan, const PathBinding& path);
  bool location_of(const Value& v, model::GeoPoint& out) const;

  const model::Graph& graph_;
  std::vector<Value>& frame_;
  Evaluator& evaluator_;
  Budget budget_;
  // relations_to_follow()'s answers for hubs, by a hash of vertex, direction and edge.
  struct FollowCount {
    const PatternEdge* edge = nullptr;
    model::VertexId vertex = 0;
    Direction direction = Direction::kOut;
    std::size_t count = 0;
  };
  std::array<FollowCount, 32> follow_counts_{};
  struct ExistsAnswer {
    int answer = 0;                ///< 1, 0 or kImprecise.
    std::vector<Imprecision> why;  ///< kImprecise: what left it open.
  };
  /// EXISTS answers by subquery and by the outer entities and relations it read. A
  /// subquery that reads at most two outer entities or relations and no outer property
  /// is keyed by those ids packed in two words (no string is built per question);
  /// others by a string of the ids and values.
  struct ExistsMemo {
    const SubPlan* plan = nullptr;
    /// A subquery that reads one outer entity (the commonest: "does this firm have an
    /// owner") is answered from a table indexed by the entity: 0 not asked yet, else
    /// the answer + 2 (1 for kImprecise, whose reasons are kept in by_words). Zeroed by
    /// the kernel page by page as it is used: a screening asks a few entities of a
    /// million, and zeroing the whole table for each subquery took a tenth of its time.
    util::ZeroedArray<std::int8_t> by_vertex;
    WordsMemo by_words;
    std::unordered_map<std::string, ExistsAnswer> by_text;
    /// Questions asked and answered from memory (by_words and by_text). A subquery
    /// whose outer values rarely repeat (one that reads every entity of the match) is
    /// no longer remembered once that shows: keys that never return cost time and memory.
    std::uint64_t asked = 0;
    std::uint64_t remembered = 0;
    bool forgetful = false;
    /// A subquery with a value_conjunct: per outer entity, the texts its inner side
    /// takes (see answer_by_value).
    ValueSets by_value;
  };
  /// Answers `plan` (one with a SubPlan::value_conjunct) from the values its inner side
  /// takes for the outer entity bound now, collected the first time it is asked about;
  /// false when the question is not of that form after all (the outer value is no text,
  /// an inner value no text of the graph): then it is answered as any other.
  bool answer_by_value(const SubPlan& plan, ValueSets& sets, int& answer);
  /// Runs plan.steps_collecting_values for the outer entity bound now and keeps what it
  /// found in `sets`: where it lies there, or that it is not collectable.
  ValueSets::Span collect_values(const SubPlan& plan, ValueSets& sets);
  /// The collection under way (innermost), read by the kCollect steps and its matches.
  ValueCollection* collecting_ = nullptr;
  /// For its lifetime, a subquery runs as a query of its own (EXISTS, COUNT, a collection
  /// of values): the enclosing match's pending comparisons, open conditions, undecided
  /// callback and collection are set aside, the subquery's own undecided callback and
  /// collection put in their place, and all restored when it ends, by an error too.
  class OwnRun {
   public:
    OwnRun(Matcher& matcher, const MatchCallback* undecided, ValueCollection* collecting);
    ~OwnRun();
    OwnRun(const OwnRun&) = delete;
    OwnRun& operator=(const OwnRun&) = delete;

   private:
    Matcher& m_;
    std::vector<Imprecision> pending_;
    int open_;
    const MatchCallback* undecided_;
    std::size_t mark_;
    ValueCollection* collecting_;
  };
  /// Subqueries being run from the other end (SubPlan::steps_from_other_end), innermost
  /// last; exists() chooses, and steps_of() reads the choice.
  std::vector<const SubPlan*> other_end_;
  [[nodiscard]] const std::vector<Step>& steps_of(const SubPlan& plan) const {
    if (collecting_ != nullptr && collecting_->plan == &plan) return plan.steps_collecting_values;
    for (const SubPlan* p : other_end_) {
      if (p == &plan) return plan.steps_from_other_end;
    }
    return plan.steps;
  }
  /// Runs `plan` from the other end, for its lifetime, when that end has fewer relations
  /// to walk first.
  class OtherEndChoice {
   public:
    OtherEndChoice(Matcher& matcher, const SubPlan& plan);
    ~OtherEndChoice();
    OtherEndChoice(const OtherEndChoice&) = delete;
    OtherEndChoice& operator=(const OtherEndChoice&) = delete;

   private:
    Matcher& matcher_;
    bool pushed_ = false;
  };
  /// One memo per subquery asked, found by a linear search (a rule has a few).
  std::vector<std::unique_ptr<ExistsMemo>> exists_cache_;
  /// Undecided matches: where they go (null: conditions unknown by imprecision fail as
  /// any unknown does), how many such conditions are open on the current path, and why.
  const MatchCallback* undecided_ = nullptr;
  int open_ = 0;
  std::vector<Imprecision> open_notes_;
  /// match_range(): the plan whose first scan is limited, and to which candidates.
  const SubPlan* range_plan_ = nullptr;
  std::size_t range_begin_ = 0;
  std::size_t range_end_ = 0;
  /// The scan-wide tables of the reaches this run has asked for, by edge and direction.
  std::vector<std::tuple<const PatternEdge*, Direction, ReachCache::Table*>> reach_tables_;
  /// Answers of the conditions remembered by one entity (Step::remembered_by), by
  /// condition, then by vertex: kNotAsked, kHeld or kFailed. A rule's condition on an
  /// owner up a firm's chains is asked once per firm that reaches it, with the same
  /// answer each time, and reading the owner's properties is a miss at a random place of
  /// the graph; a byte per entity answers it from then on.
  /// kPassed: a relation condition that let the walk pass without holding for sure (a
  /// date left it open, or it failed to evaluate): the WHERE decides.
  enum : std::uint8_t { kNotAsked = 0, kHeld = 1, kFailed = 2, kPassed = 3 };
  std::uint8_t& remembered_answer(const Step& step, model::VertexId v);
  std::vector<std::pair<const CompiledExpr*, util::ZeroedArray<std::uint8_t>>> remembered_;
  /// Answers of the conditions every relation of a walk must meet
  /// (PatternEdge::relation_conditions), by condition, then by relation, the same way: a
  /// condition reads the relation alone, and a walk meets a relation once per path
  /// through it.
  std::uint8_t& relation_answer(const CompiledExpr& condition, model::RelationId r);
  std::vector<std::pair<const CompiledExpr*, util::ZeroedArray<std::uint8_t>>> relation_answers_;
  model::Sym location_key_ = 0;
  bool has_location_key_ = false;
};

}  // namespace twinscan::query
