#include "analyzer/gen/registry_generator.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "analyzer/gen/dense_generator.h"
#include "analyzer/gen/document_writer.h"
#include "analyzer/gen/entity_emitter.h"
#include "analyzer/gen/world.h"

namespace twinscan::gen {
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kEntitiesPerDocument = 100'000;
/// Documents stay well under the loader's 4 GiB limit (about 450 bytes an entity).
constexpr std::uint64_t kMaxEntitiesPerDocument = 5'000'000;
constexpr std::uint32_t kMaxDocuments = 10'000;

std::vector<fs::path> json_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json" && !entry.is_directory()) out.push_back(entry.path());
  }
  if (ec) throw std::runtime_error("cannot list " + dir.string() + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

bool profile_from_name(const std::string& name, Profile& out) {
  if (name == "national") {
    out = Profile::kNational;
    return true;
  }
  if (name == "dense") {
    out = Profile::kDense;
    return true;
  }
  return false;
}

std::uint32_t default_documents(std::uint64_t entities) {
  return static_cast<std::uint32_t>(
      std::max<std::uint64_t>(1, (entities + kEntitiesPerDocument - 1) / kEntitiesPerDocument));
}

std::string document_name(std::uint32_t index, std::uint32_t documents) {
  std::size_t width = 2;
  for (std::uint32_t v = documents > 0 ? documents - 1 : 0; v >= 100; v /= 10) ++width;
  std::string number = std::to_string(index);
  if (number.size() < width) number.insert(0, width - number.size(), '0');
  return number + "-registry.json";
}

void generate_registry(const GeneratorOptions& options, const std::string& output_dir,
                       const ProgressFn& progress) {
  if (options.entities < kMinEntities || options.entities > kMaxEntities) {
    throw std::invalid_argument("--entities must lie between " + std::to_string(kMinEntities) +
                                " and " + std::to_string(kMaxEntities));
  }
  const std::uint32_t documents =
      options.documents != 0 ? options.documents : default_documents(options.entities);
  const std::uint64_t most = std::min<std::uint64_t>(kMaxDocuments, options.entities / 100);
  if (documents > most) {
    throw std::invalid_argument("--documents must be at most " + std::to_string(most) + " for " +
                                std::to_string(options.entities) +
                                " entities (a document holds at least 100 entities)");
  }
  if ((options.entities + documents - 1) / documents > kMaxEntitiesPerDocument) {
    throw std::invalid_argument(
        "--documents must be at least " +
        std::to_string((options.entities + kMaxEntitiesPerDocument - 1) / kMaxEntitiesPerDocument) +
        " so that every document stays under the loader's 4 GiB limit");
  }

  const fs::path dir(output_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    throw std::runtime_error("cannot create folder " + output_dir + ": " +
                             (ec ? ec.message() : "a file of that name exists"));
  }
  const std::vector<fs::path> existing = json_files(dir);
  if (!existing.empty() && !options.replace) {
    throw std::runtime_error(output_dir + " already holds " + std::to_string(existing.size()) +
                             " *.json document(s), which would be loaded with the new "
                             "registry; choose an empty folder, or replace them (--force)");
  }

  std::vector<fs::path> written;  // finished documents under their temporary names
  auto remove_written = [&] {
    for (const auto& p : written) fs::remove(p, ec);
  };
  auto replace_existing = [&] {
    for (const auto& old : existing) {
      fs::remove(old, ec);
      if (ec) {
        throw std::runtime_error("cannot remove " + old.string() + ": " + ec.message());
      }
    }
    for (std::uint32_t d = 0; d < documents; ++d) {
      fs::rename(written[d], dir / document_name(d, documents));
    }
  };
  if (options.profile == Profile::kDense) {
    GeneratorProgress state;
    state.documents = documents;
    try {
      write_dense_documents(options, documents, dir, written, state, progress);
      replace_existing();
    } catch (...) {
      remove_written();
      throw;
    }
    return;
  }

  const World world = build_world(options.seed, options.entities);
  EntityEmitter emitter(world);
  GeneratorProgress state;
  state.documents = documents + 1;  // and the national register
  try {
    for (std::uint32_t d = 0; d < documents; ++d) {
      const std::string name = document_name(d, documents);
      const fs::path temp = dir / ("." + name + ".part");
      const std::string source = "Twinscan synthetic registry (seed " +
                                 std::to_string(options.seed) + ", " +
                                 std::to_string(options.entities) + " entities), document " +
                                 std::to_string(d + 1) + " of " + std::to_string(documents);
      DocumentWriter doc(temp.string(), (dir / ("." + name + ".relations")).string(), source,
                         "2025-01-01");
      // Each document holds the same share of every kind, so documents are alike in
      // size and make-up.
      for (std::size_t k = 0; k < kKindCount; ++k) {
        const std::uint64_t n = world.count[k];
        const auto first = static_cast<std::uint32_t>(n * d / documents);
        const auto last = static_cast<std::uint32_t>(n * (d + 1) / documents);
        for (std::uint32_t i = first; i < last; ++i) {
          state.relations += emitter.emit(static_cast<Kind>(k), i, doc);
        }
        state.entities += last - first;
      }
      doc.finish();
      written.push_back(temp);
      state.bytes += doc.bytes();
      state.documents_done = d + 1;
      state.file = (dir / name).string();
      if (progress) progress(state);
    }
    {
      // The national twin-city register: a source of its own, which lacks the ties
      // the foreign ministry does not know of.
      const fs::path temp = dir / ("." + std::string(kRegisterDocument) + ".part");
      DocumentWriter doc(temp.string(),
                         (dir / ("." + std::string(kRegisterDocument) + ".relations")).string(),
                         kRegisterSource, "2025-01-01", kRegisterSourceId, "national-register");
      const std::uint32_t municipalities = world.n(Kind::kMunicipality);
      for (std::uint32_t m = 0; m < municipalities; ++m) {
        state.relations += emitter.emit_register(m, doc);
      }
      doc.finish();
      written.push_back(temp);
      state.bytes += doc.bytes();
      state.documents_done = documents + 1;
      state.file = (dir / kRegisterDocument).string();
      if (progress) progress(state);
    }
    replace_existing();
    fs::rename(written[documents], dir / kRegisterDocument);
  } catch (...) {
    remove_written();
    throw;
  }
}

}  // namespace twinscan::gen
