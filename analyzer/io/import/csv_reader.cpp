#include "analyzer/io/import/csv_reader.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "analyzer/diag/source_text.h"
#include "analyzer/util/utf8.h"
#include "analyzer/util/utf8_check.h"

namespace twinscan::io::csv {
namespace {

// Bytes that stop the scan of an unquoted field: the delimiter, a line feed, and every
// byte of a multi-byte UTF-8 sequence (checked one sequence at a time).
std::array<bool, 256> stop_table(char delimiter) {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(delimiter)] = true;
  t['\n'] = true;
  for (std::size_t c = 0x80; c < 256; ++c) t[c] = true;
  return t;
}

// The number of bytes from `p` (16 readable) before the first that is `a`, `b` or (unless
// the text is known to be UTF-8) from 0x80; 16 when none is.
inline std::size_t plain_run16(const char* p, char a, char b, bool utf8_known) {
#if defined(__SSE2__)
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i hit =
      _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(a)), _mm_cmpeq_epi8(x, _mm_set1_epi8(b)));
  if (!utf8_known) hit = _mm_or_si128(hit, _mm_cmplt_epi8(x, _mm_setzero_si128()));
  const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
  return mask == 0 ? 16 : static_cast<std::size_t>(__builtin_ctz(mask));
#else
  for (std::size_t k = 0; k < 16; ++k) {
    const auto c = static_cast<unsigned char>(p[k]);
    if (p[k] == a || p[k] == b || (!utf8_known && c >= 0x80)) return k;
  }
  return 16;
#endif
}

// Where the UTF-8 sequence that `b[at]` is inside of ends: `at` itself unless it is a
// continuation byte (a run of text known to be UTF-8 can end inside a sequence; the text
// before `known_to` is whole sequences).
inline std::size_t past_sequence(const char* b, std::size_t at, std::size_t known_to) {
  while (at < known_to && (static_cast<unsigned char>(b[at]) & 0xC0U) == 0x80U) ++at;
  return at;
}

// The length of the UTF-8 sequence of Hebrew, Arabic, Cyrillic (two bytes from C2) or of
// most other scripts (three bytes, leads E1..EC and EE..EF, which allow every pair of
// continuation bytes) at b[at], whole before `end`; 0 for anything else.
inline std::size_t common_utf8(const char* b, std::size_t at, std::size_t end) {
  const auto lead = static_cast<unsigned char>(b[at]);
  auto continuation = [&](std::size_t k) {
    return (static_cast<unsigned char>(b[k]) & 0xC0U) == 0x80U;
  };
  if (lead >= 0xC2 && lead <= 0xDF && at + 1 < end && continuation(at + 1)) return 2;
  if (lead >= 0xE1 && lead <= 0xEF && lead != 0xED && at + 2 < end && continuation(at + 1) &&
      continuation(at + 2)) {
    return 3;
  }
  return 0;
}

std::string describe_byte(unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string s = "0x";
  s += kHex[c >> 4U];
  s += kHex[c & 15U];
  return s;
}

}  // namespace

std::uint32_t Record::column_of(const Place& p) const {
  return static_cast<std::uint32_t>(
      diag::count_code_points(std::string_view(buffer_ + p.line_start, p.start - p.line_start)) +
      1);
}

std::uint32_t Record::field_column(std::size_t i) const {
  return column_of(places_[i]);
}

std::uint32_t Record::end_column() const {
  return column_of(end_);
}

Reader::Reader(std::FILE* file, Dialect dialect, std::size_t chunk)
    : file_(file),
      dialect_(dialect),
      chunk_(chunk == 0 ? 1 : chunk),
      stops_(stop_table(dialect.delimiter)),
      lines_to_skip_(dialect.skip_lines) {}

Reader::Reader(std::string_view text, Dialect dialect)
    : dialect_(dialect),
      stops_(stop_table(dialect.delimiter)),
      buffer_(std::make_shared<std::string>(text)),
      end_(text.size()),
      eof_(true),
      lines_to_skip_(dialect.skip_lines) {
  check_utf8_ahead();
}

void Reader::drop_front() {
  const auto shift = [this](std::size_t& at) { at = at > pos_ ? at - pos_ : 0; };
  shift(utf8_from_);
  shift(utf8_to_);
  shift(utf8_looked_);
  consumed_ += pos_;
  end_ -= pos_;
  pos_ = 0;
}

