#pragma once

// `twinscan import FORMAT INPUT… --output DOC.json`: the importer interface.
//
// An importer reads the inputs of one format and produces entities and relations; the
// document writer (document_sink.h) turns them into one twinscan/1 document, written
// atomically. Adding a format is one file and one row:
//
//   // analyzer/io/import/example_importer.cpp
//   #include "analyzer/io/import/importer.h"
//   namespace twinscan::imports {
//   namespace {
//   class ExampleImporter : public Importer {
//    public:
//     void read(const std::string& path, ImportContext& ctx) override {
//       LineReader lines;
//       if (!lines.open(path, ctx)) return;          // reported: missing (66) or unreadable
//       std::string_view line;
//       while (lines.next(line)) {
//         ctx.begin_record(lines.location());         // FILE:LINE:1 of the record
//         Entity e;
//         e.id = "ex:" + std::string(line);
//         e.kind = "Firm";
//         e.fields.text("name", line);
//         if (line.empty()) ctx.error(lines.location(), "empty line; give one name a line");
//         ctx.entity(std::move(e));                   // dropped when the record has an error
//         ctx.end_record();
//         ctx.progress(lines.offset());
//       }
//     }
//   };
//   }  // namespace
//   std::unique_ptr<Importer> make_example_importer() {
//     return std::make_unique<ExampleImporter>();
//   }
//   }  // namespace twinscan::imports
//
//   // importer_table.cpp: declare the maker and add the row
//   {"example", "One firm per line of a text file", make_example_importer},
//
// Errors: ctx.error(where, "what is wrong; what to do") with `where` the FILE:LINE:COL of
// the input (LineReader::location, ctx.locate for offsets into whole documents). Every
// error is reported (capped per kind and counted, as the registry loader does); when any
// error was reported nothing is written (exit 65), unless --keep-going: then each record
// that had an error is left out (its entities and relations are dropped), the problem is
// listed as a warning, and the document is written.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/util/prefetch.h"
#include "analyzer/util/zeroed_array.h"

namespace twinscan::imports {

/// The document's `source` object.
struct SourceInfo {
  std::string id;         ///< --source-id; empty: left out (the loader uses the file's name)
  std::string name;       ///< --source-name; empty: the importer's default_source_name()
  std::string role;       ///< --source-role; empty: the importer's default_source_role()
  std::string retrieved;  ///< ISO date; empty: left out
};

/// What an importer is given: the command line, checked.
struct ImportOptions {
  std::string format;               ///< the importer's name
  std::vector<std::string> inputs;  ///< INPUT…, in order (never empty)
  std::string mapping;              ///< --mapping FILE; empty when not given
  std::string home_country;  ///< --home-country, normalised (ISO alpha-2, upper case) or empty
  bool keep_going = false;   ///< --keep-going
  unsigned jobs = 0;         ///< --jobs: threads that map rows (csv); 0: one per core, up to 4
  SourceInfo source;
};

/// A record's properties (and `name`, `aliases`), kept as JSON value text in the order
/// they were first set. Setting a key again replaces its value. Strings must be UTF-8
/// (the writer reports a record whose strings are not as an error).
class Fields {
 public:
  /// A string property (`name`, `country`, dates as ISO text, …).
  void text(std::string_view key, std::string_view value);
  void number(std::string_view key, double value);
  void boolean(std::string_view key, bool value);
  /// Appends `value` to the list property `key` unless it is there already (`aliases`,
  /// `lists`, `topics`, …). An alias equal to the name is left out when written.
  void add(std::string_view key, std::string_view value);
  /// `location`: {"lat", "lon"} in degrees.
  void location(double lat, double lon);
  /// Any JSON value, given as its text (which must be valid JSON).
  void raw(std::string_view key, std::string_view json);

  [[nodiscard]] bool has(std::string_view key) const;
  /// The string value of `key` (unquoted), or nullptr when absent or not a string.
  [[nodiscard]] const std::string* text_of(std::string_view key) const;
  /// The strings of the list `key`; empty when absent.
  [[nodiscard]] const std::vector<std::string>& list_of(std::string_view key) const;
  void erase(std::string_view key);
  [[nodiscard]] bool empty() const { return size_ == 0; }
  /// Removes every field, keeping the memory for the next record (an importer that maps
  /// many rows into the same Fields allocates nothing once the first rows are done).
  void clear() { size_ = 0; }

