#include "analyzer/model/spatial_index.h"

namespace twinscan::model {

void SpatialIndex::add(VertexId v, GeoPoint p) {
  cells_[key_of(cell_of(p.lat), cell_of(p.lon))].push_back({v, p});
  ++count_;
}

}  // namespace twinscan::model
