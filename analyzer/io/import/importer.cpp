#include "analyzer/io/import/importer.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iostream>

#include "analyzer/diag/source_text.h"
#include "analyzer/io/import/document_sink.h"
#include "analyzer/io/import/id_hash_set.h"
#include "analyzer/model/date.h"
#include "analyzer/util/english.h"
#include "analyzer/util/hash.h"
#include "analyzer/util/nearest_name.h"

namespace twinscan::imports {

// ---- Fields ----------------------------------------------------------------------------

Fields::Item& Fields::slot(std::string_view key) {
  for (std::size_t i = 0; i < size_; ++i) {
    if (items_[i].key == key) return items_[i];
  }
  if (size_ == items_.size()) {
    if (items_.capacity() == 0) items_.reserve(8);
    items_.emplace_back();
  }
  Item& item = items_[size_++];
  if (item.key != key || item.key_json.empty()) {
    // A spare item of the same key (the next row's) keeps its key's JSON text.
    item.key.assign(key);
    item.key_json.clear();
    item.key_utf8 = append_json_string(item.key_json, key);
  }
  item.json.clear();
  item.plain.clear();
  item.list.clear();
  item.type = Item::Type::kOther;
  return item;
}

const Fields::Item* Fields::find(std::string_view key) const {
  for (std::size_t i = 0; i < size_; ++i) {
    if (items_[i].key == key) return &items_[i];
  }
  return nullptr;
}

void Fields::text(std::string_view key, std::string_view value) {
  Item& item = slot(key);
  item.type = Item::Type::kText;
  item.plain.assign(value);
  item.list.clear();
}

void Fields::number(std::string_view key, double value) {
  if (!std::isfinite(value)) return;
  Item& item = slot(key);
  item.type = Item::Type::kOther;
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  item.json.assign(buffer, result.ptr);
  item.list.clear();
}

void Fields::boolean(std::string_view key, bool value) {
  raw(key, value ? "true" : "false");
}

void Fields::add(std::string_view key, std::string_view value) {
  Item& item = slot(key);
  if (item.type != Item::Type::kList) {
    item.type = Item::Type::kList;
    item.list.clear();
  }
  for (const auto& v : item.list) {
    if (v == value) return;
  }
  item.list.emplace_back(value);
}

void Fields::location(double lat, double lon) {
  if (!std::isfinite(lat) || !std::isfinite(lon)) return;
  char a[32];
  char b[32];
  const auto ra = std::to_chars(a, a + sizeof a, lat);
  const auto rb = std::to_chars(b, b + sizeof b, lon);
  std::string json = "{\"lat\": ";
  json.append(a, ra.ptr);
  json += ", \"lon\": ";
  json.append(b, rb.ptr);
  json += '}';
  raw("location", json);
}

void Fields::raw(std::string_view key, std::string_view json) {
  Item& item = slot(key);
  item.type = Item::Type::kOther;
  item.json.assign(json);
  item.list.clear();
}

bool Fields::has(std::string_view key) const {
  return find(key) != nullptr;
}

const std::string* Fields::text_of(std::string_view key) const {
  const Item* item = find(key);
  return item && item->type == Item::Type::kText ? &item->plain : nullptr;
}

const std::vector<std::string>& Fields::list_of(std::string_view key) const {
  static const std::vector<std::string> kNone;
  const Item* item = find(key);
  return item && item->type == Item::Type::kList ? item->list : kNone;
}

void Fields::erase(std::string_view key) {
  for (std::size_t i = 0; i < size_; ++i) {
    if (items_[i].key == key) {
      // Keep the order of the others; the erased item's memory goes to the spare ones.
      std::rotate(items_.begin() + static_cast<std::ptrdiff_t>(i),
                  items_.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                  items_.begin() + static_cast<std::ptrdiff_t>(size_));
      --size_;
      return;
    }
  }
}

bool Fields::append_json(std::string& out) const {
  bool ok = true;
  const std::string* name = text_of("name");
  for (std::size_t i = 0; i < size_; ++i) {
    const Item& item = items_[i];
    if (item.type == Item::Type::kList) {
      bool any = false;
      for (const auto& v : item.list) {
        if (item.key == "aliases" && name && v == *name) continue;
        if (!any) {
          out += ", ";
          out += item.key_json;
          ok &= item.key_utf8;
          out += ": [";
          any = true;
        } else {
          out += ", ";
        }
        ok &= append_json_string(out, v);
      }
      if (any) out += ']';
      continue;
    }
    out += ", ";
    out += item.key_json;
    ok &= item.key_utf8;
    out += ": ";
    if (item.type == Item::Type::kText) {
      ok &= append_json_string(out, item.plain);
    } else {
      out += item.json;
    }
  }
  return ok;
}

// ---- ImportContext -----------------------------------------------------------------------

void ImportContext::begin_record(const diag::SourceLocation& where) {
  begin_record(where.file, where.line, where.column);
}

void ImportContext::begin_record(const std::string& file, std::uint32_t line,
                                 std::uint32_t column) {
  in_record_ = true;
  record_bad_ = false;
  record_ids_.clear();
  if (record_where_.file != file) record_where_.file = file;
  record_where_.line = line;
  record_where_.column = column;
}

void ImportContext::end_record() {
  if (!in_record_) return;
  in_record_ = false;
  if (record_bad_) {
    sink_.drop_record();
    ++dropped_;
    for (const std::uint64_t key : record_ids_) ids_.leave_out(key);
    record_ahead_.clear();
  } else {
    sink_.commit_record();
    relations_ahead_.insert(relations_ahead_.end(), record_ahead_.begin(), record_ahead_.end());
    record_ahead_.clear();
  }
}

void ImportContext::record_would_give(std::string_view id) {
  if (options_.keep_going) dropped_ids_.push_back(IdTable::key_of(id));
}

void ImportContext::finish_records() {
  leave_out_relations_of_dropped_records();
  warn_of_ends_not_described();
}

void ImportContext::warn_of_ends_not_described() {
  std::uint64_t count = 0;
  for (const RelationAhead& r : relations_ahead_) {
    if (ids_.find_key(r.from) == nullptr || ids_.find_key(r.to) == nullptr) ++count;
  }
  if (count == 0) return;
  const EndAhead* named = nullptr;
  for (const EndAhead& e : ends_ahead_) {
    if (ids_.find_key(e.key) == nullptr) {
      named = &e;
      break;
    }
  }
  std::string message = util::count_of(count, "relation names", "relations name") +
                        " an entity that the input does not describe";
  if (named != nullptr) message += ", such as '" + named->id + "'";
  message +=
      "; the document validates only together with documents that describe them (load them "
      "beside it, or add the entities to the input)";
  diagnostics_.warning(named != nullptr ? named->where : diag::SourceLocation{}, message);
}

void ImportContext::leave_out_relations_of_dropped_records() {
  if (dropped_ == 0) return;
  std::sort(dropped_ids_.begin(), dropped_ids_.end());
  // An end is missing when its entity was left out, or was never given and a dropped
  // record would have given it.
  const auto missing = [this](std::uint64_t key) {
    const IdTable::Slot* slot = ids_.find_key(key);
    if (slot != nullptr) return slot->kind == IdTable::kLeftOut;
    return std::binary_search(dropped_ids_.begin(), dropped_ids_.end(), key);
  };
  std::vector<std::uint64_t> left_out;
  for (const RelationAhead& r : relations_ahead_) {
    if (missing(r.from) || missing(r.to)) left_out.push_back(r.ordinal);
  }
  if (left_out.empty()) return;
  // Those left out are not in the document, and name nothing there.
  std::erase_if(relations_ahead_,
                [&](const RelationAhead& r) { return missing(r.from) || missing(r.to); });
  skip("relation naming a record left out", left_out.size());
  sink_.leave_out_relations(std::move(left_out));
}

template <typename Emit>
void ImportContext::emit_entity(std::string_view id, std::string_view kind_name, const Emit& emit) {
  if (in_record_ && record_bad_) return;
  static const diag::SourceLocation kNowhere{};
  const diag::SourceLocation& where = in_record_ ? record_where_ : kNowhere;
  std::uint16_t kind = 0;
  while (kind < kinds_.size() && kinds_[kind] != kind_name) ++kind;
  if (kind == kinds_.size()) kinds_.emplace_back(kind_name);
  const auto [slot, fresh] = ids_.insert(id, {0, where.line, kind, input_});
  if (!fresh && slot->kind != IdTable::kLeftOut) {
    std::string message = "the id '" + std::string(id) + "' is given twice";
    if (slot->line > 0 && slot->input < options_.inputs.size()) {
      message +=
          " (first at " + options_.inputs[slot->input] + ":" + std::to_string(slot->line) + ")";
    }
    error(where, message +
                     "; a document describes each entity once (import overlapping inputs as "
                     "documents of their own: the registry merges them)");
    return;
  }
  slot->kind = kind;
  if (in_record_) record_ids_.push_back(slot->key);
  if (!emit()) {
    error(where, "the record of '" + std::string(id) +
                     "' holds text that is not UTF-8; convert the input "
                     "to UTF-8");
  }
  if (!in_record_) sink_.commit_record();
}

void ImportContext::entity(const Entity& entity) {
  emit_entity(entity.id, entity.kind, [&] { return sink_.entity(entity); });
}

void ImportContext::entity_text(std::string_view id, std::string_view kind, std::string_view json,
                                bool utf8) {
  emit_entity(id, kind, [&] {
    sink_.entity_text(json);
    return utf8;
  });
}

const std::string* ImportContext::emitted_kind(std::string_view id) const {
  const IdTable::Slot* slot = ids_.find(id);
  return slot && slot->kind != IdTable::kLeftOut ? &kinds_[slot->kind] : nullptr;
}

void ImportContext::leave_out(std::string_view id) {
  ids_.insert(id, {0, 0, IdTable::kLeftOut, input_});
}

bool ImportContext::was_left_out(std::string_view id) const {
  const IdTable::Slot* slot = ids_.find(id);
  return slot && slot->kind == IdTable::kLeftOut;
}

std::uint64_t ImportContext::IdTable::key_of(std::string_view id) {
  return key_of_hash(id_hash(id));
}

std::pair<ImportContext::IdTable::Slot*, bool> ImportContext::IdTable::insert(std::string_view id,
                                                                              const Slot& value) {
  if ((used_ + 1) * 2 > slots_.size()) reserve(std::max<std::size_t>(1024, used_ * 2 + 2));
  const std::uint64_t key = key_of(id);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(key) & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.key == key) return {&slot, false};
    if (slot.key == 0) {
      slot = value;
      slot.key = key;
      ++used_;
      return {&slot, true};
    }
  }
}