  /// Appends `,"key":value` for each field (aliases equal to `name` left out, empty lists
  /// left out) to `out`. False when a string is not valid UTF-8.
  bool append_json(std::string& out) const;

 private:
  struct Item {
    std::string key;
    std::string key_json;  ///< the key as a JSON string, made once for the items that follow
    bool key_utf8 = true;
    std::string json;               ///< the value's JSON text; unused for lists
    std::string plain;              ///< for strings: the unquoted text
    std::vector<std::string> list;  ///< for lists: the strings
    enum class Type : std::uint8_t { kText, kList, kOther } type = Type::kOther;
  };
  Item& slot(std::string_view key);
  [[nodiscard]] const Item* find(std::string_view key) const;
  std::vector<Item> items_;  ///< the first size_ are set; the others are kept for reuse
  std::size_t size_ = 0;
};

struct Entity {
  std::string id;    ///< with the format's prefix (`wd:Q64`, `ftm:NK-…`)
  std::string kind;  ///< a kind of the schema (Firm, Municipality, …)
  Fields fields;     ///< name, aliases, country, location, other properties
};

struct Relation {
  std::string kind;  ///< a relation kind of the schema (TWINNED_WITH, OWNED_BY, …)
  std::string from;
  std::string to;
  std::string id;  ///< optional
  Fields fields;   ///< since, until, share, role, …
};

class ImportContext;

/// One format. Made fresh for each run; read() is called once per INPUT, in order.
class Importer {
 public:
  virtual ~Importer() = default;
  /// Before any input: check what the format needs (--mapping, --home-country). Report a
  /// usage problem with ctx.usage_error() and return false (exit 64).
  virtual bool prepare(ImportContext& ctx) {
    (void)ctx;
    return true;
  }
  /// Reads one input, streaming, emitting records through `ctx`.
  virtual void read(const std::string& path, ImportContext& ctx) = 0;
  /// After every input: emit what was held back (entities merged across records).
  virtual void finish(ImportContext& ctx) { (void)ctx; }
};

/// A row of the importer table (importer_table.cpp), which also makes `--help`.
struct ImporterSpec {
  const char* name;
  const char* summary;              ///< one line for --help
  const char* default_source_name;  ///< the source's name when --source-name is not given
  const char* default_source_role;  ///< the source's role when --source-role is not given
  std::unique_ptr<Importer> (*make)();
};

/// Every importer, in the order `--help` lists them.
const std::vector<ImporterSpec>& importer_table();
/// The row named `name`, or nullptr.
const ImporterSpec* find_importer(std::string_view name);

/// Where records go: the document writer (or a test's collector).
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  /// False when a string of the record is not valid UTF-8 (the context reports it).
  virtual bool entity(const Entity& entity) = 0;
  virtual bool relation(const Relation& relation) = 0;
  /// An entity or relation whose JSON object (as entity() and relation() write it) was
  /// made ahead, on another thread: written as it is.
  virtual void entity_text(std::string_view json) = 0;
  virtual void relation_text(std::string_view json) = 0;
  /// Relations written so far (counting those of the record in progress).
  [[nodiscard]] virtual std::uint64_t relations_written() const = 0;
  /// Leaves out of the document the relations of these ordinals (0: the first relation
  /// written, in the order written; ascending), when it is completed.
  virtual void leave_out_relations(std::vector<std::uint64_t> ordinals) = 0;
  /// Drops what was emitted since the last commit_record() (a record with an error).
  virtual void drop_record() = 0;
  /// Keeps what was emitted since the last commit_record().
  virtual void commit_record() = 0;
};

/// What an importer works with: its options, the sink, errors and progress.
class ImportContext {
 public:
  using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

  ImportContext(const ImportOptions& options, RecordSink& sink, diag::Diagnostics& diagnostics)
      : options_(options), sink_(sink), diagnostics_(diagnostics) {}

  [[nodiscard]] const ImportOptions& options() const { return options_; }
  [[nodiscard]] const std::string& home_country() const { return options_.home_country; }

