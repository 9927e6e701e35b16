#include "analyzer/identity/name_similarity.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "analyzer/identity/string_similarity.h"

namespace twinscan::identity {
namespace {

constexpr double kWordMatch = 0.88;
constexpr std::size_t kMaxWords = 16;  // words compared per form; the rest are ignored

bool is_number(const NameForm& f, std::size_t i) {
  return i < 32 && (f.numbers >> i & 1U);
}

/// Word-by-word similarities of two forms, computed once for both directions.
struct WordMatrix {
  std::size_t rows = 0;
  std::size_t columns = 0;
  std::array<std::array<float, kMaxWords>, kMaxWords> s{};

  WordMatrix(const NameForm& a, const NameForm& b, WordSimilarity* cache)
      : rows(std::min(a.tokens.size(), kMaxWords)), columns(std::min(b.tokens.size(), kMaxWords)) {
    for (std::size_t i = 0; i < rows; ++i) {
      const bool number = is_number(a, i);
      for (std::size_t j = 0; j < columns; ++j) {
        if (a.token_ids[i] == b.token_ids[j]) {
          s[i][j] = 1.0F;
        } else if (number || is_number(b, j)) {
          s[i][j] = 0.0F;  // numbers (years, house numbers) match only as written
        } else if (!may_match(a.tokens[i], b.tokens[j])) {
          s[i][j] = 0.0F;
        } else if (cache) {
          s[i][j] = (*cache)(a.token_ids[i], a.tokens[i], b.token_ids[j], b.tokens[j]);
        } else {
          s[i][j] = static_cast<float>(jaro_winkler(a.tokens[i], b.tokens[j]));
        }
      }
    }
  }

  /// False when the words' lengths and beginnings alone keep their Jaro–Winkler
  /// similarity under kWordMatch (most word pairs: "co" and "construction").
  static bool may_match(std::string_view x, std::string_view y) {
    const double shorter = static_cast<double>(std::min(x.size(), y.size()));
    const double longer = static_cast<double>(std::max(x.size(), y.size()));
    const double jaro = (2 + shorter / longer) / 3;
    std::size_t prefix = 0;
    while (prefix < 4 && prefix < x.size() && prefix < y.size() && x[prefix] == y[prefix]) ++prefix;
    return jaro + static_cast<double>(prefix) * 0.1 * (1 - jaro) >= kWordMatch;
  }
};

struct Overlap {
  double dot = 0;               // Σ w(x)·w(y)·s over the words x of one side matched to y
  double matched = 0;           // Σ w(x)·s over its matched words
  double total = 0;             // Σ w(x)
  bool all_exact = true;        // every word is in the other as written
  bool number_missing = false;  // a number of this side is not in the other
};

double weight_of(const NameForm& f, std::size_t i) {
  return f.weights.size() > i ? f.weights[i] : 1.0;
}

Overlap overlap(const NameForm& a, const NameForm& b, const WordMatrix& m, bool transposed) {
  Overlap o;
  const std::size_t n = transposed ? m.columns : m.rows;
  const std::size_t k = transposed ? m.rows : m.columns;
  for (std::size_t i = 0; i < n; ++i) {
    const double wa = weight_of(a, i);
    o.total += wa;
    double best = 0;
    std::size_t best_j = 0;
    for (std::size_t j = 0; j < k; ++j) {
      const double s = transposed ? m.s[j][i] : m.s[i][j];
      if (s > best) {
        best = s;
        best_j = j;
      }
    }
    if (best < 1.0) {
      o.all_exact = false;
      if (is_number(a, i)) o.number_missing = true;
    }
    if (best < kWordMatch) continue;
    o.dot += wa * weight_of(b, best_j) * best;
    o.matched += wa * best;
  }
  return o;
}

double norm(const NameForm& f) {
  if (f.norm > 0) return f.norm;
  double sum = 0;
  for (std::size_t i = 0; i < std::min(f.tokens.size(), kMaxWords); ++i)
    sum += weight_of(f, i) * weight_of(f, i);
  return std::sqrt(sum);
}

bool is_abjad(Script s) {
  return s == Script::kHebrew || s == Script::kArabic;
}

}  // namespace

WordSimilarity::WordSimilarity(std::size_t capacity_log2)
    : slots_(std::size_t{1} << capacity_log2) {}

float WordSimilarity::operator()(std::uint32_t id_a, std::string_view a, std::uint32_t id_b,
                                 std::string_view b) {
  if (id_a > id_b) {
    std::swap(id_a, id_b);
    std::swap(a, b);
  }
  const std::uint64_t key = static_cast<std::uint64_t>(id_a) << 32 | id_b;
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = (key * 0x9e3779b97f4a7c15ULL) >> 20 & mask;
  for (;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.key == key) return slot.value;
    if (slot.key != UINT64_MAX) continue;
    const auto value = static_cast<float>(jaro_winkler(a, b));
    // Half full at most, so that probes stay short; past that, compute without keeping.
    if (2 * used_ < slots_.size()) {
      slot = {key, value};
      ++used_;
    }
    return value;
  }
}

