#include "analyzer/cli/registry_options.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>

#include "analyzer/io/snapshot_codec.h"
#include "analyzer/util/allocator_huge_pages.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/keep_until_exit.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::cli {

CLI::Option* add_list_option(CLI::App& app, const std::string& name,
                             std::vector<std::string>& values, std::vector<OptionRun>& runs,
                             const std::string& help) {
  static std::uint64_t uses = 0;  // orders the uses of all such options
  return app
      .add_option_function<std::vector<std::string>>(
          name,
          [&values, &runs](const std::vector<std::string>& given) {
            values.insert(values.end(), given.begin(), given.end());
            runs.push_back({values.size(), given.size(), ++uses});
          },
          help)
      // The callback runs at each use, so that each use's values are known.
      ->trigger_on_parse();
}

void RegistryOptions::add_to(CLI::App& app, bool required) {
  CLI::Option* option = add_list_option(app, "--registry,-r", registry, registry_runs,
                                        "Registry documents or folders of *.json, merged in order");
  if (required) option->required();
  app.add_option("--schema", schema,
                 "A schema extension file, applied over the built-in schema "
                 "(repeat for several)")
      ->allow_extra_args(false);
  add_judgements_option(app, judgements);
}

void add_judgements_option(CLI::App& app, std::string& file) {
  app.add_option("--judgements", file,
                 "Judgements of identity (twinscan judge): ids judged the same are one entity, "
                 "which keeps the id first in load order and answers to all of them");
}

bool names_a_path(const std::string& value) {
  std::error_code ec;
  return std::filesystem::exists(value, ec);
}

std::vector<std::string> take_back_positionals(RegistryOptions& options, std::size_t most) {
  const OptionRun* latest = nullptr;
  for (const auto& r : options.registry_runs) {
    if (!latest || r.order > latest->order) latest = &r;
  }
  if (!latest || latest->count < 2) return {};
  std::size_t take = 0;
  while (take < std::min<std::size_t>(most, latest->count - 1) &&
         !names_a_path(options.registry[latest->end - 1 - take])) {
    ++take;
  }
  const auto first = options.registry.begin() + static_cast<std::ptrdiff_t>(latest->end - take);
  std::vector<std::string> out(first, first + static_cast<std::ptrdiff_t>(take));
  options.registry.erase(first, first + static_cast<std::ptrdiff_t>(take));
  return out;
}

void reclaim_positional(
    std::string& positional,
    const std::vector<std::pair<std::vector<std::string>*, const std::vector<OptionRun>*>>& greedy,
    bool not_a_path) {
  if (!positional.empty()) return;
  std::vector<std::string>* from = nullptr;
  const OptionRun* latest = nullptr;
  for (const auto& [values, runs] : greedy) {
    for (const auto& run : *runs) {
      if (run.count > 1 && (!latest || run.order > latest->order)) {
        latest = &run;
        from = values;
      }
    }
  }
  if (!latest) return;
  if (not_a_path && names_a_path((*from)[latest->end - 1])) return;
  positional = (*from)[latest->end - 1];
  from->erase(from->begin() + static_cast<std::ptrdiff_t>(latest->end - 1));
}

void print_diagnostics(const diag::Diagnostics& diagnostics, const GlobalOptions& global) {
  diagnostics.print(std::cerr, global.verbosity >= 0);
}

int exit_code(engine::Outcome outcome) {
  switch (outcome) {
    case engine::Outcome::kOk:
      return util::kExitOk;
    case engine::Outcome::kBadUsage:
      return util::kExitUsage;
    case engine::Outcome::kMissingInput:
      return util::kExitNoInput;
    case engine::Outcome::kBadInput:
      return util::kExitDataError;
  }
  return util::kExitDataError;
}

diag::Diagnostics streaming_diagnostics(const GlobalOptions& global) {
  diag::Diagnostics diagnostics;
  diagnostics.stream_to(std::cerr, global.verbosity >= 0);
  return diagnostics;
}

engine::RegistrySpec RegistryOptions::spec() const {
  engine::RegistrySpec out;
  out.paths = registry;
  out.schema = schema;
  out.judgements = judgements;
  return out;
}