const ImportContext::IdTable::Slot* ImportContext::IdTable::find(std::string_view id) const {
  return find_key(key_of(id));
}

const ImportContext::IdTable::Slot* ImportContext::IdTable::find_key(std::uint64_t key) const {
  if (slots_.empty()) return nullptr;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(key) & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.key == key) return &slot;
    if (slot.key == 0) return nullptr;
  }
}

void ImportContext::IdTable::leave_out(std::uint64_t key) {
  if (slots_.empty()) return;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(key) & mask; slots_[i].key != 0;
       i = (i + 1) & mask) {
    if (slots_[i].key == key) {
      slots_[i].kind = kLeftOut;
      return;
    }
  }
}

void ImportContext::IdTable::reserve(std::size_t count) {
  std::size_t size = 1024;
  while (size < count * 2) size *= 2;
  if (size <= slots_.size()) return;
  util::ZeroedArray<Slot> old(size);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.key == 0) continue;
    std::size_t i = static_cast<std::size_t>(slot.key) & mask;
    while (slots_[i].key != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

template <typename Emit>
void ImportContext::emit_relation(std::string_view from, std::string_view to, EndHashes hashes,
                                  const Emit& emit) {
  if (in_record_ && record_bad_) return;
  // A relation naming an entity whose record was dropped (--keep-going) would leave the
  // document naming an entity it does not hold.
  if (dropped_ > 0 && (was_left_out(from) || was_left_out(to))) {
    skip("relation naming a record left out");
    return;
  }
  if (!emit()) {
    error(in_record_ ? record_where_ : diag::SourceLocation{},
          "a relation holds text that is not UTF-8; convert the input to UTF-8");
  }
  // A relation to an entity not given yet: its record may still be dropped, or never come.
  const std::uint64_t from_key = IdTable::key_of_hash(hashes.from);
  const std::uint64_t to_key = IdTable::key_of_hash(hashes.to);
  const bool from_ahead = ids_.find_key(from_key) == nullptr;
  if (from_ahead || ids_.find_key(to_key) == nullptr) {
    (in_record_ ? record_ahead_ : relations_ahead_)
        .push_back({sink_.relations_written() - 1, from_key, to_key});
    constexpr std::size_t kNamedEnds = 16;
    if (ends_ahead_.size() < kNamedEnds) {
      ends_ahead_.push_back({from_ahead ? from_key : to_key, std::string(from_ahead ? from : to),
                             in_record_ ? record_where_ : diag::SourceLocation{}});
    }
  }
  if (!in_record_) sink_.commit_record();
}

void ImportContext::relation(const Relation& relation) {
  emit_relation(relation.from, relation.to, {id_hash(relation.from), id_hash(relation.to)},
                [&] { return sink_.relation(relation); });
}

void ImportContext::relation_text(std::string_view from, std::string_view to, std::string_view json,
                                  bool utf8) {
  relation_text(from, to, {id_hash(from), id_hash(to)}, json, utf8);
}

void ImportContext::relation_text(std::string_view from, std::string_view to, EndHashes hashes,
                                  std::string_view json, bool utf8) {
  emit_relation(from, to, hashes, [&] {
    sink_.relation_text(json);
    return utf8;
  });
}

void ImportContext::error(diag::SourceLocation where, std::string message) {
  ++errors_;
  if (in_record_) record_bad_ = true;
  if (options_.keep_going) {
    diagnostics_.warning(std::move(where), std::move(message) + " (record skipped: --keep-going)");
  } else {
    diagnostics_.error(std::move(where), std::move(message));
  }
}

void ImportContext::warning(diag::SourceLocation where, std::string message) {
  diagnostics_.warning(std::move(where), std::move(message));
}

void ImportContext::usage_error(const std::string& message) {
  usage_failed_ = true;
  std::cerr << "twinscan: error: " << message << '\n';
}

void ImportContext::input_error(const std::string& path, const std::string& message, bool missing) {
  ++errors_;
  input_failed_ = true;
  if (missing) missing_ = true;
  diagnostics_.error(diag::SourceLocation{path, 0, 0}, message);
}

void ImportContext::input_error_at(diag::SourceLocation where, const std::string& message) {
  ++errors_;
  input_failed_ = true;
  diagnostics_.error(std::move(where), message);
}

void ImportContext::skip(std::string_view reason, std::uint64_t count) {
  for (auto& [r, n] : skipped_) {
    if (r == reason) {
      n += count;
      return;
    }
  }
  skipped_.emplace_back(std::string(reason), count);
}

void ImportContext::set_progress(Progress report, std::uint64_t total_bytes) {
  report_ = std::move(report);
  total_ = total_bytes;
  ids_.reserve(static_cast<std::size_t>(total_bytes / 1024));
}

void ImportContext::start_input(std::size_t index, std::uint64_t bytes_before) {
  input_ = static_cast<std::uint16_t>(std::min<std::size_t>(index, 0xFFFF));
  before_ = bytes_before;
}

void ImportContext::progress(std::uint64_t offset_in_input) {
  if (!report_) return;
  const std::uint64_t done = before_ + offset_in_input;
  if (done < next_report_ && done < total_) return;
  next_report_ = done + (std::uint64_t{4} << 20);
  report_(done, total_);
}

// ---- LineReader --------------------------------------------------------------------------

namespace {
constexpr std::size_t kBlock = std::size_t{1} << 20;
}

LineReader::~LineReader() {
  if (file_) std::fclose(file_);
}

bool LineReader::open(const std::string& path, ImportContext& ctx) {
  path_ = path;
  ctx_ = &ctx;
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) {
    const int e = errno;
    ctx.input_error(path, std::string("cannot read the input: ") + std::strerror(e), e == ENOENT);
    return false;
  }
  buffer_.resize(kBlock);
  return true;
}

