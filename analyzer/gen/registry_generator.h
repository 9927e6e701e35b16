#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace twinscan::gen {

/// The shape of a generated registry (docs/generator.md). kNational is the
/// registry the rules were written against; kDense is a shape they were not tuned
/// on: a few hub organs holding thousands of firms, ownership chains of depth 6 with
/// duplicated and circular links, about 9 entities and 15 relations per
/// municipality, and every document on one line.
enum class Profile : std::uint8_t { kNational, kDense };

/// The profile named `name` ("national", "dense"), or false.
bool profile_from_name(const std::string& name, Profile& out);

/// What to generate. The same options give the same bytes on every run and platform.
struct GeneratorOptions {
  std::uint64_t seed = 1;
  std::uint64_t entities = 10'000;
  std::uint32_t documents = 0;  ///< 0: one per 100,000 entities (default_documents()).
  bool replace = false;         ///< Remove *.json already in the output folder.
  Profile profile = Profile::kNational;
};

/// Where a run is: called after each document is written.
struct GeneratorProgress {
  std::uint32_t documents_done = 0;
  std::uint32_t documents = 0;
  std::uint64_t entities = 0;   ///< written so far
  std::uint64_t relations = 0;  ///< written so far
  std::uint64_t bytes = 0;      ///< written so far
  std::string file;             ///< the document just written (its final name)
};
using ProgressFn = std::function<void(const GeneratorProgress&)>;

/// The number of documents used when GeneratorOptions::documents is 0.
std::uint32_t default_documents(std::uint64_t entities);

/// The file name of document `index` of `documents` ("00-registry.json", ...).
std::string document_name(std::uint32_t index, std::uint32_t documents);

/// The file name, source name and source id of the extra document that stands for the
/// national twin-city register (role national-register: the source the rule
/// tie-missing-from-national-register compares the other records with).
inline constexpr const char* kRegisterDocument = "national-register.json";
inline constexpr const char* kRegisterSource = "Ministry of Foreign Affairs twin-city register";
inline constexpr const char* kRegisterSourceId = "mfa";

/// Writes a synthetic registry of exactly `options.entities` entities into folder
/// `output_dir` (created if missing) as `options.documents` documents of about equal
/// size, named so that loading the folder (sorted by name) loads the registry, plus
/// the national twin-city register (kRegisterDocument, relations only). The
/// shape is described in docs/generator.md. Output is streamed: memory is a few
/// bytes per entity for the skeleton plus fixed buffers. Documents are written under
/// temporary names and renamed when all are complete.
///
/// Throws std::invalid_argument for options out of range, std::runtime_error when the
/// folder already holds *.json documents (unless `replace`) or writing fails; no
/// document is left behind then.
void generate_registry(const GeneratorOptions& options, const std::string& output_dir,
                       const ProgressFn& progress = {});

}  // namespace twinscan::gen
