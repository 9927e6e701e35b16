#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "analyzer/diag/source_text.h"

namespace twinscan::io {

class RegistryLoader;

/// The fast path of RegistryLoader: reads a registry document with simdjson's on-demand
/// parser straight into the GraphBuilder, checking it against the schema as the full
/// reader does, without building a tree or recording where every value starts.
///
/// It reads only documents that need no diagnostic other than the warnings about
/// repeated relations (which it reports exactly as the full reader does). On anything
/// else (malformed JSON, comments, a schema violation, a warning, or a construct it does
/// not handle) it gives up and returns false; the loader then takes back all the
/// document added (GraphBuilder::rollback) and reads it again with the full reader,
/// whose messages and positions are the reference. A document read either way leaves
/// the builder in the same state.
///
/// A document of `min_bytes` or more (4 MiB by default) is parsed on a second thread, in
/// batches of statements, while this thread adds the batch before to the graph. The
/// parse of the next document may begin before that (parse_ahead()): parsing takes about
/// twice as long as adding, so that two parses and the adding thread keep two cores busy.
class FastDocumentReader {
 public:
  /// A document's parse under way on its own thread, for read() to take up. Destroying
  /// it stops the parse and waits for its thread.
  class Parse {
   public:
    ~Parse();
    Parse(const Parse&) = delete;
    Parse& operator=(const Parse&) = delete;

    /// What a parse holds: its text, its parser, its thread and the batches it filled.
    struct State;
    /// Made by parse_ahead().
    explicit Parse(std::unique_ptr<State> state);
    [[nodiscard]] State& state() { return *state_; }

   private:
    std::unique_ptr<State> state_;
  };

  explicit FastDocumentReader(RegistryLoader& loader);
  ~FastDocumentReader();
  FastDocumentReader(const FastDocumentReader&) = delete;
  FastDocumentReader& operator=(const FastDocumentReader&) = delete;

  /// Reads `source` as document `document`; false when the full reader must read it.
  /// `begun`: its parse, when parse_ahead() began it (a parse begun for another text or
  /// document number is dropped, and the document parsed afresh).
  bool read(const diag::SourceText& source, std::uint32_t document,
            std::unique_ptr<Parse> begun = nullptr);

  /// Begins parsing `source` as document `document` on its own thread, with a parser of
  /// its own, while another document is read; nullptr when it is too small to be parsed
  /// on another thread (set_parse_ahead) or no thread is to be had. Safe to call from
  /// another thread while read() runs: it shares nothing with it but the locked pools of
  /// spare parsers and batches. `source` must outlive the Parse.
  std::unique_ptr<Parse> parse_ahead(const diag::SourceText& source, std::uint32_t document);

  /// How many documents read() took up the parse of that parse_ahead() began.
  [[nodiscard]] std::size_t parsed_ahead() const;

  /// Documents of `min_bytes` or more are parsed on a second thread, `batch_size`
  /// statements at a time (tests set both small to try every boundary). Set before the
  /// first parse_ahead().
  void set_parse_ahead(std::size_t min_bytes, std::size_t batch_size);
  /// Documents of `from_bytes` or more are parsed in windows of about `window_bytes`
  /// (fast::DocumentParser::set_windows). Set before the first parse.
  void set_windows(std::size_t from_bytes, std::size_t window_bytes);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace twinscan::io
