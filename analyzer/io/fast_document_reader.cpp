#include "analyzer/io/fast_document_reader.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_set>
#include <vector>

#include "analyzer/diag/source_text.h"
#include "analyzer/io/fast_document_parser.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/stored_text.h"
#include "analyzer/model/date.h"
#include "analyzer/util/hand_off.h"
#include "analyzer/util/hash.h"
#include "analyzer/util/spare_pool.h"

namespace twinscan::io {

using fast::JsonNode;
using fast::JsonNodes;
using fast::ParsedStatement;
using fast::StatementBatch;
using model::PropertySpec;
using model::PropertyType;
using model::Value;
using model::ValueType;
using util::Sym;
using Kind = JsonNode::Kind;

namespace {

// Batches of statements waiting between the parsing thread and the one adding them to the
// graph (besides the one each is working on): enough for either to run ahead a little,
// little enough to stay in cache.
constexpr std::size_t kBatchesInFlight = 4;
// Batches a parse begun ahead may fill while the document before it is still being added
// (a batch holds about ten times the bytes of its text). Past that it waits, and leaves
// its core to the parse before it. With the default batch size, 32 batches are an eighth
// of a 25 MB document; a tenth of a million entities a document, they made loading a
// registry of ten such documents 12-23% faster, for 70-120 MB more at the peak.
constexpr std::size_t kBatchesAhead = 32;

// Parsers not in use. The thread that begins a parse ahead takes one while the adding
// thread may be giving one back. Each keeps its buffers from one document to the next.
class ParserPool {
 public:
  using Lease = util::SparePool<fast::DocumentParser>::Lease;

  explicit ParserPool(const model::Schema& schema) : schema_(schema) {}

  Lease lease() {
    return parsers_.lease([this] { return std::make_unique<fast::DocumentParser>(schema_); });
  }
  // Sets a leased parser to read in the pool's windows: on each lease, since the parsers
  // are kept and the setting may change between loads.
  void set_windows_of(fast::DocumentParser& parser) const {
    parser.set_windows(windows_from_, window_bytes_);
  }

  void set_windows(std::size_t from_bytes, std::size_t window_bytes) {
    windows_from_ = from_bytes;
    window_bytes_ = window_bytes;
  }

 private:
  const model::Schema& schema_;
  std::size_t windows_from_ = fast::DocumentParser::kWindowsFrom;
  std::size_t window_bytes_ = fast::DocumentParser::kWindowBytes;
  util::SparePool<fast::DocumentParser> parsers_;
};

// Batches not in use, kept from one document to the next for the same reason.
class BatchPool {
 public:
  // Gives `count` batches to `batches`, to be filled.
  void lend(util::HandOff<StatementBatch>& batches, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i)
      batches.give_back(batches_.take([] { return std::make_unique<StatementBatch>(); }));
  }
  void take_back(std::vector<std::unique_ptr<StatementBatch>> batches) {
    for (std::unique_ptr<StatementBatch>& batch : batches) {
      batch->clear();
      batches_.give_back(std::move(batch));
    }
  }

 private:
  util::SparePool<StatementBatch> batches_;
};

}  // namespace

struct FastDocumentReader::Parse::State {
  State(ParserPool& parsers, BatchPool& batch_pool, const diag::SourceText& text,
        std::uint32_t number, std::size_t in_flight)
      : source(text),
        document(number),
        parser(parsers.lease()),
        pool(batch_pool),
        batches(in_flight) {
    parsers.set_windows_of(*parser);
    pool.lend(batches, in_flight + 1);
  }
  // However the reading ends (a failure, an exception), the parse is stopped first.
  ~State() {
    batches.stop();
    if (thread.joinable()) thread.join();
    pool.take_back(batches.drain());
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  const diag::SourceText& source;
  const std::uint32_t document;
  ParserPool::Lease parser;
  BatchPool& pool;
  util::HandOff<StatementBatch> batches;
  std::thread thread;
};

FastDocumentReader::Parse::Parse(std::unique_ptr<State> state) : state_(std::move(state)) {}

FastDocumentReader::Parse::~Parse() = default;

/// Adds what the parser (fast::DocumentParser) checked to the graph builder: interns ids,
/// names and values, converts properties to their schema types, and reports repeated
/// relations as the full reader does. A large document is parsed on another thread while
/// this one adds the batch before.
class FastDocumentReader::Impl {
 public:
  explicit Impl(RegistryLoader& loader)
      : loader_(loader),
        builder_(loader.builder_),
        schema_(*loader.schema_),
        strings_(loader.builder_.strings()),
        parsers_(*loader.schema_) {
    warned_entity_keys_.resize(schema_.kinds().size());
    warned_relation_keys_.resize(schema_.relations().size());
    entity_keys_.resize(schema_.kinds().size());
    relation_keys_.resize(schema_.relations().size());
  }