bool LineReader::next(std::string_view& line) {
  if (!file_) return false;
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const void* nl = std::memchr(start, '\n', end_ - begin_);
    if (nl || (eof_ && begin_ < end_)) {
      const char* stop = nl ? static_cast<const char*>(nl) : buffer_.data() + end_;
      std::size_t length = static_cast<std::size_t>(stop - start);
      const std::size_t consumed = length + (nl ? 1 : 0);
      if (length > 0 && start[length - 1] == '\r') --length;
      current_ = std::string_view(start, length);
      if (line_ == 0 && current_.substr(0, 3) == "\xEF\xBB\xBF") current_.remove_prefix(3);
      begin_ += consumed;
      offset_ += consumed;
      ++line_;
      line = current_;
      return true;
    }
    if (eof_) return false;
    // Keep the partial line, grow when one line fills the buffer, read more.
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ >= kMaxLineBytes) {
      // Reported as a record of its own (--keep-going counts it among those left out),
      // then passed over up to its line break without keeping it.
      ctx_->begin_record(path_, line_ + 1, 1);
      ctx_->error({path_, line_ + 1, 1},
                  "line " + std::to_string(line_ + 1) + " is longer than " +
                      std::to_string(kMaxLineBytes >> 20U) +
                      " MB: the input is not JSON lines of one record each (one JSON array? "
                      "jq -c '.[]' converts it)");
      ctx_->end_record();
      // A line of 64 MB holding a NUL byte is no text (a device of zeros, a binary file):
      // nothing after it would be read as lines either.
      if (std::memchr(buffer_.data(), '\0', end_) != nullptr) {
        ctx_->input_error_at({path_, line_ + 1, 1},
                             "the input holds NUL bytes: it is not text; is it the right file?");
        return false;
      }
      if (!skip_line()) return false;
      continue;
    }
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    if (!read_more() && file_ == nullptr) return false;
  }
}