  /// Records: everything emitted between begin_record() and end_record() is one record,
  /// dropped as a whole when an error is reported in between. Outside a record, entities
  /// and relations are kept at once.
  void begin_record(const diag::SourceLocation& where);
  /// The same, without making a SourceLocation (and a copy of the file name) per record.
  void begin_record(const std::string& file, std::uint32_t line, std::uint32_t column);
  void end_record();
  /// After the last record. With --keep-going, leaves out the relations written before
  /// the record of an entity they name was dropped, so the document names no entity it
  /// does not hold (those written after are left out as they come). Then warns when
  /// relations name entities the input never describes: the document then validates only
  /// beside documents that describe them.
  void finish_records();
  /// Says that the record in progress, which has an error, would have given the entity
  /// `id` (an importer that knows a record's own id before its entity is made): a relation
  /// written before it that names `id` is left out by finish_records() unless another
  /// record gives `id`.
  void record_would_give(std::string_view id);
  void entity(const Entity& entity);
  void relation(const Relation& relation);
  /// The same for an entity or relation whose JSON object `json` was made ahead
  /// (render_entity() and render_relation()), `utf8` saying whether its strings were
  /// UTF-8: the same checks, errors and output.
  void entity_text(std::string_view id, std::string_view kind, std::string_view json, bool utf8);
  void relation_text(std::string_view from, std::string_view to, std::string_view json, bool utf8);
  /// Ends whose id_hash() is known already (an importer that hashed them on another
  /// thread): the same, without hashing them again.
  struct EndHashes {
    std::uint64_t from;
    std::uint64_t to;
  };
  void relation_text(std::string_view from, std::string_view to, EndHashes hashes,
                     std::string_view json, bool utf8);

  /// A problem in the input at `where`: `what is wrong; what to do`.
  void error(diag::SourceLocation where, std::string message);
  /// A note that does not stop the import (printed unless --quiet).
  void warning(diag::SourceLocation where, std::string message);
  /// A command-line problem found by prepare() (printed as `twinscan: error: …`).
  void usage_error(const std::string& message);
  /// An input that cannot be read: `FILE: error: …`; exit 66 when it does not exist.
  void input_error(const std::string& path, const std::string& message, bool missing);
  /// An input that cannot be imported at all, at `where` (its first bytes): exit 65
  /// even with --keep-going.
  void input_error_at(diag::SourceLocation where, const std::string& message);

  /// Counts a record left out on purpose, by reason ("schema Vessel"); listed at the end.
  void skip(std::string_view reason, std::uint64_t count = 1);
  [[nodiscard]] const std::vector<std::pair<std::string, std::uint64_t>>& skipped() const {
    return skipped_;
  }

  /// Bytes of the current input read so far (for the progress line on a terminal).
  void progress(std::uint64_t offset_in_input);
  /// The progress line (empty: none) and the bytes of all inputs (to size the id table).
  void set_progress(Progress report, std::uint64_t total_bytes);
  /// An importer that knows better than one id a kilobyte of input says how many ids to
  /// expect (the table of ids is then sized once, not grown step by step).
  void expect_ids(std::size_t count) { ids_.reserve(count); }
  /// The command says which input is read next: its index and the bytes before it.
  void start_input(std::size_t index, std::uint64_t bytes_before);

  /// The kind of the entity emitted with `id` so far (to check a relation's ends against
  /// the schema before emitting it), or nullptr when no entity has that id.
  [[nodiscard]] const std::string* emitted_kind(std::string_view id) const;
  /// Asks for the place of `id` in the table of ids to be brought into the cache (for an
  /// importer that knows which ids it emits next; it changes nothing else).
  void prefetch_id(std::string_view id) const { ids_.prefetch(id); }
  /// The same for an id whose id_hash() is `hash`.
  void prefetch_id_hash(std::uint64_t hash) const { ids_.prefetch_key(IdTable::key_of_hash(hash)); }
  /// Records that the entity `id` was left out on purpose (a schema without counterpart),
  /// so that relations to it can be left out too.
  void leave_out(std::string_view id);
  [[nodiscard]] bool was_left_out(std::string_view id) const;

