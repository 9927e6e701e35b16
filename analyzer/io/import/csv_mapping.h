#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/import/csv_reader.h"
#include "analyzer/io/import/csv_values.h"
#include "analyzer/io/import/importer.h"
#include "analyzer/model/schema.h"

namespace twinscan::io {
class JsonTree;
}

namespace twinscan::io::csv {

/// The text a template ("mfa:{No}", "city:{Partner|slug}") makes of a row: literal text
/// and fields named by header name or 1-based number; `|slug` lower-cases Latin letters
/// and turns runs of spaces and punctuation into '-', `|lower` only lower-cases; `{}`
/// is the field of the column being mapped (each item of it when it is split).
class Template {
 public:
  struct Piece {
    std::string literal;
    int column = -1;   ///< -1: literal; -2: the field being mapped
    std::string name;  ///< the column as written in the template
    bool slug = false;
    bool lower = false;
  };
  /// Expands into `out`; false when a field it names is empty (then `empty_column` is
  /// that column).
  bool expand(const Record& record, std::string_view self, std::string& out,
              int& empty_column) const;
  [[nodiscard]] const std::string& text() const { return text_; }
  /// Whether it names the field being mapped (`{}`): its text then depends on more than
  /// the row.
  [[nodiscard]] bool names_self() const;
  std::vector<Piece> pieces;
  std::string text_;
  /// Its place in the mapping's expansions of the current row (templates that make the
  /// same text of a row share one), or -1 when it names the field being mapped.
  int expansion = -1;
};

/// A problem of one row: the field's place in the input and what is wrong.
struct RowError {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;
};

/// What one row makes: its own entity first (when `has_primary`), then the other
/// entities it names, and its relations. The row's items are the first entity_count
/// entities and relation_count relations; the others are kept, with their memory, for
/// the rows that follow (mapping a row then allocates nothing).
struct RowOutput {
  std::vector<imports::Entity> entities;
  std::vector<imports::Relation> relations;
  std::size_t entity_count = 0;
  std::size_t relation_count = 0;
  bool has_primary = false;
  void clear() {
    entity_count = 0;
    relation_count = 0;
    has_primary = false;
  }
  /// The slot after the row's entities, emptied (counted once kept: ++entity_count).
  imports::Entity& next_entity();
  /// The slot after the row's relations, emptied (counted once kept: ++relation_count).
  imports::Relation& next_relation();
};

/// Says whether an entity id was written already (a non-owning reference to a callable,
/// cheaper than std::function on every row); empty: none was. With a second callable,
/// the ids of a row are announced before they are asked about (prefetch()), so that a
/// table larger than the caches is read for all of them at once.
class KnownIds {
 public:
  KnownIds() = default;
  template <typename F>
  explicit KnownIds(const F& f)
      : object_(&f),
        call_([](const void* o, std::string_view id) { return (*static_cast<const F*>(o))(id); }) {}
  template <typename F, typename P>
  KnownIds(const F& f, const P& p) : KnownIds(f) {
    prefetch_object_ = &p;
    prefetch_ = [](const void* o, std::string_view id) { (*static_cast<const P*>(o))(id); };
  }
  [[nodiscard]] bool operator()(std::string_view id) const {
    return call_ != nullptr && call_(object_, id);
  }
  [[nodiscard]] bool prefetches() const { return prefetch_ != nullptr; }
  void prefetch(std::string_view id) const {
    if (prefetch_ != nullptr) prefetch_(prefetch_object_, id);
  }

 private:
  const void* object_ = nullptr;
  bool (*call_)(const void*, std::string_view) = nullptr;
  const void* prefetch_object_ = nullptr;
  void (*prefetch_)(const void*, std::string_view) = nullptr;
};

/// A mapping file of `twinscan import csv` (format twinscan-csv-mapping/1), read in two
/// steps: read() checks it against data/import-mapping.schema.json and takes the CSV
/// dialect; bind() resolves its columns against the input's header and its kinds,
/// relations and properties against the registry schema. Problems are reported at their
/// place in the mapping file with their JSON pointer (`/columns/3/type: …`).
class Mapping {
 public:
  ~Mapping();
  static std::unique_ptr<Mapping> read(const diag::SourceText& source,
                                       diag::Diagnostics& diagnostics);