bool LineReader::read_more() {
  const std::size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
  end_ += got;
  if (got > 0) return true;
  if (std::ferror(file_)) {
    ctx_->input_error(path_, std::string("cannot read the input: ") + std::strerror(errno), false);
    std::fclose(file_);
    file_ = nullptr;
    return false;
  }
  eof_ = true;
  return false;
}

bool LineReader::skip_line() {
  for (;;) {
    const void* nl = std::memchr(buffer_.data() + begin_, '\n', end_ - begin_);
    if (nl != nullptr) {
      const auto consumed =
          static_cast<std::size_t>(static_cast<const char*>(nl) - (buffer_.data() + begin_)) + 1;
      begin_ += consumed;
      offset_ += consumed;
      ++line_;
      return true;
    }
    offset_ += end_ - begin_;
    begin_ = end_ = 0;
    if (!read_more()) {
      if (file_ != nullptr) ++line_;  // the input ended inside the line
      return false;
    }
  }
}

diag::SourceLocation LineReader::location() const {
  return {path_, line_, 1};
}

diag::SourceLocation LineReader::location_at(std::size_t byte_in_line) const {
  return {path_, line_, column_of(current_, byte_in_line)};
}

// ---- OffsetLocator -----------------------------------------------------------------------

diag::SourceLocation OffsetLocator::locate(std::uint64_t offset) {
  offset = std::min<std::uint64_t>(offset, text_.size());
  if (offset < offset_) {
    offset_ = 0;
    line_ = 1;
    column_ = 1;
  }
  diag::advance_position(std::string_view(text_).substr(offset_, offset - offset_), line_, column_);
  offset_ = offset;
  return {path_, line_, column_};
}

