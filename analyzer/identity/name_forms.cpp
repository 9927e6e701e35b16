#include "analyzer/identity/name_forms.h"

#include <algorithm>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "analyzer/model/name_matching.h"

namespace twinscan::identity {
namespace {

Script script_of(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(c, &status)) {
    case USCRIPT_LATIN:
    case USCRIPT_COMMON:
      return Script::kLatin;
    case USCRIPT_CYRILLIC:
      return Script::kCyrillic;
    case USCRIPT_HEBREW:
      return Script::kHebrew;
    case USCRIPT_ARABIC:
      return Script::kArabic;
    case USCRIPT_HAN:
      return Script::kHan;
    default:
      return Script::kOther;
  }
}

bool is_ascii(std::string_view word) {
  for (const char c : word) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

const std::string& NameFolder::latin_word(const std::string& word) {
  auto it = words_.find(word);
  if (it != words_.end()) return it->second;
  std::string latin;
  if (is_ascii(word)) {
    for (const char c : word) latin += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  } else {
    latin = model::transliterate_name(word);
  }
  return words_.emplace(word, std::move(latin)).first->second;
}

const std::string& NameFolder::latin_character(const std::string& character) {
  auto it = characters_.find(character);
  if (it != characters_.end()) return it->second;
  return characters_.emplace(character, model::transliterate_name(character)).first->second;
}

NameForm NameFolder::fold(std::string_view text, bool alias) {
  NameForm form;
  form.text = text;
  form.alias = alias;
  bool script_known = false;
  std::string word;             // the current word as written (not Chinese)
  std::string han_latin;        // the current run of Chinese characters, in Latin letters
  std::size_t han_count = 0;    // characters in the run
  std::size_t before_last = 0;  // han_latin's length before the run's last character
  bool last_is_city = false;    // the run ends in 市 ("city")
  auto flush = [&] {
    if (!word.empty()) {
      const std::string& latin = latin_word(word);
      if (!latin.empty()) form.tokens.push_back(latin);
      word.clear();
    }
    if (!han_latin.empty()) {
      // 上海市 is Shanghai as a municipality names itself: the suffix says "city", as
      // "City" does after a Latin name, and would keep 上海市 from matching Shanghai. A
      // name of two characters keeps it (市 may be part of a short name).
      if (last_is_city && han_count >= 3) han_latin.resize(before_last);
      form.tokens.push_back(std::move(han_latin));
      han_latin.clear();
    }
    han_count = 0;
    last_is_city = false;
  };
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  for (std::int32_t i = 0; i < length;) {
    const std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {  // invalid UTF-8 cannot reach the graph; skip the byte all the same
      flush();
      continue;
    }
    // Combining marks belong to the word they follow (vowel points, accents).
    const bool part_of_word = u_isalnum(c) || (u_getCombiningClass(c) != 0 && !word.empty());
    if (!part_of_word) {
      flush();
      continue;
    }
    const Script script = script_of(c);
    if (!script_known && u_isalpha(c)) {
      form.script = script;
      script_known = true;
    }
    const std::string piece(
        text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    if (script == Script::kHan) {
      if (!word.empty()) flush();
      before_last = han_latin.size();
      han_latin += latin_character(piece);
      ++han_count;
      last_is_city = c == 0x5E02;  // 市
    } else {
      if (!han_latin.empty()) flush();
      word += piece;
    }
  }
  flush();
  for (const auto& t : form.tokens) {
    if (form.token_ids.size() < 32 &&
        std::any_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
      form.numbers |= 1U << form.token_ids.size();
    form.joined += t;
    form.token_ids.push_back(
        token_ids_.emplace(t, static_cast<std::uint32_t>(token_ids_.size())).first->second);
  }
  form.skeleton = consonant_skeleton(form.joined);
  return form;
}

std::string consonant_skeleton(std::string_view s) {
  std::string out;
  auto push = [&](char c) {
    if (out.empty() || out.back() != c) out += c;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (next == 'h' &&
        (c == 's' || c == 'c' || c == 'k' || c == 'p' || c == 't' || c == 'g' || c == 'z')) {
      // Digraphs: sh zh → s, ch kh → k, ph → f, th → t, gh → g.
      push(c == 'z' ? 's' : c == 'c' ? 'k' : c == 'p' ? 'f' : c);
      ++i;
      continue;
    }
    switch (c) {
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
      case 'y':
      case 'w':
        break;  // vowels, and the letters abjads write for them
      case 'h':
        if (i + 1 < s.size()) push('h');  // a final h is a vowel letter (Hebrew he)
        break;
      case 'v':
        push('b');
        break;
      case 'p':
        push('f');
        break;
      case 'z':
        push('s');
        break;
      case 'c':
      case 'q':
        push('k');
        break;
      case 'x':
        push('k');
        push('s');
        break;
      default:
        if (c >= 'a' && c <= 'z') push(c);
        break;
    }
  }
  return out;
}

std::vector<std::vector<NameForm>> entity_name_forms(const model::Graph& graph) {
  std::vector<std::vector<NameForm>> out(graph.entity_count());
  model::Sym aliases_key = 0;
  const bool has_aliases = graph.strings().find("aliases", aliases_key);
  NameFolder folder;
  for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
    auto& forms = out[v];
    if (const model::Sym name = graph.name_or_title_sym(v); name != 0) {
      forms.push_back(folder.fold(graph.str(name), false));
    }
    if (!has_aliases) continue;
    const model::Value* aliases = graph.property(v, aliases_key);
    if (!aliases || aliases->type != model::ValueType::kList) continue;
    for (const auto& a : graph.list(aliases->list)) {
      if (a.type == model::ValueType::kString && a.string != 0)
        forms.push_back(folder.fold(graph.str(a.string), true));
    }
  }
  for (auto& forms : out) {
    // A form that folds to nothing (punctuation only) cannot be compared.
    std::erase_if(forms, [](const NameForm& f) { return f.joined.empty(); });
  }
  return out;
}

}  // namespace twinscan::identity
