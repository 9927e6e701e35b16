#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "analyzer/gen/registry_generator.h"

namespace twinscan::gen {

/// The shape of the `dense` profile at a given size: how many entities of each part
/// (see docs/generator.md, "The dense profile").
struct DenseShape {
  std::uint32_t municipalities = 0;  ///< each with 9 entities of its own
  std::uint32_t hubs = 0;            ///< provincial organs that hold the top firms
  std::uint32_t extra_persons = 0;   ///< persons added so that the total is exact
  [[nodiscard]] std::uint32_t firms() const { return municipalities * 4; }
  [[nodiscard]] std::uint32_t groups() const { return (firms() + 5) / 6; }
};

/// The national organs of the dense profile before the hubs (gov:0 .. gov:2).
inline constexpr std::uint32_t kDenseNationalOrgans = 3;
/// The central authorities of the dense profile (auth:0, auth:1).
inline constexpr std::uint32_t kDenseAuthorities = 2;
/// Firms per ownership group (a chain of this depth to a hub).
inline constexpr std::uint32_t kDenseGroupDepth = 6;

DenseShape dense_shape(std::uint64_t entities);

/// Writes the `documents` documents of a registry of the `dense` profile into `dir`
/// under temporary names (`.NAME.part`, appended to `written` as each is complete),
/// one line per document; generate_registry() renames them when all are written.
void write_dense_documents(const GeneratorOptions& options, std::uint32_t documents,
                           const std::filesystem::path& dir,
                           std::vector<std::filesystem::path>& written, GeneratorProgress& state,
                           const ProgressFn& progress);

}  // namespace twinscan::gen
