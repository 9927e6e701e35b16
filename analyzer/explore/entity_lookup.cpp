#include "analyzer/explore/entity_lookup.h"

#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/model/name_matching.h"
#include "analyzer/util/nearest_name.h"

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
  std::vector<Candidate> found;
  if (!folded.empty()) {
    for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
      int best = -1;
      for_each_name(graph, v, aliases_key, [&](std::string_view name, bool alias) {
        if (best != 0 && fold(name) == folded) best = alias ? 1 : 0;
      });
      if (best >= 0) found.push_back({v, best});
    }
    // Another script: only when nothing matched as written, since it costs a
    // transliteration of every name that is not ASCII.
    if (found.empty()) {
      const std::string latin = model::transliterate_name(text);
      for (model::VertexId v = 0; v < graph.entity_count() && !latin.empty(); ++v) {
        bool match = false;
        for_each_name(graph, v, aliases_key, [&](std::string_view name, bool) {
          if (match) return;
          match = (is_ascii(name) ? fold(name) : model::transliterate_name(name)) == latin;
        });
        if (match) found.push_back({v, 2});
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
  known.reserve(graph.entity_count() * 2);
  for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
    known.emplace_back(graph.id(v));
    if (const auto name = graph.name_or_title_sym(v)) known.emplace_back(graph.str(name));
  }
  diagnostics.error({}, std::string(what) + ": no entity has the id or name '" + std::string(text) +
                            "'" + util::did_you_mean(text, known) +
                            " (ids and names are listed by twinscan query)");
  return std::nullopt;
}

}  // namespace twinscan::explore