  void set_windows(std::size_t from_bytes, std::size_t window_bytes) {
    parsers_.set_windows(from_bytes, window_bytes);
  }

  void set_parse_ahead(std::size_t min_bytes, std::size_t batch_size) {
    parse_ahead_bytes_ = min_bytes;
    batch_size_ = batch_size;
  }

  bool read(const diag::SourceText& source, std::uint32_t document, std::unique_ptr<Parse> begun) {
    source_ = &source;
    document_ = document;
    source_set_ = false;
    unchecked_texts_.clear();
    // The loader forgets its keys when it takes a document back: so does this reader, at
    // every document (the parser's numbers for names are its own, too).
    for (auto& by_number : entity_keys_) by_number.clear();
    for (auto& by_number : relation_keys_) by_number.clear();
    if (begun && (&begun->state().source != &source || begun->state().document != document))
      begun.reset();  // its positions would name another document
    if (begun) ++parsed_ahead_;
    if (!begun) begun = start(source, document, kBatchesInFlight);
    if (begun) {
      Parse::State& parse = begun->state();
      return add_batches(parse) && finish(*parse.parser);
    }
    const ParserPool::Lease parser = parsers_.lease();
    parsers_.set_windows_of(*parser);
    return parser->parse(source, document, batch_size_,
                         [this](std::unique_ptr<StatementBatch>& batch) { return add(*batch); }) &&
           finish(*parser);
  }

  [[nodiscard]] std::size_t parsed_ahead() const { return parsed_ahead_; }

  std::unique_ptr<Parse> parse_ahead(const diag::SourceText& source, std::uint32_t document) {
    return start(source, document, kBatchesAhead);
  }

 private:
  // The document's statements are all added: checks what needs all of them.
  bool finish(const fast::DocumentParser& parser) {
    start_statements();
    report_repeats(parser);
    return true;
  }

  // Begins parsing a document of parse_ahead_bytes_ or more on a thread of its own, which
  // fills up to `in_flight` batches ahead of the thread adding them; nullptr for a smaller
  // document (parsed faster where its statements are added, while they are in cache), or
  // when no thread is to be had (a system limit).
  std::unique_ptr<Parse> start(const diag::SourceText& source, std::uint32_t document,
                               std::size_t in_flight) {
    if (source.text().size() < parse_ahead_bytes_) return nullptr;
    auto state = std::make_unique<Parse::State>(parsers_, batches_, source, document, in_flight);
    Parse::State& parse = *state;  // where it is: the thread outlives the move below
    const std::size_t batch_size = batch_size_;
    try {
      parse.thread = std::thread([&parse, batch_size] {
        const fast::DocumentParser::Deliver deliver = [&](std::unique_ptr<StatementBatch>& batch) {
          parse.batches.put(std::move(batch));
          batch = parse.batches.to_fill();
          return batch != nullptr;
        };
        bool ok = false;
        try {
          ok = parse.parser->parse(parse.source, parse.document, batch_size, deliver);
        } catch (...) {
          ok = false;  // the full reader reads the document again, and reports
        }
        parse.batches.finish(ok);
      });
    } catch (const std::system_error&) {
      return nullptr;
    }
    return std::make_unique<Parse>(std::move(state));
  }

  // Adds the batches the parse fills, in order. Whichever fails first stops the other.
  bool add_batches(Parse::State& parse) {
    while (std::unique_ptr<StatementBatch> batch = parse.batches.take()) {
      if (!add(*batch)) return false;
      batch->clear();
      parse.batches.give_back(std::move(batch));
    }
    return parse.batches.succeeded();
  }

