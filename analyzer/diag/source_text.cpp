#include "analyzer/diag/source_text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <mutex>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "analyzer/util/huge_pages.h"
#include "analyzer/util/output_target.h"
#include "analyzer/util/prefault.h"
#include "analyzer/util/terminal_columns.h"
#include "analyzer/util/terminal_text.h"
#include "analyzer/util/utf8.h"

namespace twinscan::diag {
namespace {

// True when `line` holds a character other than a tab that is escaped when printed.
bool has_terminal_control(std::string_view line) {
  std::string copy(line);
  std::replace(copy.begin(), copy.end(), '\t', ' ');  // a tab lines up under itself
  return util::needs_terminal_escape(copy);
}

}  // namespace

SourceText::SourceText(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)), index_(std::make_unique<Index>()) {}

SourceText::SourceText(const SourceText& other)
    : name_(other.name_), text_(other.text_), index_(std::make_unique<Index>()) {}

SourceText& SourceText::operator=(const SourceText& other) {
  if (this != &other) {
    auto index = std::make_unique<Index>();  // first: a failure leaves this source as it was
    name_ = other.name_;
    text_ = other.text_;
    index_ = std::move(index);
  }
  return *this;
}

const SourceText::Index& SourceText::index() const {
  // A source moved from holds no text and no index: it answers as an empty text does.
  static Index unread;
  Index& index = index_ ? *index_ : unread;
  const std::string_view text = index_ ? std::string_view(text_) : std::string_view();
  std::call_once(index.built, [&index, text] {
    // Made apart and moved in at the end: an exception (memory) leaves the index empty
    // for the next call to make again, not half made.
    std::vector<std::uint32_t> line_starts{0};
    const char* begin = text.data();
    const char* end = begin + text.size();
    for (const char* p = begin; p < end;) {
      const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      if (nl == nullptr) break;
      p = static_cast<const char*>(nl) + 1;
      line_starts.push_back(static_cast<std::uint32_t>(p - begin));
    }
    std::vector<std::uint32_t> block_code_points;
    block_code_points.reserve(text.size() / kBlock + 1);
    std::uint32_t count = 0;
    for (std::size_t block = 0; block * kBlock <= text.size(); ++block) {
      block_code_points.push_back(count);
      count += static_cast<std::uint32_t>(count_code_points(text.substr(block * kBlock, kBlock)));
    }
    index.line_starts = std::move(line_starts);
    index.block_code_points = std::move(block_code_points);
  });
  return index;
}

std::size_t SourceText::code_points_before(std::size_t offset) const {
  const std::size_t block = offset / kBlock;
  return index().block_code_points[block] +
         count_code_points(std::string_view(text_.data() + block * kBlock, offset % kBlock));
}

SourceText::ReadStatus SourceText::read_file(const std::string& path, SourceText& out,
                                             std::string& error, std::string buffer,
                                             bool protect_as_input) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    error = std::strerror(errno);
    return errno == ENOENT || errno == ENOTDIR ? ReadStatus::kMissing : ReadStatus::kUnreadable;
  }
  if (S_ISDIR(info.st_mode)) {
    error = "is a folder";
    return ReadStatus::kUnreadable;
  }
  // Pipes and devices could block forever or never end: only regular files are read.
  if (!S_ISREG(info.st_mode)) {
    error = "not a regular file";
    return ReadStatus::kUnreadable;
  }
  // Offsets are 32-bit throughout the loader; split larger registries into documents.
  if (static_cast<std::uint64_t>(info.st_size) >= std::numeric_limits<std::uint32_t>::max()) {
    error = "file is larger than 4 GiB; split the registry into several documents";
    return ReadStatus::kTooLarge;
  }
  // Read with the system's calls rather than a stream: a folder may hold thousands of
  // small documents, and a stream takes a buffer of its own and calls more.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    error = std::strerror(errno);
    return ReadStatus::kUnreadable;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } const closer{fd};
  std::string text = std::move(buffer);
  text.clear();
  // Room past the end lets the registry loader's simdjson parser read the text in place
  // (it reads up to 64 bytes beyond the last). A buffer handed over is used when it has
  // that room; else the new one has an eighth more, for a next file of about this size.
  const auto size = static_cast<std::size_t>(info.st_size);
  if (text.capacity() < size + kPadding) {
    text.reserve(size + size / 8 + kPadding);
    // A fresh buffer of many megabytes is filled in huge pages (util/huge_pages.h).
    util::advise_huge_pages(text.data(), text.capacity());
  }
  {
    // A large buffer is faulted in from both ends at once: the first document's read is
    // on the critical path of a load, and every other core is idle then. (A buffer handed
    // over is in memory already: the advice then only walks its page tables.)
    const util::BackHalfPrefault back_half(text.data(), size);
    text.resize(size);
  }
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, text.data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? std::string("read failed: ") + std::strerror(errno) : "read failed";
      return ReadStatus::kUnreadable;
    }
    got += static_cast<std::size_t>(n);
  }
  if (protect_as_input) {
    // The file read, as opened: a file replaced (renamed over) after the look-up above is
    // protected as the one whose text this is.
    struct stat opened {};
    if (::fstat(fd, &opened) == 0) util::protect_input(path, opened);
  }
  out = SourceText(path, std::move(text));
  return ReadStatus::kOk;
}

std::string SourceText::take_text() && {
  index_ = std::make_unique<Index>();
  return std::exchange(text_, std::string());
}

