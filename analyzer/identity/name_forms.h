#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/model/graph.h"

namespace twinscan::identity {

/// The script a name is written in, as far as matching cares: abjads (Hebrew, Arabic)
/// write few vowels, so their Latin forms are compared by consonants too.
enum class Script : std::uint8_t { kLatin, kCyrillic, kHebrew, kArabic, kHan, kOther };

/// One name or alias of an entity, ready for comparison: written in Latin letters,
/// folded for case and accents, and split into words.
struct NameForm {
  std::string_view text;                 ///< As written (points into the graph's strings).
  bool alias = false;                    ///< An "aliases" entry rather than the name.
  Script script = Script::kLatin;        ///< Of its first letter.
  std::vector<std::string> tokens;       ///< Folded Latin words, in order ("tel", "aviv", "yafo").
  std::vector<std::uint32_t> token_ids;  ///< Per word: equal words have equal ids.
  std::string joined;                    ///< The words run together ("telavivyafo").
  std::string skeleton;                  ///< Consonants of `joined` by sound class ("tlbbf").
  std::vector<float> weights;            ///< Per token: how telling it is (TokenWeights::assign).
  std::uint32_t bearers = 0;  ///< Entities of its kind bearing it (TokenWeights::assign).
  float norm = 0;             ///< √Σ weight² (TokenWeights::assign).
  std::uint32_t numbers = 0;  ///< Bit i: word i holds a digit (for the first 32 words).
};

/// Folds names into NameForms. A run of Chinese characters is one word, written
/// syllable by syllable ("弗赖堡" → "fulaibao"). ICU's transliteration is slow, so each
/// word and each Chinese character is transliterated once and remembered.
class NameFolder {
 public:
  NameForm fold(std::string_view text, bool alias);

 private:
  const std::string& latin_word(const std::string& word);
  const std::string& latin_character(const std::string& character);
  std::unordered_map<std::string, std::string> words_;
  std::unordered_map<std::string, std::string> characters_;
  std::unordered_map<std::string, std::uint32_t> token_ids_;
};

/// The consonant skeleton of a folded Latin word or name: digraphs reduced (sh → s,
/// ph → f), vowels, w and y dropped (except a leading one), sounds an abjad writes
/// alike merged (v → b, p → f, z → s, c q → k), doubles collapsed. "ashdod" and the
/// Hebrew "'sdwd" both give "sdd".
std::string consonant_skeleton(std::string_view folded);

/// Every entity's forms: its name (else its title) and its aliases, indexed by vertex.
std::vector<std::vector<NameForm>> entity_name_forms(const model::Graph& graph);

}  // namespace twinscan::identity