  const JsonNodes& n() const { return *nodes_; }

  // Adds a batch's statements in order; false when the full reader must read the document.
  bool add(const StatementBatch& batch) {
    nodes_ = &batch.nodes;
    const std::vector<ParsedStatement>& statements = batch.statements;
    // The string table's slots for the ids and names a few statements ahead are asked for
    // now, so that their cache misses overlap.
    constexpr std::size_t kAhead = 8;
    auto prefetch = [&](const ParsedStatement& s) {
      if (s.type == ParsedStatement::Type::kEntity) {
        strings_.prefetch(s.id_hash);
        if (s.name_hash != 0) strings_.prefetch(s.name_hash);
      } else if (s.type == ParsedStatement::Type::kRelation) {
        if (s.from_name.empty()) strings_.prefetch(s.from_hash);
        if (s.to_name.empty()) strings_.prefetch(s.to_hash);
      }
    };
    for (std::size_t i = 0; i < std::min(kAhead, statements.size()); ++i) prefetch(statements[i]);
    for (std::size_t i = 0; i < statements.size(); ++i) {
      if (i + kAhead < statements.size()) prefetch(statements[i + kAhead]);
      const ParsedStatement& s = statements[i];
      bool ok = false;
      switch (s.type) {
        case ParsedStatement::Type::kSource:
          ok = add_source(s);
          break;
        case ParsedStatement::Type::kEntity:
          ok = add_entity(s);
          break;
        case ParsedStatement::Type::kRelation:
          ok = add_relation(s);
          break;
      }
      if (!ok) return false;
    }
    // The batch's texts taken on their hash are compared now, while the document's text
    // around them is still in cache from the parse.
    const bool texts_ok = check_texts();
    unchecked_texts_.clear();
    return texts_ok;
  }

  void start_statements() {
    if (source_set_) return;
    builder_.set_document_source(document_, {}, {}, {});
    source_set_ = true;
  }

  bool add_source(const ParsedStatement& s) {
    std::string fields[3];
    const char* keys[3] = {"id", "name", "role"};
    for (int i = 0; i < 3; ++i) {
      if (const std::uint32_t field = n().find(s.root, keys[i]); field != 0)
        fields[i] = n()[field].text;
    }
    // A "retrieved" that is no date is warned about by the full reader.
    if (const std::uint32_t retrieved = n().find(s.root, "retrieved"); retrieved != 0) {
      const JsonNode& v = n()[retrieved];
      if (v.kind != Kind::kNull && (v.kind != Kind::kString || !model::parse_date(v.text)))
        return false;
    }
    const std::string role = fields[2];
    const model::SourceInfo& source =
        builder_.set_document_source(document_, fields[1], fields[0], fields[2]);
    source_set_ = true;
    return role.empty() || source.role == role;  // else warned about
  }

  // True when the full reader would not warn about undeclared property `key` (it has
  // already warned about it, once for the run).
  bool warned_undeclared(
      std::vector<std::unordered_set<std::string, util::StringHash, std::equal_to<>>>& cache,
      std::size_t kind, const std::string& kind_name, std::string_view key) {
    auto& known = cache[kind];
    if (known.find(key) != known.end()) return true;
    std::string token = kind_name + "." + std::string(key);
    if (loader_.warned_undeclared_.count(token) == 0) return false;
    known.emplace(key);
    return true;
  }

  // What the loader knows of property `member` of an entity or relation of kind `kind`,
  // found by the parser's number for its name.
  const RegistryLoader::KeyInfo& key_info(bool relation, std::uint16_t kind,
                                          const JsonNode& member) {
    auto look_up = [&]() -> const RegistryLoader::KeyInfo& {
      return relation ? loader_.relation_key(kind, member.key)
                      : loader_.entity_key(kind, member.key);
    };
    // Names past the first few thousand have no number (fast::kNumberedKeys).
    if (member.key_number >= fast::kNumberedKeys) return look_up();
    std::vector<const RegistryLoader::KeyInfo*>& by_number =
        (relation ? relation_keys_ : entity_keys_)[kind];
    if (member.key_number < by_number.size()) {
      if (const RegistryLoader::KeyInfo* known = by_number[member.key_number]) return *known;
    } else {
      by_number.resize(member.key_number + 1, nullptr);
    }
    const RegistryLoader::KeyInfo& info = look_up();
    by_number[member.key_number] = &info;
    return info;
  }

