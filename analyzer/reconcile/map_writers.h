#pragma once

#include <ostream>
#include <string>

#include "analyzer/model/graph.h"
#include "analyzer/reconcile/national_map.h"

namespace twinscan::reconcile {

/// A readable report: the sources with their roles and scopes, one line per tie
/// ("consistent" or its issues, indented), and a summary. Names are escaped for a
/// terminal.
void write_text(const model::Graph& graph, const NationalMap& map, std::ostream& out);

/// `{"sources": [...], "ties": [...], "summary": {...}}` (docs/national-map.md).
void write_json(const model::Graph& graph, const NationalMap& map, std::ostream& out);

/// One row per tie and stating source: municipality, counterpart, source, role, since,
/// until, status, the tie's issues in plain words (RFC 4180, CRLF line ends).
void write_csv(const model::Graph& graph, const NationalMap& map, std::ostream& out);

/// One self-contained page: a table of ties by sources with the discrepancies marked,
/// and filters by municipality, source and issue kind (inline CSS and script, nothing
/// fetched; every value HTML-escaped).
void write_html(const model::Graph& graph, const NationalMap& map, std::ostream& out);

/// The text of `format` ("text", "json", "csv" or "html").
std::string render(const model::Graph& graph, const NationalMap& map, const std::string& format);

}  // namespace twinscan::reconcile
