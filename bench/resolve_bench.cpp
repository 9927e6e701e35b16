// Measures `twinscan resolve` on a generated registry with injected duplicates: for
// about 1 % of the entities a second record is added, as another source would state it:
// the id renamed, the name re-spelt (accents dropped, word order swapped, a typo) and
// an alias in another script. Prints recall (injected pairs among the candidates),
// precision (injected pairs among all candidates, at the default --min-score) and time.
//
// Usage: resolve_bench [--entities 100000] [--seed 1] [--documents 4] [--work DIR]
//                      [--min-score X] [--max-block N]
// The registry is generated into --work (default: a temporary folder, removed after).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unistd.h>

#include "analyzer/gen/registry_generator.h"
#include "analyzer/identity/resolver.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"

namespace {

using namespace twinscan;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser: a deterministic draw
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string transliterate(const char* id, const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  static std::map<std::string, std::unique_ptr<icu::Transliterator>> cache;
  auto& t = cache[id];
  if (!t) t.reset(icu::Transliterator::createInstance(id, UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !t) return text;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

bool is_ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_latin(const std::string& s) {
  // Latin script with accents at most: the accents dropped, it is ASCII.
  return is_ascii(transliterate("NFD; [:Nonspacing Mark:] Remove; NFC", s));
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> words;
  std::istringstream in(s);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// The name as another source would spell it: accents dropped, and by draw the words'
// order swapped and a typo in the longest word.
std::string respell(const std::string& name, std::uint64_t draw) {
  std::string s = transliterate("NFD; [:Nonspacing Mark:] Remove; NFC", name);
  auto words = split_words(s);
  if (words.size() >= 2 && draw % 2 == 0) std::swap(words[0], words[1]);
  if ((draw >> 8) % 3 != 0) {
    auto longest = std::max_element(words.begin(), words.end(), [](const auto& a, const auto& b) {
      return a.size() < b.size();
    });
    std::string& w = *longest;
    if (w.size() >= 4 && is_ascii(w)) {
      const std::size_t at = 1 + (draw >> 16) % (w.size() - 2);
      switch ((draw >> 24) % 4) {
        case 0:
          std::swap(w[at], w[at + 1]);  // swapped letters
          break;
        case 1:
          w.erase(at, 1);  // a letter dropped
          break;
        case 2:
          w.insert(at, 1, w[at]);  // a letter doubled
          break;
        default:
          w[at] = w[at] == 'e' ? 'a' : 'e';  // a wrong letter
          break;
      }
    }
  }
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

struct Injected {
  std::string original;
  std::string duplicate;
  std::string kind;
};

// Reads the generated documents' entity lines and writes duplicates.json beside them.
std::vector<Injected> inject_duplicates(const std::string& dir, std::uint64_t seed) {
  std::vector<Injected> injected;
  std::string lines;
  std::uint64_t index = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().find("-registry.json") == std::string::npos) continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("{\"id\"", 0) != 0 || line.find("\"kind\"") == std::string::npos) continue;
      if (line.find("\"from\"") != std::string::npos) continue;  // a relation
      const std::uint64_t draw = mix(seed * 1'000'003 + index++);
      if (draw % 100 != 0) continue;
      if (line.back() == ',') line.pop_back();
      rapidjson::Document d;
      d.Parse(line.c_str());
      if (d.HasParseError() || !d.IsObject()) continue;
      const char* key = d.HasMember("name") ? "name" : d.HasMember("title") ? "title" : nullptr;
      if (!key || !d[key].IsString()) continue;
      std::string name = d[key].GetString();
      std::vector<std::string> aliases;
      if (d.HasMember("aliases") && d["aliases"].IsArray()) {
        for (const auto& a : d["aliases"].GetArray())
          if (a.IsString()) aliases.emplace_back(a.GetString());
      }
      // The Latin spelling to re-spell, and a form in another script for the alias.
      std::string latin = name;
      std::string other;
      if (!is_latin(name)) {
        other = name;
        auto found = std::find_if(aliases.begin(), aliases.end(), is_latin);
        latin = found != aliases.end() ? *found : transliterate("Any-Latin", name);
      } else {
        auto found = std::find_if(aliases.begin(), aliases.end(),
                                  [](const std::string& a) { return !is_latin(a); });
        other = found != aliases.end() ? *found : transliterate("Latin-Cyrillic", name);
      }
      const std::string id = d["id"].GetString();
      Injected inj{id, "dup:" + id, d["kind"].GetString()};
      auto& alloc = d.GetAllocator();
      d["id"].SetString(inj.duplicate.c_str(), alloc);
      d[key].SetString(respell(latin, draw >> 7).c_str(), alloc);
      rapidjson::Value list(rapidjson::kArrayType);
      list.PushBack(rapidjson::Value(other.c_str(), alloc), alloc);
      if (d.HasMember("aliases")) {
        d["aliases"] = list;
      } else {
        d.AddMember("aliases", list, alloc);
      }
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
      d.Accept(w);
      lines += (lines.empty() ? "" : ",\n") + std::string(buffer.GetString());
      injected.push_back(std::move(inj));
    }
  }
  std::ofstream out(std::filesystem::path(dir) / "zz-duplicates.json");
  out << "{\"format\": \"twinscan/1\", \"source\": {\"name\": \"Injected duplicates\"},\n"
         "\"entities\": [\n"
      << lines << "\n], \"relations\": []}\n";
  return injected;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t entities = 100'000;
  std::uint64_t seed = 1;
  std::string work;
  double min_score = identity::ResolveOptions{}.min_score;
  std::size_t max_block = identity::BlockingOptions{}.max_block;
  std::uint32_t documents = 4;  // as if four sources, each stating a quarter
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--entities")
      entities = std::stoull(argv[i + 1]);
    else if (arg == "--seed")
      seed = std::stoull(argv[i + 1]);
    else if (arg == "--work")
      work = argv[i + 1];
    else if (arg == "--min-score")
      min_score = std::stod(argv[i + 1]);
    else if (arg == "--max-block")
      max_block = std::stoull(argv[i + 1]);
    else if (arg == "--documents")
      documents = static_cast<std::uint32_t>(std::stoul(argv[i + 1]));
  }
  const bool temporary = work.empty();
  if (temporary) {
    work =
        (std::filesystem::temp_directory_path() / ("resolve_bench." + std::to_string(::getpid())))
            .string();
  }
  gen::GeneratorOptions options;
  options.seed = seed;
  options.entities = entities;
  options.replace = true;
  options.documents = documents;
  auto start = Clock::now();
  gen::generate_registry(options, work);
  const auto injected = inject_duplicates(work, seed);
  const double generate_seconds = seconds_since(start);