  bool add_entity(const ParsedStatement& s) {
    start_statements();
    builder_.begin_entity(symbol_checked_later(n()[s.id_node].text, s.id_hash), s.kind, 0, s.where);
    Sym name = 0;
    bool has_name = false;
    for (std::uint32_t i = s.root + 1; i < n()[s.root].end; i = n()[i].end) {
      const std::string_view key = n()[i].key;
      if (key == "id" || key == "kind") continue;
      const RegistryLoader::KeyInfo& info = key_info(false, s.kind, n()[i]);
      if (key == "name") {
        name = symbol_checked_later(n()[i].text, s.name_hash);
        has_name = true;
        continue;
      }
      if (!info.spec &&
          !warned_undeclared(warned_entity_keys_, s.kind, schema_.kind(s.kind).name, key)) {
        return false;
      }
      Value converted;
      const int result = convert(i, info.spec, key, converted);
      if (result < 0) return false;
      if (result > 0) builder_.add_entity_property(info.sym, converted);
    }
    if (has_name) builder_.set_entity_name(name);
    return true;
  }

  // Texts taken as the symbol whose hash they share, before the texts were compared
  // (each lives while the document is read: in the document, or the parser's buffers).
  struct UncheckedText {
    Sym sym;
    std::string_view text;
  };
  std::vector<UncheckedText> unchecked_texts_;

  // The symbol of `text` (of hash `hash`), its text compared by check_texts(): entity ids
  // and names, relation ends and property values as the document gives them. Where a
  // text is found (a name many people share, an entity another document relates), the
  // comparison costs two cache misses in a row (where the symbol's text lies, then the
  // text); compared later, many at once, the misses overlap.
  Sym symbol_checked_later(std::string_view text, std::uint64_t hash) {
    bool unchecked = false;
    const Sym sym = strings_.intern_unchecked(text, hash, unchecked);
    if (unchecked) unchecked_texts_.push_back({sym, text});
    return sym;
  }

  // Compares the texts taken on their hash, a few symbols' texts asked for ahead so that
  // their cache misses overlap. A mismatch (two texts with one hash) gives the document
  // back to the full reader, as any problem does.
  bool check_texts() const {
    // Where a text lies is asked for 16 texts ahead, the text itself 8 ahead.
    constexpr std::size_t kAhead = 8;
    const std::size_t count = unchecked_texts_.size();
    for (std::size_t i = 0; i < std::min(2 * kAhead, count); ++i)
      strings_.prefetch_entry(unchecked_texts_[i].sym);
    for (std::size_t i = 0; i < std::min(kAhead, count); ++i)
      strings_.prefetch_text(unchecked_texts_[i].sym);
    for (std::size_t i = 0; i < count; ++i) {
      if (i + 2 * kAhead < count) strings_.prefetch_entry(unchecked_texts_[i + 2 * kAhead].sym);
      if (i + kAhead < count) strings_.prefetch_text(unchecked_texts_[i + kAhead].sym);
      if (strings_.str(unchecked_texts_[i].sym) != unchecked_texts_[i].text) return false;
    }
    return true;
  }

  bool add_relation(const ParsedStatement& s) {
    start_statements();
    const Sym from =
        s.from_name.empty() ? symbol_checked_later(n()[s.from_node].text, s.from_hash) : 0;
    const Sym to = s.to_name.empty() ? symbol_checked_later(n()[s.to_node].text, s.to_hash) : 0;
    const Sym id = s.id_node != 0 ? strings_.intern(n()[s.id_node].text) : 0;
    builder_.begin_relation(id, s.kind, from, s.from_where, to, s.to_where, s.where);
    if (!s.from_name.empty()) builder_.refer_by_name(false, std::string(s.from_name), s.from_kinds);
    if (!s.to_name.empty()) builder_.refer_by_name(true, std::string(s.to_name), s.to_kinds);
    for (std::uint32_t i = s.root + 1; i < n()[s.root].end; i = n()[i].end) {
      const std::string_view key = n()[i].key;
      if (key == "id" || key == "kind" || key == "from" || key == "to") continue;
      const RegistryLoader::KeyInfo& info = key_info(true, s.kind, n()[i]);
      if (!info.spec &&
          !warned_undeclared(warned_relation_keys_, s.kind, schema_.relation(s.kind).name, key)) {
        return false;
      }
      Value converted;
      const int result = convert(i, info.spec, key, converted);
      if (result < 0) return false;
      if (result > 0) builder_.add_relation_property(info.sym, converted);
    }
    return true;
  }

