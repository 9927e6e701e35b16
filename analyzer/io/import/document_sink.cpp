#include "analyzer/io/import/document_sink.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "analyzer/util/utf8.h"

namespace twinscan::imports {

namespace {
// Text is handed to the kernel in blocks that still sit in the cache when it copies them
// (at 4 MiB a block, the copy of 180 MB of relations read them back from memory: 7% of
// the CPU of a CSV import, against under 3% at 256 KiB).
constexpr std::size_t kEntityFlush = std::size_t{1} << 18;
}  // namespace

namespace {

// Whether any of the 8 bytes of `x` needs a look of its own: a control character, a
// quote, a backslash, or a byte of a multi-byte UTF-8 sequence.
bool word_needs_care(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  return (x & kHigh) != 0 || ((x - kOnes * 0x20) & ~x & kHigh) != 0 ||
         has_zero(x ^ (kOnes * '"')) || has_zero(x ^ (kOnes * '\\'));
}

bool byte_needs_care(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

#if defined(__SSE2__)
// The bytes of the 16 at `p` that need a look of their own (a bit each): a signed compare
// below 0x20 also finds the bytes from 0x80.
inline unsigned care_mask16(const char* p) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i care = _mm_or_si128(
      _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
      _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
  return static_cast<unsigned>(_mm_movemask_epi8(care));
}

// GCC names an address-sanitized build with a macro, clang with a feature.
#if defined(__SANITIZE_ADDRESS__)
#define TWINSCAN_ADDRESS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TWINSCAN_ADDRESS_SANITIZED 1
#endif
#endif

// Whether the 16 bytes from `p` lie in one memory page (so that reading them, past the
// end of a short string, cannot fault). An address-sanitized build never reads past the
// end (the sanitizer cannot tell such a read from a misread).
inline bool within_one_page(const char* p) {
#if defined(TWINSCAN_ADDRESS_SANITIZED)
  (void)p;
  return false;
#else
  return (reinterpret_cast<std::uintptr_t>(p) & 4095U) <= 4096U - 16U;
#endif
}
#endif

// The length of the text that is written as it is: plain ASCII and valid UTF-8
// sequences, up to the first byte that must be escaped or replaced. The end of a short
// text is looked at 16 bytes at a time too, reading past it within its memory page (the
// bytes past it are masked out).
std::size_t verbatim_prefix(std::string_view text) {
  const char* const data = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
#if defined(__SSE2__)
    const std::size_t left = n - i;
    if (left >= 16 || within_one_page(data + i)) {
      const unsigned mask = care_mask16(data + i) & (left >= 16 ? 0xFFFFU : (1U << left) - 1U);
      if (mask == 0) {
        i += left >= 16 ? 16 : left;
        continue;
      }
      i += static_cast<std::size_t>(__builtin_ctz(mask));
    }
#endif
    if (i + 8 <= n) {
      std::uint64_t x = 0;
      std::memcpy(&x, data + i, 8);
      if (!word_needs_care(x)) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(data[i]);
    if (!byte_needs_care(c)) {
      ++i;
      continue;
    }
    if (c < 0x80) return i;
    std::uint32_t cp = 0;
    const std::size_t len = util::decode_utf8(text, i, cp);
    if (len == 0) return i;
    i += len;
  }
  return n;
}

}  // namespace

bool append_json_string(std::string& out, std::string_view text) {
  bool ok = true;
  out += '"';
  std::size_t i = verbatim_prefix(text);
  out.append(text.data(), i);  // usually the whole text
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::uint32_t cp = 0;
      const std::size_t len = util::decode_utf8(text, i, cp);
      if (len == 0) {
        ok = false;
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(text.data() + i, len);
        i += len;
      }
    } else if (!byte_needs_care(c)) {
      out += static_cast<char>(c);
      ++i;
    } else {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default: {
          static const char* const kHex = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        }
      }
      ++i;
    }
    // The next run that needs nothing, at once.
    const std::size_t run = verbatim_prefix(text.substr(i));
    out.append(text.data() + i, run);
    i += run;
  }
  out += '"';
  return ok;
}

DocumentWriter::~DocumentWriter() {
  if (entity_scratch_) std::fclose(entity_scratch_);
  if (relation_scratch_) std::fclose(relation_scratch_);
}