  start = Clock::now();
  diag::Diagnostics diagnostics;
  bool missing = false;
  io::RegistryLoader loader(io::load_schema({}, diagnostics, missing), diagnostics);
  loader.add_path(work);
  const auto graph = loader.finish();
  if (!graph) {
    diagnostics.print(std::cerr);
    return 1;
  }
  const double load_seconds = seconds_since(start);

  identity::ResolveOptions resolve_options;
  resolve_options.min_score = 0;  // every scored pair; cut at min_score below
  resolve_options.blocking.max_block = max_block;
  identity::ResolveStats stats;
  start = Clock::now();
  const auto candidates = identity::resolve(*graph, resolve_options, &stats);
  const double resolve_seconds = seconds_since(start);

  std::set<std::pair<model::VertexId, model::VertexId>> truth;
  for (const auto& inj : injected) {
    auto a = graph->find(inj.original);
    auto b = graph->find(inj.duplicate);
    if (a && b) truth.emplace(std::min(*a, *b), std::max(*a, *b));
  }
  std::size_t found_any = 0, found = 0, offered = 0, namesakes = 0;
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_kind;  // kind → (offered, true)
  for (const auto& c : candidates) {
    const bool is_true = truth.count({c.a, c.b}) > 0;
    found_any += is_true;
    if (c.score < min_score) continue;
    ++offered;
    found += is_true;
    // The generator draws names from small tables: many entities share a name exactly.
    if (!is_true && (c.name.how == "same name" || c.name.how == "same in Latin letters"))
      ++namesakes;
    auto& k = by_kind[graph->schema().kind(graph->kind(c.a)).name];
    ++k.first;
    k.second += is_true;
  }
  std::printf(
      "registry: %zu entities (%zu injected duplicates), generated in %.2f s, loaded in %.2f s\n",
      graph->entity_count(), truth.size(), generate_seconds, load_seconds);
  std::printf("resolve: %.2f s (names %.2f s, blocking %.2f s, scoring %.2f s)\n", resolve_seconds,
              stats.forms_seconds, stats.blocking_seconds, stats.scoring_seconds);
  std::printf(
      "blocking: %zu keys, %zu blocks, %zu skipped as too common, %zu pairs scored "
      "(all pairs of one kind would be about %.2g)\n",
      stats.blocking.keys, stats.blocking.blocks, stats.blocking.skipped_blocks, stats.scored, [&] {
        double all = 0;
        for (model::KindId k = 0; k < graph->schema().kinds().size(); ++k) {
          const double n = static_cast<double>(graph->vertices_of_kind(k).size());
          all += n * (n - 1) / 2;
        }
        return all;
      }());
  std::printf("recall among all scored pairs: %.1f %% (%zu of %zu)\n",
              100.0 * static_cast<double>(found_any) / static_cast<double>(truth.size()), found_any,
              truth.size());
  std::printf(
      "at min-score %.2f: recall %.1f %% (%zu of %zu), precision %.1f %% (%zu of %zu "
      "candidates)\n",
      min_score, 100.0 * static_cast<double>(found) / static_cast<double>(truth.size()), found,
      truth.size(),
      offered ? 100.0 * static_cast<double>(found) / static_cast<double>(offered) : 0.0, found,
      offered);
  std::printf(
      "  of the %zu others, %zu are namesakes (the same name exactly, as the "
      "generator often gives)\n",
      offered - found, namesakes);
  for (const auto& [kind, counts] : by_kind) {
    std::printf("  %-18s %7zu candidates, %5zu injected\n", kind.c_str(), counts.first,
                counts.second);
  }
  if (temporary) std::filesystem::remove_all(work);
  return 0;
}