  // Converts property value `node` as the full reader does: 1 converted, 0 null (absent),
  // -1 the full reader would report something.
  int convert(std::uint32_t node, const PropertySpec* spec, std::string_view key, Value& out) {
    const JsonNode& v = n()[node];
    if (v.kind == Kind::kNull) return 0;
    PropertyType type;
    if (spec) {
      type = spec->type;
    } else if (!infer_type(node, type)) {
      return -1;
    }
    if (!type.list) return convert_scalar(node, type.scalar, key, spec, out) ? 1 : -1;
    if (v.kind != Kind::kArray) return -1;
    const std::size_t first = elements_.size();
    for (std::uint32_t i = node + 1; i < v.end; i = n()[i].end) {
      if (n()[i].kind == Kind::kNull) continue;
      Value e;
      if (!convert_scalar(i, type.scalar, key, spec, e)) {
        elements_.resize(first);
        return -1;
      }
      elements_.push_back(e);
    }
    out = Value::of_list(builder_.add_list(
        std::span<const Value>(elements_.data() + first, elements_.size() - first)));
    elements_.resize(first);
    return 1;
  }

  bool infer_type(std::uint32_t node, PropertyType& type) const {
    const JsonNode& v = n()[node];
    std::uint32_t sample = node;
    if (v.kind == Kind::kArray) {
      type.list = true;
      if (v.end == node + 1) {
        type.scalar = ValueType::kString;
        return true;
      }
      sample = node + 1;
    }
    const JsonNode& s = n()[sample];
    if (s.kind == Kind::kString) {
      type.scalar = ValueType::kString;
    } else if (s.kind == Kind::kBool) {
      type.scalar = ValueType::kBool;
    } else if (s.kind == Kind::kInt) {
      type.scalar = ValueType::kInt;
    } else if (s.kind == Kind::kDouble) {
      type.scalar = ValueType::kNumber;
    } else if (s.kind == Kind::kObject && n().find(sample, "lat") != 0 &&
               n().find(sample, "lon") != 0) {
      type.scalar = ValueType::kLocation;
    } else {
      return false;
    }
    if (type.list) {
      for (std::uint32_t i = node + 1; i < v.end; i = n()[i].end) {
        if (type.scalar == ValueType::kInt && n()[i].kind == Kind::kDouble) {
          type.scalar = ValueType::kNumber;
        }
      }
    }
    return true;
  }

  bool convert_scalar(std::uint32_t node, ValueType type, std::string_view key,
                      const PropertySpec* spec, Value& out) {
    const JsonNode& v = n()[node];
    switch (type) {
      case ValueType::kString:
        if (v.kind != Kind::kString || !enumeration_ok(spec, key, v.text)) return false;
        {
          const std::string_view stored = stored_text(key, v.text, scratch_);
          // The parser hashed the text as the document gives it.
          const bool as_given = stored.data() == v.text.data() && stored.size() == v.text.size();
          // Only the document's text lives until check_texts(): scratch_ is rewritten.
          out = Value::of_string(as_given ? symbol_checked_later(stored, v.text_hash)
                                          : strings_.intern(stored));
          return true;
        }
      case ValueType::kInt:
        if (v.kind != Kind::kInt) return false;
        out = Value::of_int(v.integer);
        return true;
      case ValueType::kNumber:
        if (!v.is_number()) return false;
        out = Value::of_number(v.as_double());
        return !(key == "share" && (out.number < 0 || out.number > 1));
      case ValueType::kBool:
        if (v.kind != Kind::kBool) return false;
        out = Value::of_bool(v.boolean);
        return true;
      case ValueType::kDate: {
        if (v.kind != Kind::kString) return false;
        const auto date = model::parse_date(v.text);
        if (!date) return false;
        out = Value::of_date(*date);
        return true;
      }
      case ValueType::kLocation:
        return convert_location(node, out);
      case ValueType::kNull:
      case ValueType::kList:
        break;
    }
    return false;
  }