namespace {

/// Whether `value` is written like a file's path: a folder separator, a registry's
/// extension, or another extension on a name without spaces (`extra`, `mun:lodz` and
/// `MATCH (m) RETURN m.id` are not).
bool written_like_a_path(std::string_view value) {
  if (value.find('/') != std::string_view::npos) return true;
  for (const std::string_view extension : {".json", ".snap"}) {
    if (value.size() > extension.size() && value.ends_with(extension)) return true;
  }
  if (value.find_first_of(" \t\n") != std::string_view::npos) return false;
  const auto dot = value.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == value.size()) return false;
  for (std::size_t i = dot + 1; i < value.size(); ++i) {
    if (!std::isalnum(static_cast<unsigned char>(value[i]))) return false;
  }
  return true;
}

}  // namespace

int refuse_stray_registry_values(const RegistryOptions& options, std::string_view takes) {
  // --registry takes every value up to the next option: when the command took its
  // positionals back from its end, a value left after the first registry that names
  // nothing and is not written like a path is an argument too many (a second id, a word
  // after the query), not a registry to report missing (66).
  for (std::size_t i = 1; i < options.registry.size(); ++i) {
    const std::string& value = options.registry[i];
    if (names_a_path(value) || written_like_a_path(value)) continue;
    std::cerr << "twinscan: error: unexpected argument '" << util::escape_for_terminal(value)
              << "' after --registry: it names no file or folder, and the command takes " << takes
              << "; remove it (or, if it is a registry, give its path)\n"
              << "(run 'twinscan --help' for usage)\n";
    return util::kExitUsage;
  }
  return 0;
}

namespace {

// A command asks the allocator for huge pages when it will fill hundreds of megabytes,
// where a 4 KiB page first touched costs a trap of its own on a virtual machine
// (util/huge_pages.h): from 16 MB of JSON, which loads into a graph several times its size
// (a 35 MB document into 180 MB, in 0.63 of the time with them), or from 128 MB of
// snapshot, which is mapped rather than allocated. Below, blocks of 2 MiB barely used would
// be a large part of a small process's memory: 8 MB more on a scan of a 45 MB snapshot.
constexpr std::uintmax_t kHugePagesFromJson = std::uintmax_t{16} << 20;
constexpr std::uintmax_t kHugePagesFromSnapshot = std::uintmax_t{128} << 20;

// Whether a registry's paths name enough bytes for huge pages to pay: kHugePagesFromJson
// of documents (the *.json of folders included: what the loader reads) or
// kHugePagesFromSnapshot of snapshots. What cannot be read counts nothing: the loader
// reports it. The count stops once either is reached: a folder of many small documents
// would otherwise be looked up file by file twice.
bool names_a_large_registry(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::uintmax_t json = 0;
  std::uintmax_t snapshot = 0;
  auto large = [&] { return json >= kHugePagesFromJson || snapshot >= kHugePagesFromSnapshot; };
  for (const std::string& path : paths) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error) continue;
    if (fs::is_regular_file(status)) {
      const std::uintmax_t size = fs::file_size(path, error);
      if (error) continue;
      (io::SnapshotCodec::is_snapshot(path) ? snapshot : json) += size;
      if (large()) return true;
      continue;
    }
    if (!fs::is_directory(status)) continue;
    for (fs::directory_iterator it(path, error), end; !error && it != end; it.increment(error)) {
      if (it->path().extension() != ".json") continue;
      const std::uintmax_t size = it->is_regular_file(error) ? it->file_size(error) : 0;
      if (!error) json += size;
      error.clear();
      if (large()) return true;
    }
  }
  return large();
}

}  // namespace

std::optional<engine::Registry> open_registry(const engine::RegistrySpec& spec,
                                              const GlobalOptions& global, int& status) {
  if (names_a_large_registry(spec.paths)) util::ask_allocator_for_huge_pages();
  // Problems are written as they are found: a registry with thousands of them shows the
  // first at once and never holds them all.
  diag::Diagnostics diagnostics = streaming_diagnostics(global);
  engine::Outcome failure = engine::Outcome::kOk;
  auto registry = engine::Registry::open(spec, diagnostics, &failure);
  print_diagnostics(diagnostics, global);
  if (!registry) {
    status = exit_code(failure);
    return registry;
  }
  // A command's process ends with it: the graph's memory goes back to the system with
  // the process, rather than column by column when the command lets go of it (35 ms of a
  // 1.3 s load at 10^6 entities, most of it in the kernel taking pages back one mapping
  // at a time).
  util::keep_until_exit(registry->shared_graph());
  return registry;
}

}  // namespace twinscan::cli
