#pragma once

#include <optional>
#include <string_view>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/model/graph.h"

namespace twinscan::explore {

/// The entity a researcher names on the command line: by its id; else by its name, title
/// or an alias, folded for case, accents and script as relation ends given by name are
/// (model::fold_name, then model::transliterate_name). The best match wins (a name over
/// an alias over a transliteration); several equally good ones are an error that lists
/// them (id, kind, name) and asks for the id; none is an error with the nearest id or
/// name. `what` says which argument it was ("FROM", "ID") in those messages. Errors go to
/// `diagnostics`; then nothing is returned.
///
/// Ids are found through the graph's index; names by one pass over the entities (ASCII
/// names folded without ICU), so nothing is built beforehand.
std::optional<model::VertexId> lookup_entity(const model::Graph& graph, std::string_view text,
                                             std::string_view what, diag::Diagnostics& diagnostics);

}  // namespace twinscan::explore