bool DocumentWriter::open(const std::string& output, const SourceInfo& source, std::string& error) {
  if (!out_.open(output, error)) return false;
  // Sized once: grown step by step, the buffers would be copied and their pages touched
  // afresh at each step.
  entity_buffer_.reserve(kEntityFlush + (kEntityFlush >> 2U));
  relation_buffer_.reserve(limits_.relation_block + (limits_.relation_block >> 2U));
  // A regular file (or a new one) is written to a temporary file and renamed by commit();
  // anything else (standard output, a device, a FIFO) is written through, so the entities
  // wait in a scratch file until commit().
  struct stat st {};
  const bool through = output == "-" || (::stat(output.c_str(), &st) == 0 && !S_ISREG(st.st_mode));
  if (through) {
    entity_scratch_ = std::tmpfile();
    if (!entity_scratch_) {
      error = std::string("cannot make a scratch file: ") + std::strerror(errno);
      return false;
    }
  }
  std::string head = "{\"format\": \"twinscan/1\",\n \"source\": {";
  bool first = true;
  auto field = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    if (!first) head += ", ";
    first = false;
    head += '"';
    head += key;
    head += "\": ";
    append_json_string(head, value);
  };
  field("id", source.id);
  field("name", source.name);
  field("role", source.role);
  field("retrieved", source.retrieved);
  head += "},\n \"entities\": [";
  open_ = true;
  return write_entities(head, error);
}

bool DocumentWriter::write_entities(std::string_view text, std::string& error) {
  if (entity_scratch_) {
    if (std::fwrite(text.data(), 1, text.size(), entity_scratch_) != text.size()) {
      error = std::string("cannot write a scratch file: ") + std::strerror(errno);
      return false;
    }
    return true;
  }
  return out_.write(text, error);
}

bool DocumentWriter::set_relations_aside(std::string& error) {
  if (relation_buffer_.empty()) return true;
  if (relation_scratch_ == nullptr && !out_.has_tail() &&
      held_bytes_ + relation_buffer_.size() <= limits_.relations_held) {
    held_bytes_ += relation_buffer_.size();
    held_relations_.emplace_back(relation_buffer_.begin(), relation_buffer_.end());
    relation_buffer_.clear();
    return true;
  }
  if (relation_scratch_ == nullptr && !out_.has_tail() && limits_.output_tail &&
      entity_scratch_ == nullptr && out_.open_tail()) {
    // The relations held so far go first.
    for (auto& held : held_relations_) {
      if (!out_.write_tail(std::string_view(held.data(), held.size()), error)) return false;
    }
    held_relations_.clear();
    held_bytes_ = 0;
  }
  if (out_.has_tail()) {
    if (!out_.write_tail(relation_buffer_, error)) return false;
    relation_buffer_.clear();
    return true;
  }
  if (!relation_scratch_) {
    relation_scratch_ = std::tmpfile();
    if (!relation_scratch_) {
      error = std::string("cannot make a scratch file: ") + std::strerror(errno);
      return false;
    }
  }
  if (std::fwrite(relation_buffer_.data(), 1, relation_buffer_.size(), relation_scratch_) !=
      relation_buffer_.size()) {
    error = std::string("cannot write a scratch file: ") + std::strerror(errno);
    return false;
  }
  relation_buffer_.clear();
  return true;
}

bool render_entity(std::string& out, const Entity& entity) {
  out += "{\"id\": ";
  bool ok = append_json_string(out, entity.id);
  out += ", \"kind\": ";
  ok &= append_json_string(out, entity.kind);
  ok &= entity.fields.append_json(out);
  out += '}';
  return ok;
}

bool render_relation(std::string& out, const Relation& relation) {
  out += '{';
  bool ok = true;
  if (!relation.id.empty()) {
    out += "\"id\": ";
    ok &= append_json_string(out, relation.id);
    out += ", ";
  }
  out += "\"kind\": ";
  ok &= append_json_string(out, relation.kind);
  out += ", \"from\": ";
  ok &= append_json_string(out, relation.from);
  out += ", \"to\": ";
  ok &= append_json_string(out, relation.to);
  ok &= relation.fields.append_json(out);
  out += '}';
  return ok;
}

bool DocumentWriter::entity(const Entity& entity) {
  entity_buffer_ += entities_ == 0 ? "\n  " : ",\n  ";
  ++entities_;
  return render_entity(entity_buffer_, entity);
}

bool DocumentWriter::relation(const Relation& relation) {
  relation_buffer_ += relations_ == 0 ? "\n  " : ",\n  ";
  ++relations_;
  return render_relation(relation_buffer_, relation);
}

void DocumentWriter::entity_text(std::string_view json) {
  entity_buffer_ += entities_ == 0 ? "\n  " : ",\n  ";
  ++entities_;
  entity_buffer_ += json;
}

void DocumentWriter::relation_text(std::string_view json) {
  relation_buffer_ += relations_ == 0 ? "\n  " : ",\n  ";
  ++relations_;
  relation_buffer_ += json;
}

void DocumentWriter::leave_out_relations(std::vector<std::uint64_t> ordinals) {
  left_out_ = std::move(ordinals);
}

