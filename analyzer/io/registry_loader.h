#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/fast_document_parser.h"
#include "analyzer/io/fast_document_reader.h"
#include "analyzer/model/graph_builder.h"
#include "analyzer/util/file_start.h"
#include "analyzer/util/hash.h"

namespace twinscan::io {

/// Reads registry documents (format "twinscan/1") into a GraphBuilder, checking each
/// against the schema. Every problem is reported with file, line and column; reading
/// goes on after an error so that one run lists them all.
class RegistryLoader {
 public:
  RegistryLoader(std::shared_ptr<const model::Schema> schema, diag::Diagnostics& diagnostics);
  /// A loader that adds to `base` (opened from a snapshot) in place.
  RegistryLoader(std::unique_ptr<model::Graph> base, diag::Diagnostics& diagnostics);
  ~RegistryLoader();

  /// Adds a file, or every `*.json` of a folder sorted by name.
  void add_path(const std::string& path);
  /// Adds each path as add_path() does, in order, reading the next file while one is
  /// parsed.
  void add_paths(const std::vector<std::string>& paths);
  /// Adds a document held in memory. Returns its document index.
  std::uint32_t add_source(const diag::SourceText& source);

  /// Declares ids that judgements say name one entity (see GraphBuilder::join_ids).
  void join_ids(const std::vector<std::string>& ids) { builder_.join_ids(ids); }

  /// The documents added from now on are a request (GraphBuilder::begin_request).
  void begin_request() { builder_.begin_request(); }

  /// The graph finished answers its lookups from `base`'s indexes (see
  /// GraphBuilder::share_indexes_of).
  void share_indexes_of(std::shared_ptr<const model::Graph> base) {
    builder_.share_indexes_of(std::move(base));
  }

  /// Resolves references across all documents and returns the graph, or nullptr
  /// when any error was reported.
  std::shared_ptr<const model::Graph> finish();

  /// True when an input path did not exist (exit status 66 rather than 65).
  [[nodiscard]] bool missing_input() const { return missing_input_; }
  [[nodiscard]] std::uint64_t bytes_read() const { return bytes_read_; }
  [[nodiscard]] std::size_t document_count() const { return documents_; }

  /// Whether documents are first tried with the fast reader (FastDocumentReader), which
  /// gives way to the full reader on any problem; on by default. Off, every document is
  /// read by the full reader (tests compare the two).
  void set_fast_path(bool on) { fast_path_ = on; }
  /// Documents of `min_bytes` or more are parsed on a second thread, `batch_size`
  /// statements at a time, while the graph is built from the batch before (see
  /// FastDocumentReader::set_parse_ahead; by default 4 MiB and 1024). Set between
  /// loads, not while add_paths() runs.
  void set_parse_ahead(std::size_t min_bytes, std::size_t batch_size) {
    parse_ahead_ = {min_bytes, batch_size};
    if (fast_) fast_->set_parse_ahead(min_bytes, batch_size);
  }
  /// Documents of `from_bytes` or more are parsed in windows of about `window_bytes` of
  /// whole statements (fast::DocumentParser::set_windows; by default from 48 MiB, 4 MiB
  /// each; 0: never). Set between loads, not while add_paths() runs.
  void set_windows(std::size_t from_bytes, std::size_t window_bytes) {
    windows_ = {from_bytes, window_bytes};
    if (fast_) fast_->set_windows(from_bytes, window_bytes);
  }
  /// Documents read whole by the fast reader, and documents it gave back to the full one.
  [[nodiscard]] std::size_t fast_documents() const { return fast_documents_; }
  [[nodiscard]] std::size_t fallback_documents() const { return fallback_documents_; }
  /// Documents of a folder or list whose parse began on a thread of its own as soon as
  /// they were read, while the one before was added (FastDocumentReader::parse_ahead).
  [[nodiscard]] std::size_t documents_parsed_ahead() const { return documents_parsed_ahead_; }