void Reader::check_utf8_ahead() {
  const char* b = buffer_->data();
  std::size_t cut = end_;
  if (!eof_) {
    // A sequence the read may have cut is left for the next read: the continuation bytes
    // at the end, and their lead byte.
    while (cut > utf8_looked_ && end_ - cut < 3 &&
           (static_cast<unsigned char>(b[cut - 1]) & 0xC0U) == 0x80U) {
      --cut;
    }
    if (cut > utf8_looked_ && static_cast<unsigned char>(b[cut - 1]) >= 0xC0U) --cut;
  }
  if (cut <= utf8_looked_) return;
  if (util::is_utf8(std::string_view(b + utf8_looked_, cut - utf8_looked_))) {
    if (utf8_to_ != utf8_looked_) utf8_from_ = utf8_looked_;  // the text before was not
    utf8_to_ = cut;
  } else {
    utf8_from_ = utf8_to_ = 0;  // checked byte by byte, to say where
  }
  utf8_looked_ = cut;
}

bool Reader::fill() {
  if (eof_) return false;
  if (keep_records_ && buffer_.use_count() > 1) {
    // Records read from this buffer are still held: the rest goes to another buffer, one
    // that no record holds any more when there is one.
    std::shared_ptr<std::string> fresh;
    for (auto& spare : spare_buffers_) {
      if (spare.use_count() == 1) {
        fresh.swap(spare);
        spare = buffer_;
        break;
      }
    }
    if (!fresh) {
      fresh = std::make_shared<std::string>();
      if (spare_buffers_.size() < kSpareBuffers) spare_buffers_.push_back(buffer_);
    }
    if (fresh->size() < end_ - pos_ + chunk_) {
      fresh->resize(std::max(buffer_->size(), end_ - pos_ + chunk_));
    }
    std::memcpy(fresh->data(), buffer_->data() + pos_, end_ - pos_);
    buffer_ = std::move(fresh);
    drop_front();
  } else if (pos_ > 0) {
    std::memmove(buffer_->data(), buffer_->data() + pos_, end_ - pos_);
    drop_front();
  }
  if (buffer_->size() - end_ < chunk_) {
    buffer_->resize(std::max(buffer_->size() * 2, end_ + chunk_));
  }
  const std::size_t n =
      std::fread(buffer_->data() + end_, 1, std::min(chunk_, buffer_->size() - end_), file_);
  const std::size_t read_from = end_;
  end_ += n;
  if (cr_line_ends_ && n > 0) {
    // Whether a CR ends a line is told by the byte after it: a CR read last waits for it.
    while (buffer_->data()[end_ - 1] == '\r') {
      if (end_ == buffer_->size()) buffer_->resize(buffer_->size() + 64);
      if (std::fread(buffer_->data() + end_, 1, 1, file_) != 1) break;
      ++end_;
    }
    read_cr_line_ends(read_from, end_);
  }
  check_utf8_ahead();
  if (n == 0) {
    eof_ = true;
    if (std::ferror(file_)) io_error_ = std::string("cannot read: ") + std::strerror(errno);
  }
  return n > 0;
}

void Reader::skip_bom() {
  started_ = true;
  while (end_ - pos_ < 3 && !eof_) fill();
  const auto* b = reinterpret_cast<const unsigned char*>(buffer_->data() + pos_);
  const std::size_t n = end_ - pos_;
  if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
    pos_ += 3;
  } else if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
    io_error_ =
        "the input is UTF-16 (it starts with a UTF-16 byte-order mark); convert it to UTF-8 "
        "first, e.g. iconv -f UTF-16 -t UTF-8";
    io_error_line_ = 1;
    return;
  }
  // Lines that end in a lone CR: the first line break of the first 64 KiB is one. Told
  // from that much of the input, however it is read in.
  constexpr std::size_t kLookedAt = std::size_t{1} << 16;
  while (end_ - pos_ <= kLookedAt && !eof_) fill();
  const std::string_view head(buffer_->data() + pos_, end_ - pos_);
  const std::size_t first_break = head.substr(0, kLookedAt).find_first_of("\r\n");
  if (first_break != std::string_view::npos && head[first_break] == '\r' &&
      (first_break + 1 == head.size() || head[first_break + 1] != '\n')) {
    cr_line_ends_ = true;
    read_cr_line_ends(pos_, end_);
  }
  skip_separator_line();
}

void Reader::read_cr_line_ends(std::size_t from, std::size_t to) {
  // A CR is last only at the end of the input (fill() reads the byte after it).
  char* b = buffer_->data();
  for (std::size_t i = from; i < to; ++i) {
    if (b[i] == '\r' && (i + 1 == to || b[i + 1] != '\n')) b[i] = '\n';
  }
}

