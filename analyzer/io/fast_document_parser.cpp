#include "analyzer/io/fast_document_parser.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include <rapidjson/reader.h>
#include <simdjson.h>

#include "analyzer/util/hash.h"
#include "analyzer/util/prefetch.h"
#include "analyzer/util/string_pool.h"
#include "analyzer/util/utf8.h"

namespace twinscan::io::fast {

namespace od = simdjson::ondemand;
using Kind = JsonNode::Kind;

namespace {

constexpr std::string_view kFormat = "twinscan/1";
// Property values nest at most three levels below an entity or relation (a list of
// locations and their coordinates); anything deeper is an error the full reader reports.
constexpr int kMaxDepth = 3;
// The fewest bytes a relation statement takes: {"kind":"X","from":"a","to":"b"} and a
// comma.
constexpr std::size_t kLeastRelationBytes = 36;

// Room for `bytes` and a quarter more. The documents of a folder are often of about one
// size, each a little larger than the one before: sized exactly, the parser's buffers
// would be given back and faulted in afresh at every document (memory first touched costs
// far more than memory reused, most of all on a virtual machine).
constexpr std::size_t with_headroom(std::size_t bytes) {
  return bytes + bytes / 4;
}

// The double RapidJSON makes of the number at `text` (without kParseFullPrecisionFlag,
// as the full reader parses), so that both paths store the same bits.
struct DoubleHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DoubleHandler> {
  double value = 0;
  bool Double(double d) {
    value = d;
    return true;
  }
  static bool Default() { return false; }
};

bool rapidjson_double(const char* text, double& out) {
  rapidjson::Reader reader;
  rapidjson::StringStream stream(text);
  DoubleHandler handler;
  if (!reader.Parse<rapidjson::kParseStopWhenDoneFlag>(stream, handler)) return false;
  out = handler.value;
  return true;
}

}  // namespace

// The value a result without error holds, where it is. Taken out with get(), it would be
// copied, and the copy read back with wide loads from the narrow stores that just made it,
// which stalls the processor (a large share of the parse).
template <typename T>
T& in_place(simdjson::simdjson_result<T>& result) {
  return const_cast<T&>(std::as_const(result).value_unsafe());
}

class DocumentParser::Impl {
 public:
  explicit Impl(const model::Schema& schema) : schema_(schema) {}

  bool parse(const diag::SourceText& source, std::uint32_t document, std::size_t batch_size,
             const Deliver& deliver) {
    source_ = &source;
    document_ = document;
    batch_size_ = batch_size == 0 ? 1 : batch_size;
    deliver_ = &deliver;
    pos_ = 0;
    line_ = 1;
    column_ = 1;
    seen_.clear();
    repeats_.clear();
    // Sized from the document's bytes, so that a large document's relations are not
    // copied, nor their memory faulted in again, at each doubling. The list has room for
    // as many relations as could fit (room is address space until written); the table,
    // filled afresh for each document, starts at a fifth of a byte per byte (a slot per
    // 80 bytes, half full at a relation per 40) and doubles past that.
    const std::size_t bytes = source.text().size();
    if (seen_.capacity() < bytes / kLeastRelationBytes) {
      seen_.reserve(with_headroom(bytes / kLeastRelationBytes));
    }
    ends_table_.assign(std::bit_ceil(std::max<std::size_t>(1024, bytes / 80)), EndsSlot{});
    ends_used_ = 0;
    if (!batch_) batch_ = std::make_unique<StatementBatch>();
    batch_->clear();
    const std::string& text = source.text();
    delta_ = 0;
    windowed_ = false;
    kept_.clear();
    stopped_ = false;
    // Offsets are 32-bit: a larger text is refused by the whole parse, as by the loader.
    if (windows_from_ > 0 && text.size() >= windows_from_ &&
        text.size() < std::numeric_limits<std::uint32_t>::max()) {
      if (const std::optional<Layout> layout = layout_of(text)) {
        base_ = text.data();
        return read_in_windows(text, *layout) && (*deliver_)(batch_);
      }
    }
    // A text without room for simdjson past its end is copied. The copy is kept until the
    // next parse: the texts handed over point into the document read when they hold no
    // escapes (string_of).
    simdjson::padded_string_view view;
    if (text.capacity() - text.size() >= simdjson::SIMDJSON_PADDING) {
      padded_ = simdjson::padded_string();
      view = simdjson::padded_string_view(text.data(), text.size(), text.capacity());
    } else {
      padded_ = simdjson::padded_string(text);
      view = padded_;
    }
    base_ = view.data();
    // The last batch goes to the consumer even when empty: it says the document ended.
    return read_document(view) && (*deliver_)(batch_);
  }

  [[nodiscard]] const std::vector<RepeatedRelation>& repeats() const { return repeats_; }

  void set_windows(std::size_t from_bytes, std::size_t window_bytes) {
    windows_from_ = from_bytes;
    window_bytes_ = window_bytes == 0 ? 1 : window_bytes;
  }

