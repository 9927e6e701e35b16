#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"

namespace twinscan::identity {

/// The format tag every judgements file carries.
inline constexpr std::string_view kJudgementsFormat = "twinscan-judgements/1";

/// What a person decided about two ids.
enum class Verdict { kSame, kDifferent };

/// "same" or "different", as in the file.
std::string_view to_string(Verdict verdict);

/// One judgement of identity: two ids, the verdict, who made it and when. Judgements
/// are data kept apart from the sources: nothing automatic writes or overrides one.
struct Judgement {
  std::string a;
  std::string b;
  Verdict verdict = Verdict::kSame;
  std::string by;              ///< Who judged: a person or a team.
  std::string on;              ///< ISO 8601 date of the judgement.
  std::string note;            ///< Optional: the reasons, a reference.
  diag::SourceLocation where;  ///< Where the judgement starts in its file (line 0 if new).

  /// "A same B (by x, on d)": the form in which messages quote a judgement.
  [[nodiscard]] std::string describe() const;
};

/// How reading a judgements file went.
enum class JudgementsStatus { kOk, kMissing, kInvalid };

/// Parses the text of a judgements file, appending its judgements to `out` in file
/// order. Every problem is reported as FILE:LINE:COL (all of them, not the first);
/// returns false when there was any.
bool parse_judgements(const diag::SourceText& source, std::vector<Judgement>& out,
                      diag::Diagnostics& diagnostics);

/// Reads and parses the judgements file `path`. A missing file is kMissing (reported);
/// an unreadable or malformed one is kInvalid.
JudgementsStatus read_judgements(const std::string& path, std::vector<Judgement>& out,
                                 diag::Diagnostics& diagnostics);

/// The judgements as the text of a file: pretty-printed, two spaces, one judgement per
/// block, keys in a fixed order and "note" only when given, so that a file appended to
/// changes by the lines of the new judgement only.
std::string format_judgements(const std::vector<Judgement>& judgements);

/// Writes the judgements to `path` atomically (util::write_file_atomically). Returns
/// false with `error` set when the file cannot be written.
bool write_judgements(const std::string& path, const std::vector<Judgement>& judgements,
                      std::string& error);

}  // namespace twinscan::identity
