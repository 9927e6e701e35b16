// Why a condition came out unknown because of a partial date: what the evaluator notes
// and what rules and `twinscan query` show beside an undecided match.
#pragma once

#include <string>
#include <vector>

#include "analyzer/query/ast.h"
#include "analyzer/query/value.h"

namespace twinscan::query {

/// Why a condition came out unknown because of date imprecision: a comparison that is
/// true for some of the days a partial date may mean and false for others.
struct Imprecision {
  /// A partial date the comparison read: the entity or relation, the property, the date.
  struct DateRead {
    Value holder;
    std::string key;
    model::Date date;
  };
  /// Where the comparison (or IN) left open and its operands are written in the query:
  /// spans, not pointers, so that a note outlives the compilation that made it (every
  /// compilation of one text has the same spans).
  SourceSpan condition;
  SourceSpan left_span;
  SourceSpan right_span;
  Value left;  ///< Its operands' values.
  Value right;
  std::vector<DateRead> dates;  ///< The partial dates its operands read (data, not literals).
};

}  // namespace twinscan::query
