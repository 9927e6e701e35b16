#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "analyzer/model/value.h"

namespace twinscan::model {

using VertexId = std::uint32_t;

/// A grid over the located entities (cells of 0.05° on each side, about 5.5 km of
/// latitude), so that "everything within R km of here" looks at a few cells rather
/// than at every entity.
class SpatialIndex {
 public:
  static constexpr double kCellDegrees = 0.05;

  /// An index of its own entities, and of `base`'s too when given: a screening's index
  /// holds the request's few entities over the registry's index, which stays shared.
  explicit SpatialIndex(const SpatialIndex* base = nullptr) : base_(base) {}

  void add(VertexId v, GeoPoint p);

  /// Calls f(v, point) for every entity whose cell may lie within `km` of `center`: a
  /// superset of those within `km`, which the caller checks exactly.
  template <typename F>
  void for_each_near(GeoPoint center, double km, F&& f) const {
    if (base_) base_->for_each_near(center, km, f);
    const double dlat = km / 111.19 + kCellDegrees;
    const double lat_lo = center.lat - dlat, lat_hi = center.lat + dlat;
    const double widest = std::max(std::abs(lat_lo), std::abs(lat_hi));
    const double cos_lat = widest >= 89.0 ? 0.0 : std::cos(widest * 3.14159265358979323846 / 180.0);
    const double dlon = cos_lat < 1e-3 ? 360.0 : km / (111.19 * cos_lat) + kCellDegrees;
    const auto row_lo = cell_of(lat_lo), row_hi = cell_of(lat_hi);
    const auto col_lo = cell_of(center.lon - dlon), col_hi = cell_of(center.lon + dlon);
    const double cells =
        static_cast<double>(row_hi - row_lo + 1) * static_cast<double>(col_hi - col_lo + 1);
    if (dlon >= 180.0 || cells > static_cast<double>(cells_.size())) {
      for (const auto& [key, members] : cells_) {
        for (const auto& m : members) f(m.vertex, m.point);
      }
      return;
    }
    for (auto row = row_lo; row <= row_hi; ++row) {
      for (auto col = col_lo; col <= col_hi; ++col) {
        auto it = cells_.find(key_of(row, col));
        if (it == cells_.end()) continue;
        for (const auto& m : it->second) f(m.vertex, m.point);
      }
    }
  }

  [[nodiscard]] std::size_t size() const { return count_ + (base_ ? base_->size() : 0); }

 private:
  struct Member {
    VertexId vertex;
    GeoPoint point;
  };
  static std::int32_t cell_of(double degrees) {
    return static_cast<std::int32_t>(std::floor(degrees / kCellDegrees));
  }
  static std::uint64_t key_of(std::int32_t row, std::int32_t col) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(row)) << 32) |
           static_cast<std::uint32_t>(col);
  }

  const SpatialIndex* base_ = nullptr;
  std::unordered_map<std::uint64_t, std::vector<Member>> cells_;
  std::size_t count_ = 0;
};

}  // namespace twinscan::model
