#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/graph.h"

namespace twinscan::model {

/// A name folded for comparison: Unicode-normalised (NFKC), case-folded, accents
/// removed, and everything but letters and digits dropped ("Tel-Aviv Yafo" and
/// "tel aviv-yafo" agree).
std::string fold_name(std::string_view name);

/// The name written in Latin letters, then folded ("上海" → "shanghai"), so that names
/// in other scripts can meet their Latin spelling.
std::string transliterate_name(std::string_view name);

/// A registry entity a name may refer to, and how sure the match is.
struct NameCandidate {
  VertexId vertex = kNoVertex;
  double confidence = 0;  ///< 1 the name, 0.95 an alias, 0.8 a transliteration.
  std::string how;        ///< "name", "alias" or "transliterated name".
};

/// Entities whose name or alias matches `name` (folded, then transliterated), best
/// first; only those of a kind in `kinds` (any when 0).
class NameIndex {
 public:
  explicit NameIndex(std::span<const Sym> names, std::span<const KindId> kinds,
                     const std::vector<std::vector<std::string_view>>& aliases,
                     const util::StringPool& strings);
  [[nodiscard]] std::vector<NameCandidate> lookup(std::string_view name, KindMask kinds) const;

 private:
  struct Entry {
    std::string key;
    VertexId vertex;
    bool alias;
    bool transliterated;
  };
  std::vector<Entry> entries_;  // sorted by key
  std::span<const KindId> kinds_;
};

}  // namespace twinscan::model