 private:
  friend class FastDocumentReader;
  class DocumentReader;
  /// add_source(), with the document's parse when it was begun ahead.
  std::uint32_t add_source(const diag::SourceText& source,
                           std::unique_ptr<FastDocumentReader::Parse> begun);
  /// The fast reader, made at first use; nullptr when every document goes to the full one.
  FastDocumentReader* fast_reader();
  struct KeyInfo {
    util::Sym sym = 0;
    const model::PropertySpec* spec = nullptr;  // nullptr: not declared for this kind
  };
  /// Interned key and schema spec of property `key` on entity kind `kind` (or relation
  /// kind, when `relation`), cached so that each document key is looked up once.
  const KeyInfo& entity_key(model::KindId kind, std::string_view key);
  const KeyInfo& relation_key(model::RelKindId kind, std::string_view key);

  std::shared_ptr<const model::Schema> schema_;
  diag::Diagnostics& diagnostics_;
  model::GraphBuilder builder_;
  using KeyCache = std::unordered_map<std::string, KeyInfo, util::StringHash, std::equal_to<>>;
  std::vector<KeyCache> entity_keys_;
  std::vector<KeyCache> relation_keys_;
  std::unordered_set<std::string, util::StringHash> warned_undeclared_;
  std::unique_ptr<FastDocumentReader> fast_;
  bool fast_path_ = true;
  std::pair<std::size_t, std::size_t> parse_ahead_{4u << 20, 1024};
  std::pair<std::size_t, std::size_t> windows_{fast::DocumentParser::kWindowsFrom,
                                               fast::DocumentParser::kWindowBytes};
  bool extending_ = false;
  std::size_t fast_documents_ = 0;
  std::size_t fallback_documents_ = 0;
  std::size_t documents_parsed_ahead_ = 0;
  bool missing_input_ = false;
  std::uint64_t bytes_read_ = 0;
  std::size_t documents_ = 0;
};

/// What a registry path argument turned out to be.
enum class PathStatus {
  kOk,               ///< a file, or a folder holding `*.json` documents
  kMissing,          ///< no such file or folder
  kNoDocuments,      ///< a folder holding no `*.json` document
  kUnreadableFolder  ///< a folder whose entries cannot be listed (`error` says why)
};

/// The warning for a relation stated again in its document (same kind and ends): a copy
/// when `same_properties`, else a second statement with other properties, both kept.
/// `first_at` is where the first one is, as FILE:LINE:COL.
std::string repeated_relation_message(std::string_view kind, std::string_view from,
                                      std::string_view to, const std::string& first_at,
                                      bool same_properties);

/// Whether the file at `path` is a judgements file (it starts {"format":
/// "twinscan-judgements/1"): a folder may keep one beside its documents.
bool is_judgements_file(const std::string& path);

/// A document a registry path names: a file, or one of a folder's, with what listing the
/// folder saw of it.
struct ListedDocument {
  std::string path;
  /// Its size, when the listing opened it (a regular file of a folder).
  std::optional<std::uint64_t> size;
  /// All of its text and its status as opened, when the listing kept it whole.
  std::unique_ptr<util::FileLook> whole;
};

/// How much of a folder's documents a listing keeps whole: each smaller than
/// `smaller_than` bytes, while the texts kept (with their room past the end) take no more
/// than `in_all` bytes, which the listing counts down. A folder of a hundred thousand
/// documents of 60 KB is then not held in memory at once.
struct KeepWhole {
  std::uint64_t smaller_than = 0;
  std::uint64_t in_all = 0;
};

/// Expands a path argument into `documents` as list_registry_path() does, keeping the
/// whole text of a folder's small regular files as `keep` allows (with
/// diag::SourceText::kPadding bytes of room past its end), read with its start.
PathStatus list_registry_documents(const std::string& path, std::vector<ListedDocument>& documents,
                                   std::string& error, KeepWhole& keep);

/// Expands a path argument: a folder yields its `*.json` files sorted by name, except a
/// judgements file (applied only when given with --judgements).
PathStatus list_registry_path(const std::string& path, std::vector<std::string>& files,
                              std::string& error);
/// Expands a path argument like list_registry_path(); false when the path does not exist.
bool expand_registry_path(const std::string& path, std::vector<std::string>& files);

}  // namespace twinscan::io
