#include "analyzer/model/name_matching.h"

#include <algorithm>
#include <memory>
#include <mutex>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace twinscan::model {
namespace {

std::string keep_letters_and_digits(const icu::UnicodeString& text) {
  icu::UnicodeString kept;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    if (u_isalnum(c)) kept.append(c);
    i += U16_LENGTH(c);
  }
  std::string out;
  kept.toUTF8String(out);
  return out;
}

// ICU transliterators are costly to build and not safe to share between threads.
std::unique_ptr<icu::Transliterator> make_transliterator(const char* id) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance(id, UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !t)
    throw std::runtime_error(std::string("ICU transliterator unavailable: ") + id);
  return t;
}

icu::Transliterator& accent_remover() {
  thread_local auto t = make_transliterator("NFD; [:Nonspacing Mark:] Remove; NFC");
  return *t;
}

icu::Transliterator& latinizer() {
  thread_local auto t = make_transliterator("Any-Latin; Latin-ASCII");
  return *t;
}

}  // namespace

std::string fold_name(std::string_view name) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  if (U_SUCCESS(status)) text = nfkc->normalize(text, status);
  // Strip accents: decompose and drop the combining marks.
  accent_remover().transliterate(text);
  return keep_letters_and_digits(text);
}

std::string transliterate_name(std::string_view name) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  latinizer().transliterate(text);
  std::string latin;
  text.toUTF8String(latin);
  return fold_name(latin);
}

NameIndex::NameIndex(std::span<const Sym> names, std::span<const KindId> kinds,
                     const std::vector<std::vector<std::string_view>>& aliases,
                     const util::StringPool& strings)
    : kinds_(kinds) {
  for (VertexId v = 0; v < names.size(); ++v) {
    std::vector<std::pair<std::string_view, bool>> all{{strings.str(names[v]), false}};
    for (auto a : aliases[v]) all.emplace_back(a, true);
    for (const auto& [text, alias] : all) {
      if (text.empty()) continue;
      const std::string folded = fold_name(text);
      entries_.push_back({folded, v, alias, false});
      const std::string latin = transliterate_name(text);
      if (latin != folded) entries_.push_back({latin, v, alias, true});
    }
  }
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return a.key < b.key; });
}

std::vector<NameCandidate> NameIndex::lookup(std::string_view name, KindMask kinds) const {
  std::vector<NameCandidate> out;
  auto consider = [&](const std::string& key, bool query_transliterated) {
    auto [begin, end] =
        std::equal_range(entries_.begin(), entries_.end(), Entry{key, 0, false, false},
                         [](const Entry& a, const Entry& b) { return a.key < b.key; });
    for (auto it = begin; it != end; ++it) {
      if (kinds != 0 && !(kinds >> kinds_[it->vertex] & 1U)) continue;
      const bool transliterated = query_transliterated || it->transliterated;
      NameCandidate c{it->vertex,
                      transliterated ? 0.8
                      : it->alias    ? 0.95
                                     : 1.0,
                      transliterated ? "transliterated name"
                      : it->alias    ? "alias"
                                     : "name"};
      auto existing = std::find_if(out.begin(), out.end(),
                                   [&](const NameCandidate& o) { return o.vertex == c.vertex; });
      if (existing == out.end()) {
        out.push_back(c);
      } else if (c.confidence > existing->confidence) {
        *existing = c;
      }
    }
  };
  const std::string folded = fold_name(name);
  if (folded.empty()) return out;
  consider(folded, false);
  const std::string latin = transliterate_name(name);
  if (latin != folded) consider(latin, true);
  std::sort(out.begin(), out.end(), [](const NameCandidate& a, const NameCandidate& b) {
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return a.vertex < b.vertex;
  });
  return out;
}

}  // namespace twinscan::model