 private:
  // ------------------------------------------------------------------ windows
  //
  // A large document is read in windows of whole statements: each window is copied
  // between brackets into a buffer of its own and indexed by simdjson alone, so that the
  // index never spans the whole document (4 bytes a structural character: a document of
  // 256 MB made one of 330 MB, faulted in before its first statement could be read). The
  // texts taken from a window are moved back into the document (`delta_`), and the
  // unescaped ones kept apart (`kept_`), so that they outlive the window as the document's
  // own do. A window is cut at a comma between a `}` and a `{` (spaces aside), which is
  // checked by the window's own parse rather than by a scan of every byte before it: a cut
  // inside a string leaves a window simdjson refuses to index (an unclosed string), and
  // nothing of it is read; a cut inside a statement (a list of objects) leaves that
  // statement unfinished at the window's end, where it fails. Either way the window is
  // taken again from the statement where it failed, to the next cut past the last. A
  // statement read whole that fails a check (or one that fails when first in a window
  // that reaches the end of its list) gives the document to the full reader, as in a
  // whole parse.

  // Where the parts of `{ ..., "entities": [ ... ], "relations": [ ... ] }` lie, found by
  // their brackets and keys only; the head (up to the entities' bracket) is checked by a
  // parse of its own.
  struct Layout {
    std::size_t entities_open = 0;   // the entities' `[`
    std::size_t entities_close = 0;  // their `]`
    std::size_t relations_open = 0;  // the relations' `[`, or 0: none
    std::size_t relations_close = 0;
  };

  static std::size_t skip_space(std::string_view text, std::size_t at) {
    while (at < text.size() && is_json_space(text[at])) ++at;
    return at;
  }
  static std::size_t skip_space_back(std::string_view text, std::size_t end) {
    while (end > 0 && is_json_space(text[end - 1])) --end;
    return end;
  }
  // The `[` after `"key"`, spaces, a colon and spaces at `at` (the key's opening quote),
  // or npos.
  static std::size_t array_after_key(std::string_view text, std::size_t at, std::string_view key) {
    if (text.compare(at, key.size(), key) != 0) return std::string_view::npos;
    std::size_t i = skip_space(text, at + key.size());
    if (i >= text.size() || text[i] != ':') return std::string_view::npos;
    i = skip_space(text, i + 1);
    return i < text.size() && text[i] == '[' ? i : std::string_view::npos;
  }

  // Where `needle` first is in `text` from `from` on (memmem: a library search, many times
  // quicker over hundreds of megabytes than a search for its first character).
  static std::size_t find(std::string_view text, std::string_view needle, std::size_t from) {
    if (from >= text.size()) return std::string_view::npos;
    const void* at = ::memmem(text.data() + from, text.size() - from, needle.data(), needle.size());
    return at == nullptr ? std::string_view::npos
                         : static_cast<std::size_t>(static_cast<const char*>(at) - text.data());
  }

  // How the document is laid out, or nothing for a layout windows do not read (it is
  // parsed whole).
  static std::optional<Layout> layout_of(std::string_view text) {
    // "format" and "source" come first and are short: the entities' key is looked for in
    // the first bytes only.
    constexpr std::size_t kHeadBytes = std::size_t{1} << 16;
    constexpr std::string_view kEntities = "\"entities\"";
    constexpr std::string_view kRelations = "\"relations\"";
    Layout l;
    const std::size_t head = std::min(text.size(), kHeadBytes);
    const std::size_t key = text.substr(0, head).find(kEntities);
    if (key == std::string_view::npos) return std::nullopt;
    l.entities_open = array_after_key(text, key, kEntities);
    if (l.entities_open == std::string_view::npos) return std::nullopt;
    // The document ends with the last list's `]` and the object's `}`.
    std::size_t end = skip_space_back(text, text.size());
    if (end == 0 || text[end - 1] != '}') return std::nullopt;
    end = skip_space_back(text, end - 1);
    if (end == 0 || text[end - 1] != ']') return std::nullopt;
    const std::size_t last_close = end - 1;
    // The relations' key after the entities' `]` and a comma; a key of that name within
    // an entity only makes a window that fails, and the document goes to the full reader.
    for (std::size_t at = find(text, kRelations, l.entities_open); at != std::string_view::npos;
         at = find(text, kRelations, at + 1)) {
      const std::size_t open = array_after_key(text, at, kRelations);
      if (open == std::string_view::npos || open >= last_close) continue;
      std::size_t before = skip_space_back(text, at);
      if (before == 0 || text[before - 1] != ',') continue;
      before = skip_space_back(text, before - 1);
      if (before == 0 || text[before - 1] != ']' || before - 1 <= l.entities_open) continue;
      l.entities_close = before - 1;
      l.relations_open = open;
      l.relations_close = last_close;
      return l;
    }
    if (last_close <= l.entities_open) return std::nullopt;
    l.entities_close = last_close;
    return l;
  }