  [[nodiscard]] const Dialect& dialect() const { return dialect_; }
  /// Whether rows may name their own entity again ("repeated_ids": "keep-first": the
  /// first row's record is kept); by default a repeated id is an error.
  [[nodiscard]] bool keeps_first_of_repeated_ids() const { return keep_first_; }
  /// Whether no other entity's id can equal a row's own id: every id template starts with
  /// literal text, and no other's start is a prefix of the row's own, or the reverse
  /// ("agr:{No}" and "mun:{Town|slug}"). Known after bind().
  [[nodiscard]] bool own_ids_apart() const { return own_ids_apart_; }

  /// Resolves the mapping against the header (the first record's fields when the dialect
  /// has a header, else only its field count) of `csv_file`. False after reporting.
  bool bind(const std::vector<std::string>& header, const std::string& csv_file,
            const model::Schema& schema, diag::Diagnostics& diagnostics);

  /// The id of the row's own entity, into `out` (emptied first); false when the row has
  /// none (its fields are empty, or its `when` does not hold).
  bool own_id(const Record& record, std::string& out) const;

  /// Maps one data row; problems go to `errors` (the row is then not to be written).
  /// Another entity of the row whose id `known(id)` says was written already is left
  /// out before its fields are read (its relations are still made).
  void map_row(const Record& record, RowOutput& out, std::vector<RowError>& errors,
               KnownIds known = {}) const;

  enum class Type : std::uint8_t { kString, kInt, kNumber, kPercentage, kBool, kDate };
  struct Value {
    std::string pointer;
    std::string property;
    int column = -1;
    std::string column_name;
    Template tmpl;
    bool from_template = false;
    std::string fixed_json;  ///< a fixed value's JSON text, when neither column nor template
    Type type = Type::kString;
    std::vector<DateFormat> formats;
    NumberFormat number;
    std::vector<std::string> true_words{"true", "yes", "1"};
    std::vector<std::string> false_words{"false", "no", "0"};
    std::vector<std::pair<std::string, std::string>> table;
    std::string split;
    bool list = false;
    bool required = false;
  };
  /// A condition on a row: the field of `column` (trimmed) is one of `values`.
  struct When {
    int column = -1;
    std::vector<std::string> values;
    [[nodiscard]] bool holds(const Record& record) const;
  };
  struct Relation {
    std::string pointer;
    When when;
    std::string kind;
    int column = -1;
    std::string column_name;
    std::string split;
    Template target;
    bool outgoing = true;
    std::vector<Value> properties;
  };
  struct Entity {
    std::string pointer;  ///< "" for the row's own entity, "/entities/N" for the others
    When when;
    Template id;
    std::string fixed_kind;
    int kind_column = -1;
    std::string kind_column_name;
    std::vector<std::pair<std::string, std::string>> kind_table;
    std::vector<Value> values;
    std::vector<Relation> relations;
  };

 private:
  Mapping();
  bool convert(const Value& v, std::string_view text, std::string& out, bool& is_text,
               std::string& error) const;
  /// Template::expand(), each template expanded once a row (ids and relation targets
  /// name the same fields: "city:{Partner|slug}" of the city and of each relation to it).
  bool expand(const Template& t, const Record& record, std::string_view self, std::string& out,
              int& empty_column) const;
  /// Gives the templates their places among the row's expansions (after bind()).
  void share_expansions();
  bool add_value(const Value& v, const Record& record, imports::Fields& fields,
                 std::vector<RowError>& errors) const;

  std::unique_ptr<JsonTree> tree_;
  const diag::SourceText* source_text_ = nullptr;
  Dialect dialect_;
  bool keep_first_ = false;
  bool own_ids_apart_ = false;
  std::vector<Entity> entities_;
  std::vector<std::string> header_;
  mutable std::vector<std::string_view> value_items_;     // scratch of add_value
  mutable std::vector<std::string_view> relation_items_;  // scratch of map_row
  mutable std::string expanded_;                          // scratch of add_value
  mutable std::string value_;
  mutable std::string list_json_;
  /// The expansions of the current row (row_ is its number): each the text, or the
  /// empty column that stopped it.
  struct Expansion {
    std::uint64_t row = 0;
    bool ok = false;
    int empty_column = -1;
    std::string text;
  };
  mutable std::vector<Expansion> expansions_;
  mutable std::uint64_t row_ = 0;
};

/// The text of `template` made of a field for an id: "Tel Aviv-Yafo" → "tel-aviv-yafo".
std::string slug(std::string_view text);
/// Appends slug(text) to `out`.
void append_slug(std::string& out, std::string_view text);

}  // namespace twinscan::io::csv