bool DocumentWriter::write_relations_leaving_out(std::string& error) {
  // The relations' text is "\n  {…}" then ",\n  {…}" for each next one, one a line (a
  // JSON string holds no line break): it is read line by line, the kept ones written
  // again with their commas.
  std::string out;
  std::string line;
  std::uint64_t ordinal = 0;
  std::uint64_t kept = 0;
  std::size_t next_left_out = 0;
  bool first_line = true;
  const auto take_line = [&](std::string_view text) {
    if (first_line) {  // the empty line before the first relation
      first_line = false;
      return;
    }
    if (!text.empty() && text.back() == ',') text.remove_suffix(1);
    while (next_left_out < left_out_.size() && left_out_[next_left_out] < ordinal) ++next_left_out;
    const bool leave = next_left_out < left_out_.size() && left_out_[next_left_out] == ordinal;
    ++ordinal;
    if (leave) return;
    out += kept++ == 0 ? "\n" : ",\n";
    out += text;
  };
  const auto feed = [&](std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t nl = text.find('\n', at);
      if (nl == std::string_view::npos) {
        line.append(text.substr(at));
        break;
      }
      line.append(text.substr(at, nl - at));
      take_line(line);
      line.clear();
      at = nl + 1;
    }
    if (out.size() >= (std::size_t{1} << 20)) {
      if (!out_.write(out, error)) return false;
      out.clear();
    }
    return true;
  };
  for (const auto& held : held_relations_) {
    if (!feed(std::string_view(held.data(), held.size()))) return false;
  }
  if (relation_scratch_ != nullptr) {
    std::rewind(relation_scratch_);
    std::string block(std::size_t{1} << 20, '\0');
    std::size_t got = 0;
    while ((got = std::fread(block.data(), 1, block.size(), relation_scratch_)) > 0) {
      if (!feed(std::string_view(block.data(), got))) return false;
    }
  }
  if (out_.has_tail()) {
    // Read back while the entities' side grows (the tail moves on if it has to).
    std::string block(std::size_t{1} << 20, '\0');
    std::size_t got = 0;
    for (std::uint64_t at = 0;; at += got) {
      if (!out_.read_tail(at, block.data(), block.size(), got, error)) return false;
      if (got == 0) break;
      if (!feed(std::string_view(block.data(), got))) return false;
    }
    if (!out_.drop_tail(error)) return false;
  }
  if (!feed(relation_buffer_)) return false;
  if (!line.empty() || relations_ > 0) take_line(line);  // the last relation has no line end
  out += kept == 0 ? "]}\n" : "\n ]}\n";
  relations_ = kept;
  return out_.write(out, error);
}

void DocumentWriter::drop_record() {
  entity_buffer_.resize(entity_mark_);
  relation_buffer_.resize(relation_mark_);
  entities_ = entities_mark_;
  relations_ = relations_mark_;
}

void DocumentWriter::commit_record() {
  if (failure_.empty()) {
    if (entity_buffer_.size() >= kEntityFlush) {
      if (write_entities(entity_buffer_, failure_)) entity_buffer_.clear();
    }
    if (relation_buffer_.size() >= limits_.relation_block) set_relations_aside(failure_);
  }
  entity_mark_ = entity_buffer_.size();
  relation_mark_ = relation_buffer_.size();
  entities_mark_ = entities_;
  relations_mark_ = relations_;
}

bool DocumentWriter::commit(std::string& error) {
  if (!failure_.empty()) {
    error = failure_;
    return false;
  }
  drop_record();  // anything not committed
  entity_buffer_ += entities_ == 0 ? "],\n \"relations\": [" : "\n ],\n \"relations\": [";
  if (!write_entities(entity_buffer_, error)) return false;
  entity_buffer_.clear();
  // The scratch files are appended by the kernel; the relations held in memory come
  // before those of the scratch file.
  const auto copy = [&](std::FILE* scratch) {
    if (scratch == nullptr) return true;
    const long size = std::ftell(scratch);
    if (std::fflush(scratch) != 0 || size < 0) {
      error = std::string("cannot read a scratch file: ") + std::strerror(errno);
      return false;
    }
    return out_.append_file(::fileno(scratch), static_cast<std::uint64_t>(size), error);
  };
  if (!copy(entity_scratch_)) return false;
  if (!left_out_.empty()) {
    if (!write_relations_leaving_out(error)) return false;
    return out_.commit(error);
  }
  for (auto& held : held_relations_) {
    if (!out_.write(std::string_view(held.data(), held.size()), error)) return false;
    decltype(held_relations_)::value_type().swap(held);
  }
  if (!copy(relation_scratch_)) return false;
  if (out_.has_tail()) {
    // The relations' last block joins the others at the tail, which then follows the
    // entities (JSON ignores the spaces that may pad the entities' last block).
    if (!out_.write_tail(relation_buffer_, error) || !out_.join_tail(' ', error)) return false;
    relation_buffer_.clear();
  }
  relation_buffer_ += relations_ == 0 ? "]}\n" : "\n ]}\n";
  if (!out_.write(relation_buffer_, error)) return false;
  return out_.commit(error);
}

}  // namespace twinscan::imports