  // The first cut at or after `from` and before `close`: a comma with a `}` before it and
  // a `{` after it (spaces aside); `close` when there is none.
  static std::size_t next_cut(std::string_view text, std::size_t from, std::size_t close) {
    for (std::size_t at = from; at < close;) {
      const void* brace = std::memchr(text.data() + at, '}', close - at);
      if (brace == nullptr) return close;
      const auto b = static_cast<std::size_t>(static_cast<const char*>(brace) - text.data());
      const std::size_t comma = skip_space(text, b + 1);
      if (comma < close && text[comma] == ',') {
        const std::size_t next = skip_space(text, comma + 1);
        if (next < close && text[next] == '{') return comma;
      }
      at = b + 1;
    }
    return close;
  }

  // Copies text[begin, end) into the window's buffer as `prefix` + text + `suffix`, with
  // room for simdjson past its end, and sets delta_ so that a pointer into the copy of
  // text[begin, end) moves back to the document.
  simdjson::padded_string_view fill_window(std::string_view text, std::size_t begin,
                                           std::size_t end, std::string_view prefix,
                                           std::string_view suffix) {
    const std::size_t size = prefix.size() + (end - begin) + suffix.size();
    if (window_.capacity() < size + simdjson::SIMDJSON_PADDING)
      window_.reserve(with_headroom(size) + simdjson::SIMDJSON_PADDING);
    window_.assign(prefix);
    window_.append(text.data() + begin, end - begin);
    window_.append(suffix);
    delta_ = static_cast<std::ptrdiff_t>(
        reinterpret_cast<std::uintptr_t>(text.data() + begin) -
        reinterpret_cast<std::uintptr_t>(window_.data() + prefix.size()));
    windowed_ = true;
    return simdjson::padded_string_view(window_.data(), window_.size(), window_.capacity());
  }

  // Reads the document window by window; false when the full reader must read it.
  bool read_in_windows(std::string_view text, const Layout& l) {
    // The head, up to and with the entities' `[`, closed as an empty list: "format" and
    // "source" are read as in a whole parse, and the key found is the top level's.
    if (!read_document(fill_window(text, 0, l.entities_open + 1, {}, "]}"))) return false;
    if (!read_list(text, l.entities_open, l.entities_close, false)) return false;
    if (l.relations_open != 0) {
      if (!read_list(text, l.relations_open, l.relations_close, true)) return false;
      look_up_ends_waiting();
    }
    return true;
  }

  // Reads the statements of the list between its brackets at `open` and `close`.
  bool read_list(std::string_view text, std::size_t open, std::size_t close, bool relations) {
    std::size_t start = open;  // the `[`, or the comma before the window's first statement
    std::size_t reach = window_bytes_;
    while (start < close) {
      std::size_t cut = next_cut(text, std::min(close, start + 1 + reach), close);
      for (;;) {
        std::size_t failed_at = 0;  // the comma before the statement that failed, or 0
        bool first_failed = false;
        const Window w = read_window(text, start, cut, relations, failed_at, first_failed);
        if (w == Window::kRead) break;
        if (w == Window::kStopped || w == Window::kBroken) return false;
        if (w == Window::kFailed && !first_failed) {
          // Statements before it were read: the window is taken again from it.
          start = failed_at;
          cut = next_cut(text, std::min(close, start + 1 + reach), close);
          continue;
        }
        // Unindexable, or its first statement failed: a longer window, up to the list's end.
        if (cut >= close) return false;
        reach *= 2;
        cut = next_cut(text, std::max(cut + 1, std::min(close, start + 1 + reach)), close);
      }
      start = cut;
      reach = window_bytes_;
    }
    return true;
  }

  enum class Window {
    kRead,       // every statement read
    kUnindexed,  // simdjson refused the window (a cut inside a string): nothing read
    kFailed,     // a statement failed; those before it were read
    kBroken,     // the list itself is malformed: the full reader reads the document
    kStopped,    // the consumer said stop
  };

  // Reads the statements of text(start, cut) (a `[` or comma at `start`, a comma or the
  // list's `]` at `cut`). On kFailed, `failed_at` is the comma (or `[`) before the
  // statement that failed and `first_failed` whether it was the window's first; what it
  // had added to the batch is taken away.
  Window read_window(std::string_view text, std::size_t start, std::size_t cut, bool relations,
                     std::size_t& failed_at, bool& first_failed) {
    // A comma before the list's `]`: a whole parse gives the document to the full reader
    // (which takes it), and so does a window.
    const std::size_t last = skip_space_back(text, cut);
    if (last > start && text[last - 1] == ',') return Window::kBroken;
    const simdjson::padded_string_view view = fill_window(text, start + 1, cut, "[", "]");
    if (!ensure_capacity(view.length())) return Window::kBroken;
    od::document doc;
    od::array array;
    if (parser_.iterate(view).get(doc) || doc.get_array().get(array)) return Window::kUnindexed;
    bool first = true;
    for (auto element : array) {
      if (element.error()) return Window::kBroken;
      od::value& value = in_place(element);
      // Where the statement begins, and the comma (or `[`) before it.
      const std::string_view token = value.raw_json_token();
      const auto begins = static_cast<std::size_t>(in_document(token.data()) - text.data());
      const std::size_t separator = skip_space_back(text, begins);
      if (separator <= start || (text[separator - 1] != ',' && text[separator - 1] != '['))
        return Window::kBroken;
      const std::size_t statements = batch_->statements.size();
      const std::size_t node_count = node_list().size();
      const std::size_t pos = pos_;
      const std::uint32_t line = line_, column = column_;
      const bool ok = relations ? read_relation(value) : read_entity(value);
      if (stopped_) return Window::kStopped;
      // A statement read whole that fails a check fails wherever the window is cut.
      if (!ok && parsed_whole_) return Window::kBroken;
      if (!ok) {
        // end_statement() delivered nothing (it failed before it): the batch still holds
        // what the statement added.
        batch_->statements.resize(statements);
        node_list().resize(node_count);
        pos_ = pos;
        line_ = line;
        column_ = column;
        failed_at = separator - 1;
        first_failed = first;
        return Window::kFailed;
      }
      first = false;
    }
    // Nothing may follow the list.
    const char* rest = nullptr;
    if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) return Window::kBroken;
    return Window::kRead;
  }