NameMatch compare_forms(const NameForm& a, const NameForm& b, WordSimilarity* cache) {
  NameMatch m;
  if (a.joined.empty() || b.joined.empty()) return m;
  if (a.joined == b.joined) {
    m.similarity = 1.0;
    m.how = a.text == b.text ? "same name" : "same in Latin letters";
    return m;
  }
  auto consider = [&](double similarity, std::string_view how) {
    if (similarity > m.similarity) {
      m.similarity = similarity;
      m.how = how;
    }
  };
  const WordMatrix words(a, b, cache);
  const Overlap ab = overlap(a, b, words, false);
  const Overlap ba = overlap(b, a, words, true);
  if (ab.number_missing && ba.number_missing) {
    // Two different numbers ("… (2012)" and "… (2014)"): two different things.
    const double denominator = norm(a) * norm(b);
    if (denominator > 0) {
      const double cosine = std::min(1.0, ab.dot / denominator);
      consider(0.5 * cosine * cosine, "other numbers");
    }
    return m;
  }
  if (ab.all_exact && ba.all_exact) {
    consider(0.98, "same words, other order");
  } else {
    const double denominator = norm(a) * norm(b);
    // Squared, so that one unmatched telling word counts: "Rosental Bau GmbH" is not
    // "Rosental Telekom GmbH".
    if (denominator > 0) {
      const double cosine = std::min(1.0, ab.dot / denominator);
      consider(cosine * cosine, "similar words");
    }
    // A name wholly inside the other: "Freiburg" in "Freiburg im Breisgau".
    for (const Overlap* o : {&ab, &ba}) {
      if (o->total > 0 && o->matched / o->total >= 0.95)
        consider(0.85 * o->matched / o->total, "words contained");
    }
  }
  if ((a.tokens.size() == 1 || b.tokens.size() == 1) && a.joined.size() >= 4 &&
      b.joined.size() >= 4) {
    const double s = jaro_winkler(a.joined, b.joined);
    if (s >= 0.85) consider(0.95 * s * s, "similar spelling");
  }
  if (is_abjad(a.script) != is_abjad(b.script) && a.skeleton.size() >= 3 &&
      a.skeleton == b.skeleton) {
    consider(a.skeleton.size() >= 4 ? 0.7 : 0.6, "consonants agree");
  }
  return m;
}

NameMatch compare_names(const std::vector<NameForm>& a, const std::vector<NameForm>& b,
                        WordSimilarity* words) {
  NameMatch best;
  for (std::uint32_t i = 0; i < a.size(); ++i) {
    for (std::uint32_t j = 0; j < b.size(); ++j) {
      NameMatch m = compare_forms(a[i], b[j], words);
      // Of full matches, the same text written alike says it best ("上海市" ~ "上海市"
      // rather than "Shanghai" ~ "上海市"), so the search goes on for one.
      const bool identical = m.similarity >= 1.0 && a[i].text == b[j].text;
      if (m.similarity > best.similarity || identical) {
        best = m;
        best.form_a = i;
        best.form_b = j;
        if (identical) return best;
      }
    }
  }
  return best;
}

}  // namespace twinscan::identity