namespace {

/// Where the text of `head` starts: past a UTF-8 byte-order mark and blanks (its size
/// when there is none yet).
std::size_t first_text_byte(std::string_view head) {
  std::size_t i = head.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (i < head.size() &&
         (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r'))
    ++i;
  return i;
}

}  // namespace

std::string sniff_input(std::string_view head, bool whole, bool json) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  if (head.size() >= 2 && byte(0) == 0x1F && byte(1) == 0x8B)
    return "the input is gzip-compressed; decompress it first (gunzip, or zcat FILE > OUT)";
  if (head.size() >= 4 && head.substr(0, 4) == std::string_view("PK\x03\x04", 4))
    return "the input is a zip archive; extract the file from it first (unzip)";
  if (head.size() >= 3 && head.substr(0, 3) == "BZh")
    return "the input is bzip2-compressed; decompress it first (bunzip2)";
  if (head.size() >= 6 && head.substr(0, 6) == std::string_view("\xFD"
                                                                "7zXZ\0",
                                                                6))
    return "the input is xz-compressed; decompress it first (unxz)";
  const bool bom16 = head.size() >= 2 &&
                     ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF));
  // UTF-16 without a byte-order mark: every other byte of Latin text is zero.
  std::size_t zero_even = 0, zero_odd = 0;
  for (std::size_t i = 0; i < head.size(); ++i) (i % 2 ? zero_odd : zero_even) += byte(i) == 0;
  const std::size_t half = head.size() / 2;
  if (bom16 || (head.size() >= 8 && (zero_even * 10 >= half * 9) != (zero_odd * 10 >= half * 9))) {
    return "the input is UTF-16; convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8 "
           "FILE > OUT";
  }
  // Binary: it starts with a NUL, or one byte in eight is one. A stray NUL in text is
  // left to the reader, which places it (and --keep-going passes over its record).
  std::size_t zeros = 0;
  for (const char c : head) zeros += c == '\0';
  if ((!head.empty() && head.front() == '\0') || zeros * 8 > head.size())
    return "the input holds NUL bytes: it is not text; is it the right file?";
  const std::size_t i = first_text_byte(head);
  if (i == head.size()) {
    if (whole) return "the input is empty; is it the right file?";
    return {};  // only blanks so far: the reader says what follows
  }
  if (json && head[i] != '{' && head[i] != '[') {
    return "the input does not start as JSON ('{' or '['); is it the right file and format?";
  }
  return {};
}