SourceLocation SourceText::location(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const std::vector<std::uint32_t>& line_starts = index().line_starts;
  const auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  const std::size_t line_index = static_cast<std::size_t>(it - line_starts.begin()) - 1;
  const std::size_t start = line_starts[line_index];
  const std::size_t column =
      offset - start <= kBlock
          ? count_code_points(std::string_view(text_.data() + start, offset - start))
          : code_points_before(offset) - code_points_before(start);
  return {name_, static_cast<std::uint32_t>(line_index + 1),
          static_cast<std::uint32_t>(column + 1)};
}

void SourceText::Cursor::locate(std::size_t offset, std::uint32_t& line, std::uint32_t& column) {
  const std::string& text = source_.text_;
  offset = std::min(offset, text.size());
  if (offset < offset_) {
    const SourceLocation loc = source_.location(offset);
    offset_ = offset;
    line_ = loc.line;
    column_ = loc.column;
  }
  advance_position(std::string_view(text).substr(offset_, offset - offset_), line_, column_);
  offset_ = offset;
  line = line_;
  column = column_;
}

std::string_view SourceText::line_text(std::uint32_t line) const {
  const std::vector<std::uint32_t>& line_starts = index().line_starts;
  if (line == 0 || line > line_starts.size()) return {};
  const std::size_t start = line_starts[line - 1];
  std::size_t end = line < line_starts.size() ? line_starts[line] - 1 : text_.size();
  if (end > start && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(start, end - start);
}

std::string SourceText::caret_excerpt(std::size_t offset) const {
  const SourceLocation loc = location(offset);
  std::string_view line = line_text(loc.line);
  constexpr std::size_t kMaxShown = 160;  // keep minified one-line documents readable
  // A line that would print differently from how it reads (control characters, bidi
  // overrides) is not shown: the caret would not line up, and it could forge output.
  if (line.size() > kMaxShown || find_invalid_utf8(line) != std::string_view::npos ||
      has_terminal_control(line))
    return {};
  std::string out = "  ";
  out += line;
  out += "\n  ";
  // Under the column's character, in terminal columns (two for a Han character).
  std::size_t col = 1;
  for (std::size_t i = 0; i < line.size() && col < loc.column; ++col) {
    std::uint32_t cp = 0;
    const std::size_t len = util::decode_utf8(line, i, cp);  // the line is valid UTF-8
    out.append(line[i] == '\t' ? "\t" : std::string(util::terminal_columns(cp), ' '));
    i += len;
  }
  out += '^';
  return out;
}

std::size_t find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Fast path: eight ASCII bytes at a time.
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    std::uint32_t cp;
    const std::size_t len = util::decode_utf8(text, i, cp);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::size_t count_code_points(std::string_view text) {
  const char* p = text.data();
  std::size_t n = text.size();
  std::size_t continuation = 0;
  // Eight bytes at a time: a continuation byte has its top bits 10. The marks (one bit a
  // byte) are summed with a multiply: a population count is a library call unless the
  // build targets processors that have the instruction.
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    const std::uint64_t cont = (word & ~(word << 1) & 0x8080808080808080ULL) >> 7;
    continuation += static_cast<std::size_t>((cont * 0x0101010101010101ULL) >> 56);
  }
  for (; n > 0; ++p, --n) {
    if ((static_cast<unsigned char>(*p) & 0xC0) == 0x80) ++continuation;
  }
  return text.size() - continuation;
}

void advance_position(std::string_view text, std::uint32_t& line, std::uint32_t& column) {
  auto step = [&](unsigned char byte) {
    if (byte == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0) != 0x80) {
      ++column;
    }
  };
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  // The characters that eight bytes without a line break begin: all but the
  // continuation bytes (top bits 10), whose marks are summed with a multiply.
  auto characters_in = [](const char* at) {
    std::uint64_t word;
    std::memcpy(&word, at, 8);
    const std::uint64_t continuation = (word & ~(word << 1) & kHighs) >> 7;
    return 8 - static_cast<std::uint32_t>((continuation * kOnes) >> 56);
  };
  const char* p = text.data();
  std::size_t n = text.size();
#if defined(__SSE2__)
  // Sixteen bytes at a time: sixteen characters when they hold neither a line break nor
  // a byte past ASCII (the common case: a registry's keys and punctuation, ids, most
  // names), counted two words at a time when they hold no line break, byte by byte when
  // they do. The loader asks for the position of every statement and relation end, and
  // this is what the text between two of them costs.
  const __m128i line_break = _mm_set1_epi8('\n');
  for (; n >= 16; p += 16, n -= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, line_break)) != 0) {
      for (int i = 0; i < 16; ++i) step(static_cast<unsigned char>(p[i]));
    } else if (_mm_movemask_epi8(bytes) == 0) {  // a byte's top bit: set past ASCII
      column += 16;
    } else {
      column += characters_in(p) + characters_in(p + 8);
    }
  }
#endif
  // Eight bytes at a time while they hold no line break (the test may also flag a byte
  // after a line break, never miss one: such words are taken a byte at a time). The
  // spans between two positions a loader asks for are short, so this is quicker than a
  // library memchr and a count.
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    const std::uint64_t breaks = word ^ (kOnes * '\n');
    if (((breaks - kOnes) & ~breaks & kHighs) != 0) {
      for (int i = 0; i < 8; ++i) step(static_cast<unsigned char>(p[i]));
      continue;
    }
    column += characters_in(p);
  }
  for (; n > 0; ++p, --n) step(static_cast<unsigned char>(*p));
}

}  // namespace twinscan::diag
