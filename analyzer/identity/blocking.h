#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "analyzer/identity/name_forms.h"
#include "analyzer/identity/token_weights.h"

namespace twinscan::identity {

/// Limits of blocking.
struct BlockingOptions {
  /// A key shared by more entities than this is too common to tell anything ("city",
  /// "ltd"): its block is skipped, so that hub words cannot make the pairs explode.
  std::size_t max_block = 50;
};

/// What blocking did, for the benchmark and -v.
struct BlockingStats {
  std::size_t keys = 0;            ///< (key, entity) entries
  std::size_t blocks = 0;          ///< keys shared by two or more entities of one kind
  std::size_t skipped_blocks = 0;  ///< of those, skipped for holding more than max_block
  std::size_t pairs = 0;           ///< distinct pairs to score
};

/// The pairs of entities worth scoring: of the same kind and sharing at least one key.
/// A form's keys are its Latin spelling run together, each word, each of its two
/// rarest words with any one letter dropped (a typo, a swapped pair of letters or a
/// letter too many meet the original this way), and its consonant skeleton. Every
/// key is scoped by kind. Pairs come out as (lower vertex, higher vertex), sorted and
/// distinct; no pair is formed outside a block, so the work grows with the blocks'
/// sizes, never with the square of the registry.
std::vector<std::pair<model::VertexId, model::VertexId>> candidate_pairs(
    const model::Graph& graph, const std::vector<std::vector<NameForm>>& forms,
    const TokenWeights& weights, const BlockingOptions& options, BlockingStats* stats = nullptr);

}  // namespace twinscan::identity