bool read_whole_input(const std::string& path, std::string& text, std::string& error) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    error = std::strerror(errno);
    return false;
  }
  text.clear();
  std::size_t end = 0;
  bool looked = false;
  bool got_enough = false;
  for (;;) {
    if (end == text.size()) text.resize(std::max<std::size_t>(text.size() * 2, 1U << 16));
    const std::size_t got = std::fread(text.data() + end, 1, text.size() - end, file);
    end += got;
    // Text that does not start as JSON is read no further: the parser places the error
    // at its start, and a device of zeros or a binary file is not held whole.
    if (!looked && end > 0) {
      const std::size_t i = first_text_byte(std::string_view(text.data(), end));
      if (i < end) {
        looked = true;
        if (text[i] != '{' && text[i] != '[') got_enough = true;
      }
    }
    if (got > 0 && !got_enough) continue;
    const bool failed = std::ferror(file) != 0;
    const int cause = errno;
    std::fclose(file);
    text.resize(end);
    if (failed) error = cause == EISDIR ? "is a folder" : std::strerror(cause);
    return !failed;
  }
}

// ---- helpers -----------------------------------------------------------------------------

std::uint32_t column_of(std::string_view line, std::size_t byte) {
  std::uint32_t column = 1;
  const std::size_t stop = std::min(byte, line.size());
  for (std::size_t i = 0; i < stop; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

bool parse_plain_decimal(std::string_view text, double& value) {
  std::size_t i = 0;
  const bool plus = !text.empty() && text[0] == '+';
  if (plus || (!text.empty() && text[0] == '-')) ++i;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - from;
  };
  std::size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  if (i != text.size()) return false;
  const std::string_view number = plus ? text.substr(1) : text;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  return ec == std::errc() && end == number.data() + number.size() && std::isfinite(value);
}

std::string iso_date_prefix(std::string_view text) {
  // YYYY, YYYY-MM, YYYY-MM-DD, optionally followed by T…
  std::size_t n = 0;
  while (n < text.size() && text[n] >= '0' && text[n] <= '9') ++n;
  if (n != 4) return {};
  std::size_t end = 4;
  auto two = [&](std::size_t at) {
    return at + 2 < text.size() + 1 && at + 1 < text.size() && text[at] >= '0' && text[at] <= '9' &&
           text[at + 1] >= '0' && text[at + 1] <= '9';
  };
  if (end < text.size() && text[end] == '-' && two(end + 1)) {
    end += 3;
    if (end < text.size() && text[end] == '-' && two(end + 1)) end += 3;
  }
  if (end < text.size() && text[end] != 'T') return {};
  // A day the calendar does not have (2019-02-30, 2019-13) is no date.
  if (!model::parse_date(text.substr(0, end))) return {};
  return std::string(text.substr(0, end));
}

const ImporterSpec* find_importer(std::string_view name) {
  for (const auto& spec : importer_table()) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

}  // namespace twinscan::imports