void Reader::skip_separator_line() {
  // Spreadsheets write "sep=;" as a first line to say which delimiter the file uses: it is
  // no record. It must agree with the mapping's.
  while (end_ - pos_ < 7 && !eof_) fill();
  const std::string_view head(buffer_->data() + pos_, std::min<std::size_t>(end_ - pos_, 7));
  if (head.size() < 5 || head.substr(0, 4) != "sep=") return;
  const std::string_view rest = head.substr(5);
  if (!(rest.empty() || rest.front() == '\n' || rest.substr(0, 2) == "\r\n")) return;
  const char declared = head[4];
  if (declared != dialect_.delimiter) {
    io_error_line_ = 1;
    io_error_ = std::string("'sep=") + declared + "' says the delimiter is '" + declared +
                "', and the mapping's csv.delimiter is '" + dialect_.delimiter +
                "'; give \"delimiter\": \"" + declared + "\" in the mapping";
    return;
  }
  ++lines_to_skip_;
}

bool Reader::next(Record& record) {
  if (!started_) skip_bom();
  if (!io_error_.empty()) return false;
  while (lines_to_skip_ > 0) {
    const void* nl = std::memchr(buffer_->data() + pos_, '\n', end_ - pos_);
    if (nl == nullptr) {
      if (eof_) {
        pos_ = end_;
        return false;
      }
      pos_ = end_;  // the skipped text need not be kept
      fill();
      continue;
    }
    pos_ = static_cast<std::size_t>(static_cast<const char*>(nl) - buffer_->data()) + 1;
    ++line_;
    --lines_to_skip_;
  }
  for (;;) {
    const Parse p = parse(record);
    if (p == Parse::kDone) return true;
    if (end_ - pos_ > kMaxRecordBytes) {
      io_error_line_ = line_;
      io_error_ = "a record longer than " + std::to_string(kMaxRecordBytes >> 20U) +
                  " MiB: a line with no end, or a quote left open (check the quoting of this "
                  "record); is it the right file?";
      return false;
    }
    if (!fill()) {
      if (!io_error_.empty()) return false;
      if (pos_ == end_) return false;  // nothing left
      // At the end of the input: parse() now sees eof_ and finishes the record.
    }
  }
}