  bool ensure_capacity(std::size_t length) {
    if (parser_.capacity() >= length) return true;
    const std::size_t room = std::min(with_headroom(length), parser_.max_capacity());
    return room >= length && parser_.allocate(room, parser_.max_depth()) == simdjson::SUCCESS;
  }

  // A pointer into the window, moved back to the document (itself outside windows).
  [[nodiscard]] const char* in_document(const char* p) const {
    return reinterpret_cast<const char*>(reinterpret_cast<std::uintptr_t>(p) +
                                         static_cast<std::uintptr_t>(delta_));
  }

  // An unescaped text, which lives in simdjson's buffer until the next window: copied
  // where it lives until the next parse.
  std::string_view keep(std::string_view text) {
    if (!windowed_ || text.empty()) return text;
    kept_.emplace_back(text);
    return kept_.back();
  }

  JsonNodes& nodes() { return batch_->nodes; }
  std::vector<JsonNode>& node_list() { return batch_->nodes.nodes; }

  // A statement added to the current batch, to be written in place (see in_place()).
  ParsedStatement& begin_statement(ParsedStatement::Type type) {
    ParsedStatement& statement = batch_->statements.emplace_back();
    statement.type = type;
    return statement;
  }

  // Ends the current batch when it is full; false when the consumer says stop.
  bool end_statement() {
    if (batch_->statements.size() < batch_size_) return true;
    if (!(*deliver_)(batch_)) {
      stopped_ = true;
      return false;
    }
    batch_->clear();
    return true;
  }