  [[nodiscard]] std::size_t error_count() const { return errors_; }
  [[nodiscard]] std::size_t records_dropped() const { return dropped_; }
  [[nodiscard]] bool missing_input() const { return missing_; }
  /// An input could not be read (even --keep-going writes nothing then).
  [[nodiscard]] bool input_failed() const { return input_failed_; }
  [[nodiscard]] bool usage_failed() const { return usage_failed_; }
  [[nodiscard]] diag::Diagnostics& diagnostics() { return diagnostics_; }

 private:
  const ImportOptions& options_;
  RecordSink& sink_;
  diag::Diagnostics& diagnostics_;
  bool in_record_ = false;
  bool record_bad_ = false;
  std::size_t errors_ = 0;
  std::size_t dropped_ = 0;
  bool missing_ = false;
  bool input_failed_ = false;
  bool usage_failed_ = false;
  std::vector<std::pair<std::string, std::uint64_t>> skipped_;
  Progress report_;
  std::uint64_t total_ = 0;
  std::uint64_t before_ = 0;
  std::uint16_t input_ = 0;
  std::uint64_t next_report_ = 0;
  diag::SourceLocation record_where_;
  /// entity() and entity_text(): checks the id, then `emit()` gives the entity to the
  /// sink (false: its text is not UTF-8).
  template <typename Emit>
  void emit_entity(std::string_view id, std::string_view kind, const Emit& emit);
  /// relation() and relation_text() alike.
  template <typename Emit>
  void emit_relation(std::string_view from, std::string_view to, EndHashes hashes,
                     const Emit& emit);
  /// The ids seen, by the 64-bit hash of the id rather than the id, so that a million ids
  /// cost no strings (two ids share a hash with a chance of about 2^-64 a pair): open
  /// addressing with linear probing, at most half full.
  class IdTable {
   public:
    static constexpr std::uint16_t kLeftOut = 0xFFFF;
    struct Slot {
      std::uint64_t key = 0;    ///< 0: empty
      std::uint32_t line = 0;   ///< of the record that gave the id first
      std::uint16_t kind = 0;   ///< index in kinds_, or kLeftOut
      std::uint16_t input = 0;  ///< index in the inputs
    };
    /// The slot of `id`, and true when it was not there (then it is filled from `value`).
    std::pair<Slot*, bool> insert(std::string_view id, const Slot& value);
    [[nodiscard]] const Slot* find(std::string_view id) const;
    [[nodiscard]] const Slot* find_key(std::uint64_t key) const;
    /// Marks the id of hash `key` left out (a record dropped with its error).
    void leave_out(std::uint64_t key);
    void reserve(std::size_t count);
    void prefetch(std::string_view id) const { prefetch_key(key_of(id)); }
    void prefetch_key(std::uint64_t key) const {
      if (!slots_.empty()) util::prefetch(&slots_[key & (slots_.size() - 1)]);
    }

    static std::uint64_t key_of(std::string_view id);
    /// key_of() of an id whose id_hash() is `hash`.
    static std::uint64_t key_of_hash(std::uint64_t hash) { return hash == 0 ? 1 : hash; }

   private:
    util::ZeroedArray<Slot> slots_;
    std::size_t used_ = 0;
  };
  IdTable ids_;
  /// The ids the current record gave: left out when the record is dropped, so that no
  /// relation written later names an entity that is not in the document.
  std::vector<std::uint64_t> record_ids_;
  /// The relations written before an entity they name was given (the ordinal of each, and
  /// the keys of its ends): the record of that entity may still be dropped (--keep-going),
  /// or never come. Those of the record in progress wait in record_ahead_.
  struct RelationAhead {
    std::uint64_t ordinal;
    std::uint64_t from;
    std::uint64_t to;
  };
  std::vector<RelationAhead> relations_ahead_;
  std::vector<std::uint64_t> dropped_ids_;  ///< keys of record_would_give(), sorted at the end
  std::vector<RelationAhead> record_ahead_;
  /// The first ends not given yet when a relation named them, with where: to name one
  /// that is never given in the warning of finish_records().
  struct EndAhead {
    std::uint64_t key;
    std::string id;
    diag::SourceLocation where;
  };
  std::vector<EndAhead> ends_ahead_;
  void leave_out_relations_of_dropped_records();
  void warn_of_ends_not_described();
  std::vector<std::string> kinds_;
};

