#include "analyzer/model/graph_arrays.h"

namespace twinscan::model {

Sym GraphArrays::name_or_title_sym(VertexId v) const {
  if (const Sym name = entity_name[v]; name != 0) return name;
  Sym title_key = 0;
  if (!strings.find("title", title_key)) return 0;
  const Value* title = property(v, title_key);
  return title && title->type == ValueType::kString ? title->string : 0;
}

}  // namespace twinscan::model