  bool read_document(simdjson::padded_string_view view) {
    if (!ensure_capacity(view.length())) return false;
    od::document doc;
    if (parser_.iterate(view).get(doc)) return false;
    od::object root;
    if (doc.get_object().get(root)) return false;
    bool has_format = false, seen_source = false, seen_entities = false, seen_relations = false;
    for (auto member : root) {
      od::field field;
      std::string_view key;
      if (std::move(member).get(field) || field.unescaped_key().get(key)) return false;
      od::value value = field.value();
      if (key == "format") {
        std::string_view format;
        if (has_format || value.get_string().get(format) || format != kFormat) return false;
        has_format = true;
      } else if (key == "source") {
        if (seen_source || seen_entities || seen_relations) return false;
        seen_source = true;
        if (!read_source(value)) return false;
      } else if (key == "entities") {
        if (seen_entities || seen_relations) return false;
        seen_entities = true;
        od::array array;
        if (value.get_array().get(array)) return false;
        for (auto element : array) {
          if (element.error()) return false;
          if (!read_entity(in_place(element))) return false;
        }
      } else if (key == "relations") {
        if (seen_relations) return false;
        seen_relations = true;
        od::array array;
        if (value.get_array().get(array)) return false;
        for (auto element : array) {
          if (element.error()) return false;
          if (!read_relation(in_place(element))) return false;
        }
        look_up_ends_waiting();
      } else {
        return false;  // an unknown key is warned about
      }
    }
    // Nothing may follow the top-level object.
    const char* rest = nullptr;
    if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) return false;
    return has_format;
  }

  // Parses `value` (and what it holds) onto the batch's nodes; false on malformed JSON or
  // nesting deeper than any valid property.
  bool parse_value(od::value& value, int depth, std::string_view key, bool want_offset) {
    od::json_type type;
    if (value.type().get(type)) return false;
    // The node is written where it is kept, field by field: a node built apart and then
    // copied is read back with wide loads from narrow stores just made, which stalls.
    std::vector<JsonNode>& list = node_list();
    const auto index = static_cast<std::uint32_t>(list.size());
    JsonNode& node = list.emplace_back();
    node.key = key;
    if (want_offset) {
      node.offset = static_cast<std::uint32_t>(in_document(value.raw_json_token().data()) - base_);
    }
    switch (type) {
      case od::json_type::object: {
        if (depth >= kMaxDepth) return false;
        node.kind = Kind::kObject;
        od::object object;
        if (value.get_object().get(object)) return false;
        for (auto member : object) {
          if (member.error()) return false;
          od::field& field = in_place(member);
          std::string_view k;
          if (!key_of(field, k)) return false;
          const bool end = depth == 0 && (k == "from" || k == "to");
          if (!parse_value(field.value(), depth + 1, k, end)) return false;
        }
        list[index].end = static_cast<std::uint32_t>(list.size());  // `node` may have moved
        return true;
      }
      case od::json_type::array: {
        if (depth >= kMaxDepth) return false;
        node.kind = Kind::kArray;
        od::array array;
        if (value.get_array().get(array)) return false;
        for (auto element : array) {
          if (element.error()) return false;
          if (!parse_value(in_place(element), depth + 1, {}, false)) return false;
        }
        list[index].end = static_cast<std::uint32_t>(list.size());  // `node` may have moved
        return true;
      }
      case od::json_type::number: {
        od::number_type number_type;
        if (value.get_number_type().get(number_type)) return false;
        if (number_type == od::number_type::signed_integer) {
          node.kind = Kind::kInt;
          if (value.get_int64().get(node.integer)) return false;
        } else if (number_type == od::number_type::floating_point_number) {
          node.kind = Kind::kDouble;
          if (value.get_double().get(node.number) ||
              !rapidjson_double(value.raw_json_token().data(), node.number)) {
            return false;
          }
        } else {
          return false;  // past int64: RapidJSON holds it otherwise
        }
        break;
      }
      case od::json_type::string:
        node.kind = Kind::kString;
        if (!string_of(value, node.text)) return false;
        node.text_hash = util::StringPool::hash(node.text);  // here, off the adding thread
        break;
      case od::json_type::boolean:
        node.kind = Kind::kBool;
        if (value.get_bool().get(node.boolean)) return false;
        break;
      case od::json_type::null: {
        bool is_null = false;
        if (value.is_null().get(is_null) || !is_null) return false;
        node.kind = Kind::kNull;
        break;
      }
      default:
        return false;
    }
    node.end = index + 1;
    return true;
  }

  // A string without escapes is its text in the document: it is taken there, without
  // copying it into the parser's buffer of unescaped strings (the document outlives the
  // statements read from it). It holds no surrogate: the document is valid UTF-8. The
  // value is consumed all the same: one left unread is skipped by simdjson as if it
  // were a member's name when a colon follows it, and what comes after is not checked
  // ({"sector": "street": "Main"} would pass for valid).
  bool string_of(od::value& value, std::string_view& text) {
    std::string_view token = value.raw_json_token();
    while (!token.empty() && is_json_space(token.back())) token.remove_suffix(1);
    if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
      const std::string_view inner = token.substr(1, token.size() - 2);
      if (!has_backslash(inner)) {
        od::raw_json_string consumed;
        if (value.get_raw_json_string().get(consumed)) return false;
        text = std::string_view(in_document(inner.data()), inner.size());
        return true;
      }
    }
    if (value.get_string().get(text)) return false;
    if (util::holds_surrogate(text)) return false;  // the full reader says where
    text = keep(text);
    return true;
  }

  // A member's name, taken in the document when it has no escapes (see string_of).
  bool key_of(od::field& field, std::string_view& key) {
    const char* start = field.key().raw();
    for (const char* p = start;; ++p) {
      if (*p == '"') {
        key = std::string_view(in_document(start), static_cast<std::size_t>(p - start));
        return true;
      }
      if (*p == '\\') break;
    }
    if (field.unescaped_key().get(key)) return false;
    key = keep(key);
    return true;
  }

  static bool is_json_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

  static bool has_backslash(std::string_view text) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      const std::uint64_t x = word ^ (kOnes * '\\');
      if (((x - kOnes) & ~x & kHighs) != 0) return true;
    }
    for (; i < text.size(); ++i) {
      if (text[i] == '\\') return true;
    }
    return false;
  }

  [[nodiscard]] bool has_duplicate_keys(std::uint32_t object) const {
    const std::vector<JsonNode>& n = batch_->nodes.nodes;
    // Pair by pair for the few members of most statements; sorted for an object of many
    // (an entity with hundreds of properties), where pairs would cost their square.
    constexpr std::size_t kPairwise = 16;
    keys_seen_.clear();
    for (std::uint32_t i = object + 1; i < n[object].end; i = n[i].end) {
      keys_seen_.push_back(n[i].key);
    }
    if (keys_seen_.size() <= kPairwise) {
      for (std::size_t i = 1; i < keys_seen_.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (keys_seen_[j] == keys_seen_[i]) return true;
        }
      }
      return false;
    }
    std::sort(keys_seen_.begin(), keys_seen_.end());
    return std::adjacent_find(keys_seen_.begin(), keys_seen_.end()) != keys_seen_.end();
  }

  // Parses one statement's object; its root node index, or false. Its members' names are
  // not yet checked for one given twice (the caller does, with a MemberNamesSeen).
  bool parse_object(od::value& element, bool want_offset, std::uint32_t& root) {
    root = static_cast<std::uint32_t>(node_list().size());
    if (!parse_value(element, 0, {}, want_offset)) return false;
    return node_list()[root].kind == Kind::kObject;
  }

  // "source": {"id", "name", "role"}, each a non-empty string when given. A key given
  // twice is an error the full reader reports, where it is.
  bool read_source(od::value& value) {
    ParsedStatement& s = begin_statement(ParsedStatement::Type::kSource);
    s.root = static_cast<std::uint32_t>(node_list().size());
    if (!parse_value(value, 0, {}, false) || node_list()[s.root].kind != Kind::kObject ||
        has_duplicate_keys(s.root)) {
      return false;
    }
    for (const char* key : {"id", "name", "role"}) {
      const std::uint32_t field = nodes().find(s.root, key);
      if (field != 0 && !nodes().non_empty_string(field)) return false;
    }
    return end_statement();
  }

  std::optional<model::KindId> find_kind(std::string_view name) {
    return kinds_of_entities_.find(name,
                                   [this](std::string_view n) { return schema_.find_kind(n); });
  }

  // Line and column of `offset`, as SourceText::Cursor gives them; offsets mostly grow.
  model::SourceRef ref(std::uint32_t offset) {
    if (offset < pos_) {
      const diag::SourceLocation at = source_->location(offset);
      line_ = at.line;
      column_ = at.column;
    } else {
      diag::advance_position(std::string_view(base_ + pos_, offset - pos_), line_, column_);
    }
    pos_ = offset;
    return {document_, line_, column_};
  }

  bool read_entity(od::value& element) {
    ParsedStatement& s = begin_statement(ParsedStatement::Type::kEntity);
    parsed_whole_ = false;
    if (!parse_object(element, true, s.root)) return false;
    parsed_whole_ = true;
    const JsonNodes& n = nodes();
    std::vector<JsonNode>& members = node_list();
    std::uint32_t kind_node = 0;
    MemberNamesSeen names;
    for (std::uint32_t i = s.root + 1; i < n[s.root].end; i = n[i].end) {
      const std::string_view key = n[i].key;
      const Member member = member_of(key);
      const std::uint32_t number = key_numbers_.of(key).number;
      members[i].key_number = number;
      if (!names.add(member, number, key)) return false;
      switch (member) {
        case Member::kId:
          s.id_node = i;
          break;
        case Member::kKind:
          kind_node = i;
          break;
        case Member::kFrom:
        case Member::kTo:
          return false;
        case Member::kName:
          if (n[i].kind != Kind::kString) return false;
          s.name_hash = n[i].text_hash;
          break;
        default:
          break;
      }
    }
    if (names.too_many() && has_duplicate_keys(s.root)) return false;
    if (!n.non_empty_string(s.id_node) || !n.non_empty_string(kind_node)) return false;
    const auto kind = find_kind(n[kind_node].text);
    if (!kind) return false;
    s.kind = *kind;
    s.id_hash = n[s.id_node].text_hash;
    s.where = ref(n[s.root].offset);
    return end_statement();
  }

  // Checks end `node` of a relation: an id, or {"name": ..., "kind": ...}.
  bool endpoint(std::uint32_t node, std::string_view& name, model::KindMask& kinds,
                std::uint64_t& hash) {
    const JsonNodes& n = batch_->nodes;
    if (node == 0) return false;
    if (n.non_empty_string(node)) {
      hash = n[node].text_hash;
      return true;
    }
    if (n[node].kind != Kind::kObject) return false;
    const std::uint32_t name_node = n.find(node, "name");
    if (!n.non_empty_string(name_node)) return false;
    name = n[name_node].text;
    if (const std::uint32_t kind = n.find(node, "kind"); kind != 0) {
      if (n[kind].kind != Kind::kString) return false;
      const auto k = find_kind(n[kind].text);
      if (!k) return false;
      kinds = model::KindMask{1} << *k;
    }
    return true;
  }

  bool read_relation(od::value& element) {
    ParsedStatement& s = begin_statement(ParsedStatement::Type::kRelation);
    parsed_whole_ = false;
    if (!parse_object(element, true, s.root)) return false;
    parsed_whole_ = true;
    const JsonNodes& n = nodes();
    std::vector<JsonNode>& members = node_list();
    // The members other than id, kind and ends as a multiset: the same in any order.
    // The period (since, until) apart too: two spells of one relation are not a restatement.
    std::uint32_t kind_node = 0;
    std::uint64_t properties_hash = 0;
    std::uint64_t period_hash = 0;
    std::string_view since, until;
    MemberNamesSeen names;
    for (std::uint32_t i = s.root + 1; i < n[s.root].end; i = n[i].end) {
      const std::string_view key = n[i].key;
      const Member member = member_of(key);
      if (member != Member::kOther && !names.add_read(member)) return false;
      switch (member) {
        case Member::kId:
          s.id_node = i;
          continue;
        case Member::kKind:
          kind_node = i;
          continue;
        case Member::kFrom:
          s.from_node = i;
          continue;
        case Member::kTo:
          s.to_node = i;
          continue;
        default:
          break;
      }
      const KeyNumbers::Numbered numbered = key_numbers_.of(key);
      members[i].key_number = numbered.number;
      if (member == Member::kOther && !names.add_property(numbered.number, key)) return false;
      const std::uint64_t hashed = util::hash_mix(numbered.text_hash, value_hash(i));
      properties_hash += hashed;
      if (member == Member::kSince || member == Member::kUntil) {
        period_hash += hashed;
        if (n[i].kind == Kind::kString) (member == Member::kSince ? since : until) = n[i].text;
      }
    }
    if (names.too_many() && has_duplicate_keys(s.root)) return false;
    if (!n.non_empty_string(kind_node)) return false;
    if (!endpoint(s.from_node, s.from_name, s.from_kinds, s.from_hash) ||
        !endpoint(s.to_node, s.to_name, s.to_kinds, s.to_hash)) {
      return false;
    }
    const auto kind = kinds_of_relations_.find(
        n[kind_node].text, [this](std::string_view name) { return schema_.find_relation(name); });
    if (!kind) return false;
    s.kind = *kind;
    if (s.id_node != 0 && !n.non_empty_string(s.id_node)) return false;
    const std::string_view from = end_text(s.from_node, s.from_name);
    const std::string_view to = end_text(s.to_node, s.to_name);
    s.where = ref(n[s.root].offset);
    s.from_where = ref(n[s.from_node].offset);
    s.to_where = ref(n[s.to_node].offset);
    // An end that may come before the start is warned about by the full reader. ISO dates
    // compare as text over the digits both give.
    if (!since.empty() && !until.empty()) {
      const std::size_t common = std::min(since.size(), until.size());
      if (until.substr(0, common) < since.substr(0, common)) return false;
    }
    if (from == to && s.from_name.empty() == s.to_name.empty() && s.from_kinds == s.to_kinds) {
      return false;  // a relation to itself is warned about
    }
    remember_relation(s, from, to, ends_hash(s, from, to), properties_hash, period_hash);
    return end_statement();
  }

  // An end's text: its id, or the name it is given by.
  [[nodiscard]] std::string_view end_text(std::uint32_t node, std::string_view name) const {
    return name.empty() ? batch_->nodes[node].text : name;
  }

  // A hash of a value that two values share exactly when RapidJSON writes them alike.
  [[nodiscard]] std::uint64_t value_hash(std::uint32_t node) const {
    const std::vector<JsonNode>& n = batch_->nodes.nodes;
    const JsonNode& j = n[node];
    std::uint64_t h = static_cast<std::uint64_t>(j.kind) + 1;
    switch (j.kind) {
      case Kind::kNull:
        return h;
      case Kind::kBool:
        return util::hash_mix(h, j.boolean ? 1 : 0);
      case Kind::kInt:
        return util::hash_mix(h, static_cast<std::uint64_t>(j.integer));
      case Kind::kDouble: {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &j.number, sizeof bits);
        return util::hash_mix(h, bits);
      }
      case Kind::kString:
        return util::hash_mix(h, j.text_hash);
      case Kind::kArray:
      case Kind::kObject:
        for (std::uint32_t i = node + 1; i < j.end; i = n[i].end) {
          if (j.kind == Kind::kObject) h = util::hash_mix(h, util::hash_bytes(n[i].key));
          h = util::hash_mix(h, value_hash(i));
        }
        return h;
    }
    return h;
  }

  /// A relation read, to find those repeated within the document (as the full reader's
  /// warn_repeated_relations does).
  struct Seen {
    std::uint64_t properties_hash;
    std::uint64_t period_hash;
    model::SourceRef where;
    std::string_view from, to;  // the ends' texts, ids or names
    std::uint32_t next;         // the next relation with the same ends, or UINT32_MAX
    model::RelKindId kind;
    bool has_id;
  };
  struct EndsSlot {
    std::uint64_t hash = 0;
    std::uint32_t head = UINT32_MAX;  // UINT32_MAX: empty
    std::uint32_t tail = UINT32_MAX;
  };

  // The key of a relation in the table of ends: its kind and its ends' texts.
  [[nodiscard]] static std::uint64_t ends_hash(const ParsedStatement& s, std::string_view from,
                                               std::string_view to) {
    const std::uint64_t from_hash =
        s.from_name.empty() ? s.from_hash : util::StringPool::hash(from);
    const std::uint64_t to_hash = s.to_name.empty() ? s.to_hash : util::StringPool::hash(to);
    return util::hash_mix(util::hash_mix(s.kind, from_hash), to_hash);
  }

  // Notes a relation, and whether it repeats an earlier one: the same kind and ends'
  // texts (an end given by name is its name), as the full reader keys them. `ends`:
  // ends_hash() of the relation. Each relation is looked up in the table of ends
  // kEndsAhead relations later, in document order, so that the table's slot, asked for
  // now, has arrived by then (the table is far larger than the processor's caches).
  void remember_relation(const ParsedStatement& s, std::string_view from, std::string_view to,
                         std::uint64_t ends, std::uint64_t properties_hash,
                         std::uint64_t period_hash) {
    const auto order = static_cast<std::uint32_t>(seen_.size());
    const bool has_id = s.id_node != 0;
    Seen& seen = seen_.emplace_back();  // written in place (see in_place())
    seen.properties_hash = properties_hash;
    seen.period_hash = period_hash;
    seen.where = s.where;
    seen.from = from;
    seen.to = to;
    seen.next = UINT32_MAX;
    seen.kind = s.kind;
    seen.has_id = has_id;
    util::prefetch(&ends_table_[ends & (ends_table_.size() - 1)]);
    if (order >= kEndsAhead) look_up_ends(order - kEndsAhead);
    ends_waiting_[order % kEndsAhead] = ends;
  }

  // Looks up the relations still waiting (the document's last kEndsAhead).
  void look_up_ends_waiting() {
    const auto count = static_cast<std::uint32_t>(seen_.size());
    for (std::uint32_t order = count > kEndsAhead ? count - kEndsAhead : 0; order < count; ++order)
      look_up_ends(order);
  }

  // Adds relation `order` to the table of ends, and notes the earlier relation it repeats.
  void look_up_ends(std::uint32_t order) {
    const std::uint64_t ends = ends_waiting_[order % kEndsAhead];
    if ((ends_used_ + 1) * 2 > ends_table_.size()) grow_ends();
    const std::size_t mask = ends_table_.size() - 1;
    std::size_t slot = ends & mask;
    while (ends_table_[slot].head != UINT32_MAX && ends_table_[slot].hash != ends)
      slot = (slot + 1) & mask;
    EndsSlot& e = ends_table_[slot];
    if (e.head == UINT32_MAX) {
      e = {ends, order, order};
      ++ends_used_;
      return;
    }
    // The first earlier relation it repeats, in document order; else the first one it
    // restates with other properties for the same period, when neither has an id to tell
    // them apart.
    const Seen& s = seen_[order];
    const Seen* restated = nullptr;
    bool repeated = false;
    for (std::uint32_t i = e.head; i != UINT32_MAX; i = seen_[i].next) {
      const Seen& a = seen_[i];
      if (a.kind != s.kind || a.from != s.from || a.to != s.to) continue;
      if (!(a.has_id && s.has_id) && a.properties_hash == s.properties_hash) {
        repeats_.push_back({s.where, a.where, s.kind, s.from, s.to});
        repeated = true;
        break;
      }
      if (restated == nullptr && !a.has_id && !s.has_id && a.period_hash == s.period_hash)
        restated = &a;
    }
    if (!repeated && restated != nullptr)
      repeats_.push_back({s.where, restated->where, s.kind, s.from, s.to, false});
    seen_[e.tail].next = order;
    e.tail = order;
  }

  void grow_ends() {
    std::vector<EndsSlot> bigger(ends_table_.size() * 2);
    const std::size_t mask = bigger.size() - 1;
    for (const EndsSlot& e : ends_table_) {
      if (e.head == UINT32_MAX) continue;
      std::size_t slot = e.hash & mask;
      while (bigger[slot].head != UINT32_MAX) slot = (slot + 1) & mask;
      bigger[slot] = e;
    }
    ends_table_ = std::move(bigger);
  }

  const model::Schema& schema_;
  KindsByName<model::KindId> kinds_of_entities_;
  KindsByName<model::RelKindId> kinds_of_relations_;
  KeyNumbers key_numbers_;
  od::parser parser_;
  simdjson::padded_string padded_;
  const diag::SourceText* source_ = nullptr;
  const char* base_ = nullptr;
  std::uint32_t document_ = 0;
  std::size_t batch_size_ = 1;
  const Deliver* deliver_ = nullptr;
  std::unique_ptr<StatementBatch> batch_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t column_ = 1;
  std::vector<Seen> seen_;
  std::vector<RepeatedRelation> repeats_;
  std::vector<EndsSlot> ends_table_;
  std::size_t ends_used_ = 0;
  mutable std::vector<std::string_view> keys_seen_;  // has_duplicate_keys' room, kept
  // Windows (see read_in_windows).
  std::size_t windows_from_ = DocumentParser::kWindowsFrom;
  std::size_t window_bytes_ = DocumentParser::kWindowBytes;
  std::string window_;            // the window being read, between its brackets
  std::ptrdiff_t delta_ = 0;      // from the window's copy back to the document
  bool windowed_ = false;         // the document is read in windows
  std::deque<std::string> kept_;  // unescaped texts of windows read
  bool stopped_ = false;          // the consumer said stop
  bool parsed_whole_ = false;     // the statement read last was whole JSON (checks aside)
  static constexpr std::uint32_t kEndsAhead = 16;
  std::array<std::uint64_t, kEndsAhead> ends_waiting_{};  // by relation order % kEndsAhead
};

DocumentParser::DocumentParser(const model::Schema& schema)
    : impl_(std::make_unique<Impl>(schema)) {}

DocumentParser::~DocumentParser() = default;

bool DocumentParser::parse(const diag::SourceText& source, std::uint32_t document,
                           std::size_t batch_size, const Deliver& deliver) {
  return impl_->parse(source, document, batch_size, deliver);
}

void DocumentParser::set_windows(std::size_t from_bytes, std::size_t window_bytes) {
  impl_->set_windows(from_bytes, window_bytes);
}

const std::vector<RepeatedRelation>& DocumentParser::repeats() const {
  return impl_->repeats();
}

}  // namespace twinscan::io::fast