/// Reads a file line by line in large blocks (never whole), for JSON lines and the like.
/// Lines end at \n (a \r before it is removed); the last line may lack its \n; a UTF-8
/// byte-order mark at the start of the file is skipped.
class LineReader {
 public:
  LineReader() = default;
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader();

  /// Opens `path`; on failure reports it through ctx.input_error and returns false.
  bool open(const std::string& path, ImportContext& ctx);
  /// The next line, valid until the next call; false at the end (or on a read error,
  /// then reported through the context given to open()).
  bool next(std::string_view& line);
  /// FILE:LINE:1 of the current line.
  [[nodiscard]] diag::SourceLocation location() const;
  /// FILE:LINE:COL of byte `byte_in_line` of the current line (COL in code points).
  [[nodiscard]] diag::SourceLocation location_at(std::size_t byte_in_line) const;
  [[nodiscard]] std::uint32_t line_number() const { return line_; }
  /// Bytes read up to the end of the current line.
  [[nodiscard]] std::uint64_t offset() const { return offset_; }

  /// A line longer than this is an error (reported through the context given to open(),
  /// and the line passed over): a file with no line breaks is not JSON lines, and is not
  /// read whole into memory to find that out.
  static constexpr std::size_t kMaxLineBytes = std::size_t{64} << 20;

 private:
  // Passes over the rest of the current too-long line (its start is in the buffer);
  // false when the input ends first.
  bool skip_line();
  // Reads more of the input after end_ into the buffer; false at its end (eof_ set) or on
  // a read error (reported, the file closed: file_ is then null).
  bool read_more();

  std::FILE* file_ = nullptr;
  std::string path_;
  ImportContext* ctx_ = nullptr;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  ///< start of unread bytes in buffer_
  std::size_t end_ = 0;    ///< end of valid bytes in buffer_
  bool eof_ = false;
  std::string_view current_;
  std::uint32_t line_ = 0;
  std::uint64_t offset_ = 0;
};

/// Turns byte offsets into FILE:LINE:COL for inputs read as one whole JSON document:
/// counts forward from the last offset asked (offsets usually increase, as errors are
/// found in reading order).
class OffsetLocator {
 public:
  /// `text` is the whole input, read once (a pipe cannot be read again), and must
  /// outlive the locator.
  OffsetLocator(std::string path, std::string_view text) : path_(std::move(path)), text_(text) {}
  [[nodiscard]] diag::SourceLocation locate(std::uint64_t offset);

 private:
  std::string path_;
  std::string_view text_;
  std::uint64_t offset_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t column_ = 1;
};

/// What the first bytes of an input (`head`, up to a few kilobytes; `whole` when that is
/// the whole input) show it is not: empty, compressed, UTF-16, binary or, for a JSON
/// format (`json`), not starting with '{' or '['. Empty when nothing is wrong; otherwise
/// what is wrong and what to do.
std::string sniff_input(std::string_view head, bool whole, bool json);

/// Reads the JSON input at `path` whole (a file, a pipe or standard output's other end);
/// input that does not start as JSON ('{' or '[') is read only as far as its first block,
/// enough for the parser to say so at its start.
/// On failure, `error` says why ("is a folder", "Permission denied", ...).
bool read_whole_input(const std::string& path, std::string& text, std::string& error);

/// A plain decimal number: an optional sign, digits with an optional fraction, and an
/// optional exponent ("12", "-0.5", "1e3"). No hexadecimal, infinity or NaN, and nothing
/// around it: false for any other text.
bool parse_plain_decimal(std::string_view text, double& value);

/// The 1-based column (in code points) of byte `byte` of `line`.
std::uint32_t column_of(std::string_view line, std::size_t byte);

/// An ISO date from a date-time or date text ("1995-03-01T00:00:00Z" → "1995-03-01"),
/// or empty when the text is not one.
std::string iso_date_prefix(std::string_view text);

}  // namespace twinscan::imports
