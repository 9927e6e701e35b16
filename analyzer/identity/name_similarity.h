#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "analyzer/identity/name_forms.h"

namespace twinscan::identity {

class WordSimilarity;

/// The best agreement between two entities' names and aliases, and which forms gave it.
struct NameMatch {
  double similarity = 0;  ///< 0..1
  std::uint32_t form_a = 0;
  std::uint32_t form_b = 0;
  std::string_view how;  ///< "same name", "same in Latin letters", "similar words", ...
};

/// Compares two forms (their weights filled):
/// - the same Latin letters: 1 ("same name"; "same in Latin letters" across scripts or
///   spellings; "same words, other order" at 0.98);
/// - words compared one by one, each word matching its most similar counterpart
///   (Jaro–Winkler 0.88 or more; numbers only as written), weighed by how telling it
///   is: "similar words" is the square of the weighted cosine, so an unmatched telling
///   word weighs; a name whose every word is in the other scores 0.85 ("words
///   contained": "Freiburg" in "Freiburg im Breisgau"); different numbers on both
///   sides halve it ("other numbers": agreements of 2012 and 2014);
/// - a one-word name by its spelling ("similar spelling": 0.95 × Jaro–Winkler², from
///   0.85), which catches "longfeng" against "longfengshi";
/// - a Hebrew or Arabic form against a form in another script by its consonants
///   ("consonants agree": 0.7, 0.6 for three consonants).
NameMatch compare_forms(const NameForm& a, const NameForm& b, WordSimilarity* words = nullptr);

/// The best of compare_forms over every pair of the entities' forms.
NameMatch compare_names(const std::vector<NameForm>& a, const std::vector<NameForm>& b,
                        WordSimilarity* words = nullptr);

/// Remembers the similarity of pairs of words (by NameForm::token_ids): resolve
/// compares the same words ("construction", "engineering") across many pairs.
class WordSimilarity {
 public:
  explicit WordSimilarity(std::size_t capacity_log2 = 21);
  /// Jaro–Winkler of the two words, computed once per pair of ids while there is room.
  float operator()(std::uint32_t id_a, std::string_view a, std::uint32_t id_b, std::string_view b);

 private:
  struct Slot {
    std::uint64_t key = UINT64_MAX;
    float value = 0;
  };
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

}  // namespace twinscan::identity
