#include "analyzer/explore/entity_lookup.h"

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include <unicode/uchar.h>

#include "analyzer/model/name_matching.h"
#include "analyzer/util/nearest_name.h"
#include "analyzer/util/parallel_for.h"

namespace twinscan::explore {
namespace {

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// fold_name for ASCII text, without ICU: lower case, letters and digits only.
std::string fold(std::string_view text) {
  if (!is_ascii(text)) return model::fold_name(text);
  std::string out;
  for (const char c : text) {
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c;
    }
  }
  return out;
}

// Whether `text` holds a letter or digit of a script other than Latin (Greek, Cyrillic,
// Hebrew, Arabic, Indic, CJK, …), which folding keeps as it is: then its fold cannot
// equal a fold made of ASCII only, and ICU need not be asked. Compatibility forms that
// NFKC maps to Latin letters (modifier letters, letter-like symbols, ligatures, full-width
// and mathematical letters) do not count.
bool has_other_script(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    UChar32 c = *p;
    int length = 1;
    if (c >= 0xF0 && end - p >= 4) {
      c = ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
      length = 4;
    } else if (c >= 0xE0 && end - p >= 3) {
      c = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
      length = 3;
    } else if (c >= 0xC0 && end - p >= 2) {
      c = ((c & 0x1F) << 6) | (p[1] & 0x3F);
      length = 2;
    }
    p += length;
    if (c < 0x370) continue;
    const bool compatibility = (c >= 0x1D00 && c <= 0x1DBF) || (c >= 0x1E00 && c <= 0x1EFF) ||
                               (c >= 0x2070 && c <= 0x24FF) || (c >= 0xFB00 && c <= 0xFB06) ||
                               (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x1D400 && c <= 0x1D7FF);
    if (!compatibility && u_isalnum(c)) return true;
  }
  return false;
}

struct Candidate {
  model::VertexId vertex;
  int rank;  // 0 name, 1 alias, 2 transliteration
};

// The names an entity answers to: its name (or title) first, then its aliases.
template <typename F>
void for_each_name(const model::Graph& graph, model::VertexId v, model::Sym aliases_key, F&& f) {
  if (const auto name = graph.name_or_title_sym(v)) f(graph.str(name), false);
  if (aliases_key == 0) return;
  if (const auto* a = graph.property(v, aliases_key); a && a->type == model::ValueType::kList) {
    for (const auto& e : graph.list(a->list)) {
      if (e.type == model::ValueType::kString) f(graph.str(e.string), true);
    }
  }
}

std::string describe(const model::Graph& graph, model::VertexId v) {
  return std::string(graph.id(v)) + " (" + graph.schema().kind(graph.kind(v)).name + ", '" +
         std::string(graph.name(v)) + "')";
}

}  // namespace

std::optional<model::VertexId> lookup_entity(const model::Graph& graph, std::string_view text,
                                             std::string_view what,
                                             diag::Diagnostics& diagnostics) {
  if (const auto v = graph.find(text)) return *v;
  model::Sym aliases_key = 0;
  if (!graph.strings().find("aliases", aliases_key)) aliases_key = 0;
  const std::string folded = fold(text);
  const bool ascii_query = is_ascii(folded);
  std::vector<Candidate> found;
  if (!folded.empty()) {
    for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
      int best = -1;
      for_each_name(graph, v, aliases_key, [&](std::string_view name, bool alias) {
        if (best == 0 || (ascii_query && !is_ascii(name) && has_other_script(name))) return;
        if (fold(name) == folded) best = alias ? 1 : 0;
      });
      if (best >= 0) found.push_back({v, best});
    }
    // Another script: only when nothing matched as written, since it costs a
    // transliteration of every name that is not ASCII (spread over the cores; ICU's
    // transliterators are per thread).
    if (found.empty()) {
      const std::string latin = model::transliterate_name(text);
      constexpr std::size_t kChunk = 4096;
      const std::size_t n = graph.entity_count();
      std::vector<std::vector<model::VertexId>> matches((n + kChunk - 1) / kChunk);
      const unsigned jobs = std::max(1U, std::thread::hardware_concurrency());
      util::parallel_for(latin.empty() ? 0 : matches.size(), jobs, [&](std::size_t chunk) {
        for (std::size_t v = chunk * kChunk; v < std::min(n, (chunk + 1) * kChunk); ++v) {
          bool match = false;
          for_each_name(graph, static_cast<model::VertexId>(v), aliases_key,
                        [&](std::string_view name, bool) {
                          // An ASCII name was compared as it is, unless the query was not.
                          if (match || (ascii_query && is_ascii(name))) return;
                          match = (is_ascii(name) ? fold(name) : model::transliterate_name(name)) ==
                                  latin;
                        });
          if (match) matches[chunk].push_back(static_cast<model::VertexId>(v));
        }
      });
      for (const auto& chunk : matches) {
        for (const auto v : chunk) found.push_back({v, 2});
      }
    }
  }
  if (!found.empty()) {
    std::stable_sort(found.begin(), found.end(),
                     [](const Candidate& a, const Candidate& b) { return a.rank < b.rank; });
    const auto best = std::count_if(found.begin(), found.end(), [&](const Candidate& c) {
      return c.rank == found.front().rank;
    });
    if (best == 1) return found.front().vertex;
    static constexpr std::size_t kListed = 20;
    std::string list;
    for (std::size_t i = 0; i < found.size() && i < kListed; ++i) {
      if (found[i].rank != found.front().rank) break;
      list += (list.empty() ? " " : "; ") + describe(graph, found[i].vertex);
    }
    if (static_cast<std::size_t>(best) > kListed)
      list += "; and " + std::to_string(best - static_cast<long>(kListed)) + " more";
    diagnostics.error({}, std::string(what) + ": the name '" + std::string(text) +
                              "' is ambiguous; it matches" + list +
                              "; give the id of the one meant");
    return std::nullopt;
  }
  // Nothing: suggest the nearest id or name.
  std::vector<std::string> known;
  // did_you_mean takes nothing more than 3 edits away, so nothing whose length differs more.
  auto near = [&](std::string_view s) {
    return s.size() + 3 >= text.size() && s.size() <= text.size() + 3;
  };
  for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
    if (near(graph.id(v))) known.emplace_back(graph.id(v));
    if (const auto name = graph.name_or_title_sym(v); name && near(graph.str(name)))
      known.emplace_back(graph.str(name));
  }
  diagnostics.error({}, std::string(what) + ": no entity has the id or name '" + std::string(text) +
                            "'" + util::did_you_mean(text, known) +
                            " (ids and names are listed by twinscan query)");
  return std::nullopt;
}

}  // namespace twinscan::explore