Reader::Parse Reader::parse(Record& r) {
  const std::array<bool, 256>& stops = stops_;

  const char* b = buffer_->data();
  const std::size_t end = end_;
  const std::size_t utf8_from = utf8_from_;  // text checked as UTF-8 ahead
  const std::size_t utf8_to = utf8_to_;
  std::size_t i = pos_;
  std::uint32_t line = line_;
  // Blank lines between records are skipped.
  for (;;) {
    if (i < end && b[i] == '\n') {
      ++i;
      ++line;
    } else if (i + 1 < end && b[i] == '\r' && b[i + 1] == '\n') {
      i += 2;
      ++line;
    } else {
      break;
    }
  }
  if (i >= end || (i + 1 == end && b[i] == '\r')) {
    if (!eof_) return Parse::kNeedMore;
    pos_ = end;
    line_ = line;
    return Parse::kNeedMore;  // next() sees the end
  }

  r.buffer_ = b;
  r.line_ = line;
  r.fields_.clear();
  r.places_.clear();
  r.errors_.clear();
  r.unescaped_.clear();
  r.unescaped_spans_.clear();
  std::vector<Span>& spans = spans_;
  spans.clear();
  std::size_t line_start = i;
  const char delim = dialect_.delimiter;
  const char quote = dialect_.quote;

  auto error_at = [&](std::size_t at, std::string message) {
    Record::Place p{line, line_start, at};
    r.errors_.push_back({line, r.column_of(p), std::move(message)});
  };
  // Checks the UTF-8 sequence at b[i]; returns its length, 0 when more input is needed.
  auto check_utf8 = [&](std::size_t at, bool& need_more) -> std::size_t {
    // At once the sequences of the common scripts; the rest is decoded below.
    const std::size_t common = common_utf8(b, at, end);
    if (common != 0) return common;
    std::uint32_t cp = 0;
    const std::size_t avail = end - at;
    const std::size_t len =
        util::decode_utf8(std::string_view(b + at, avail < 4 ? avail : 4), 0, cp);
    if (len == 0) {
      if (avail < 4 && !eof_) {
        need_more = true;
        return 0;
      }
      error_at(at, "byte " + describe_byte(static_cast<unsigned char>(b[at])) +
                       " is not UTF-8; save the file as UTF-8, or convert it from its code page "
                       "(e.g. iconv -f WINDOWS-1252 -t UTF-8 for Western European text, "
                       "WINDOWS-1255 for Hebrew, WINDOWS-1251 for Cyrillic)");
      return 1;
    }
    return len;
  };

  for (;;) {
    // One field.
    const std::size_t field_start = i;
    r.places_.push_back({line, line_start, field_start});
    std::size_t s = i;
    if (dialect_.trim) {
      while (s < end && (b[s] == ' ' || b[s] == '\t')) ++s;
    }
    if (quote != 0 && s < end && b[s] == quote) {
      std::size_t j = s + 1;
      const std::size_t value_start = j;
      bool copy = false;
      bool closed = false;
      std::size_t value_end = j;
      for (;;) {
        // Plain ASCII text, 16 bytes at a time.
        while (j + 16 <= end) {
          const bool known = j >= utf8_from && j + 16 <= utf8_to;
          const std::size_t run = plain_run16(b + j, quote, '\n', known);
          j += run;
          if (run < 16) break;
          if (known) j = past_sequence(b, j, utf8_to);
        }
        if (j >= end) {
          if (!eof_) return Parse::kNeedMore;
          value_end = j;
          break;
        }
        const auto c = static_cast<unsigned char>(b[j]);
        if (c == static_cast<unsigned char>(quote)) {
          if (j + 1 >= end && !eof_) return Parse::kNeedMore;
          if (j + 1 < end && b[j + 1] == quote) {
            copy = true;
            j += 2;
            continue;
          }
          value_end = j;
          ++j;
          closed = true;
          break;
        }
        if (c == '\n') {
          if (j > value_start && b[j - 1] == '\r') copy = true;
          ++j;
          ++line;
          line_start = j;
          continue;
        }
        if (c >= 0x80) {
          const std::size_t common = common_utf8(b, j, end);
          if (common != 0) {
            j += common;
            continue;
          }
          bool need_more = false;
          const std::size_t len = check_utf8(j, need_more);
          if (need_more) return Parse::kNeedMore;
          j += len;
          continue;
        }
        ++j;
      }
      if (!closed) {
        const Record::Place open{r.places_.back().line, r.places_.back().line_start, s};
        r.errors_.push_back({open.line, r.column_of(open),
                             "the quote opened here is never closed; close it, or double "
                             "a quote meant as text (\"\")"});
      }
      if (copy) {
        const std::size_t off = r.unescaped_.size();
        for (std::size_t k = value_start; k < value_end; ++k) {
          if (b[k] == quote) ++k;  // the first of a doubled quote
          if (b[k] == '\r' && k + 1 < value_end && b[k + 1] == '\n') continue;
          r.unescaped_ += b[k];
        }
        spans.push_back({off, r.unescaped_.size() - off, true});
      } else {
        spans.push_back({value_start, value_end - value_start, false});
      }
      i = j;
      if (dialect_.trim) {
        while (i < end && (b[i] == ' ' || b[i] == '\t')) ++i;
      }
      if (i < end && b[i] != delim && b[i] != '\n' &&
          !(b[i] == '\r' && i + 1 < end && b[i + 1] == '\n') && !(b[i] == '\r' && i + 1 == end)) {
        error_at(i, std::string("text after the closing quote of a field; quote the whole field "
                                "and double the quotes inside it (\"\")"));
        while (i < end && b[i] != delim && b[i] != '\n') ++i;
        if (i >= end && !eof_) return Parse::kNeedMore;
      }
      if (i + 1 == end && b[i] == '\r' && !eof_) return Parse::kNeedMore;
    } else {
      std::size_t j = i;
      for (;;) {
        while (j + 16 <= end) {
          const bool known = j >= utf8_from && j + 16 <= utf8_to;
          const std::size_t run = plain_run16(b + j, delim, '\n', known);
          j += run;
          if (run < 16) break;
          if (known) j = past_sequence(b, j, utf8_to);
        }
        while (j < end && !stops[static_cast<unsigned char>(b[j])]) ++j;
        if (j >= end) {
          if (!eof_) return Parse::kNeedMore;
          break;
        }
        if (static_cast<unsigned char>(b[j]) >= 0x80 && b[j] != delim) {
          const std::size_t common = common_utf8(b, j, end);
          if (common != 0) {
            j += common;
            continue;
          }
          bool need_more = false;
          const std::size_t len = check_utf8(j, need_more);
          if (need_more) return Parse::kNeedMore;
          j += len;
          continue;
        }
        break;
      }
      std::size_t e = j;
      if (e > s && b[e - 1] == '\r' && (e == end || b[e] == '\n')) --e;
      if (dialect_.trim) {
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) --e;
      } else {
        s = i;
      }
      spans.push_back({s, e - s, false});
      i = j;
    }
    // After the field: a delimiter, the end of the line, or the end of the input.
    if (i < end && b[i] == delim) {
      ++i;
      continue;
    }
    r.end_ = {line, line_start, i};
    if (i < end && b[i] == '\r') ++i;
    if (i < end && b[i] == '\n') {
      ++i;
      ++line;
    }
    break;
  }
  for (const Span& sp : spans) {
    r.fields_.emplace_back(sp.copied ? r.unescaped_.data() + sp.start : b + sp.start, sp.length);
  }
  if (keep_records_) r.text_owner_ = buffer_;
  pos_ = i;
  line_ = line;
  return Parse::kDone;
}

}  // namespace twinscan::io::csv