  bool convert_location(std::uint32_t node, Value& out) const {
    const JsonNode& v = n()[node];
    if (v.kind != Kind::kObject) return false;
    double lat = NAN, lon = NAN;
    for (std::uint32_t i = node + 1; i < v.end; i = n()[i].end) {
      const std::string_view k = n()[i].key;
      double* slot = k == "lat" ? &lat : k == "lon" ? &lon : nullptr;
      if (!slot || !n()[i].is_number()) return false;
      *slot = n()[i].as_double();
    }
    if (std::isnan(lat) || std::isnan(lon)) return false;
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return false;
    out = Value::of_location({static_cast<float>(lat), static_cast<float>(lon)});
    return true;
  }

  // False when the full reader would warn about an unusual value.
  bool enumeration_ok(const PropertySpec* spec, std::string_view key, std::string_view text) {
    if (!spec || spec->values.empty()) return true;
    if (std::find(spec->values.begin(), spec->values.end(), text) != spec->values.end())
      return true;
    const std::string token = "value:" + std::string(key) + "=" + std::string(text);
    return loader_.warned_undeclared_.count(token) != 0;
  }

  void report_repeats(const fast::DocumentParser& parser) {
    const std::string& file = source_->name();
    for (const fast::RepeatedRelation& r : parser.repeats()) {
      loader_.diagnostics_.warning(
          {file, r.where.line, r.where.column},
          repeated_relation_message(schema_.relation(r.kind).name, r.from, r.to,
                                    file + ":" + std::to_string(r.first_where.line) + ":" +
                                        std::to_string(r.first_where.column),
                                    r.same_properties));
    }
  }

  RegistryLoader& loader_;
  model::GraphBuilder& builder_;
  const model::Schema& schema_;
  util::StringPool& strings_;
  std::string scratch_;  // a property text rewritten before it is interned
  ParserPool parsers_;
  BatchPool batches_;
  std::size_t parsed_ahead_ = 0;
  std::size_t parse_ahead_bytes_ = 4u << 20;
  std::size_t batch_size_ = 1024;
  const diag::SourceText* source_ = nullptr;
  std::uint32_t document_ = 0;
  bool source_set_ = false;
  const JsonNodes* nodes_ = nullptr;
  std::vector<Value> elements_;
  std::vector<std::unordered_set<std::string, util::StringHash, std::equal_to<>>>
      warned_entity_keys_;
  std::vector<std::unordered_set<std::string, util::StringHash, std::equal_to<>>>
      warned_relation_keys_;
  // The loader's key info by kind and by the parser's number for the key's name.
  std::vector<std::vector<const RegistryLoader::KeyInfo*>> entity_keys_;
  std::vector<std::vector<const RegistryLoader::KeyInfo*>> relation_keys_;
};

FastDocumentReader::FastDocumentReader(RegistryLoader& loader)
    : impl_(std::make_unique<Impl>(loader)) {}

FastDocumentReader::~FastDocumentReader() = default;

bool FastDocumentReader::read(const diag::SourceText& source, std::uint32_t document,
                              std::unique_ptr<Parse> begun) {
  return impl_->read(source, document, std::move(begun));
}

std::unique_ptr<FastDocumentReader::Parse> FastDocumentReader::parse_ahead(
    const diag::SourceText& source, std::uint32_t document) {
  return impl_->parse_ahead(source, document);
}

std::size_t FastDocumentReader::parsed_ahead() const {
  return impl_->parsed_ahead();
}

void FastDocumentReader::set_parse_ahead(std::size_t min_bytes, std::size_t batch_size) {
  impl_->set_parse_ahead(min_bytes, batch_size);
}

void FastDocumentReader::set_windows(std::size_t from_bytes, std::size_t window_bytes) {
  impl_->set_windows(from_bytes, window_bytes);
}

}  // namespace twinscan::io
