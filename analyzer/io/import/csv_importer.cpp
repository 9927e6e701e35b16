// `twinscan import csv INPUT… --mapping MAPPING.json`: delimited text of any dialect,
// mapped to entities and relations by a mapping file (docs/import-csv.md).
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "analyzer/diag/source_text.h"
#include "analyzer/io/import/csv_mapping.h"
#include "analyzer/io/import/csv_reader.h"
#include "analyzer/io/import/importer.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/util/hash.h"

namespace twinscan::imports {
namespace {

// Ids and relation keys are kept as 64-bit hashes (as the context keeps ids), in an
// open-addressing table.
class HashSet {
 public:
  void reserve(std::size_t n) {
    std::size_t cap = 1024;
    while (cap < n * 2) cap <<= 1U;
    if (cap > slots_.size()) rehash(cap);
  }
  [[nodiscard]] bool contains(std::uint64_t h) const {
    if (slots_.empty()) return false;
    h = h == 0 ? 1 : h;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == h) return true;
      if (slots_[i] == 0) return false;
    }
  }
  /// False when `h` was there already.
  bool insert(std::uint64_t h) {
    if ((size_ + 1) * 2 > slots_.size()) rehash(std::max<std::size_t>(1024, slots_.size() * 2));
    h = h == 0 ? 1 : h;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == h) return false;
      if (slots_[i] == 0) {
        slots_[i] = h;
        ++size_;
        return true;
      }
    }
  }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  /// Asks for the slot of `h` to be brought into the cache (a lookup follows).
  void prefetch(std::uint64_t h) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[(h == 0 ? 1 : h) & mask_]);
  }

 private:
  void rehash(std::size_t cap) {
    std::vector<std::uint64_t> old(cap, 0);
    old.swap(slots_);
    mask_ = cap - 1;
    size_ = 0;
    for (std::uint64_t h : old) {
      if (h != 0) insert(h);
    }
  }
  std::vector<std::uint64_t> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

std::uint64_t id_hash(std::string_view id) {
  return util::hash_bytes(id.data(), id.size(), 0);
}

class CsvImporter : public Importer {
 public:
  bool prepare(ImportContext& ctx) override {
    const std::string& path = ctx.options().mapping;
    if (path.empty()) {
      ctx.usage_error(
          "csv needs --mapping FILE: a JSON file naming the columns that give each entity's "
          "id, kind, name, properties and relations (see docs/import-csv.md; examples in "
          "data/import-examples/)");
      return false;
    }
    std::string error;
    const auto status = diag::SourceText::read_file(path, mapping_text_, error);
    if (status != diag::SourceText::ReadStatus::kOk) {
      ctx.input_error(path, "cannot read the mapping: " + error,
                      status == diag::SourceText::ReadStatus::kMissing);
      return true;
    }
    mapping_ = io::csv::Mapping::read(mapping_text_, ctx.diagnostics());
    if (!mapping_) {
      fail_mapping(ctx);
      return true;
    }
    bool missing = false;
    schema_ = io::load_schema({}, ctx.diagnostics(), missing);
    return true;
  }

  void read(const std::string& path, ImportContext& ctx) override {
    if (!mapping_ || !schema_) return;  // reported by prepare()
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
      const int e = errno;
      ctx.input_error(path, std::string("cannot read the input: ") + std::strerror(e), e == ENOENT);
      return;
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(file, &std::fclose);
    const io::csv::Dialect& dialect = mapping_->dialect();
    io::csv::Reader reader(file, dialect);
    io::csv::Record record;
    std::vector<std::string> header;
    bool have_record = reader.next(record);
    if (!reader.io_error().empty()) {
      ctx.input_error(path, reader.io_error(), false);
      return;
    }
    if (!have_record) {
      ctx.input_error(path, "the input has no records; is it the right file?", false);
      return;
    }
    for (std::size_t i = 0; i < record.size(); ++i) {
      header.emplace_back(dialect.header ? std::string(io::csv::trim(record.field(i)))
                                         : std::to_string(i + 1));
    }
    if (dialect.header) {
      if (!record.errors().empty()) {
        for (const auto& e : record.errors()) {
          ctx.diagnostics().error({path, e.line, e.column}, e.message);
        }
        ctx.input_error(path, "the header cannot be read; nothing imported", false);
        return;
      }
      have_record = reader.next(record);
    }
    if (!mapping_->bind(header, path, *schema_, ctx.diagnostics())) {
      fail_mapping(ctx);
      return;
    }
    io::csv::RowOutput out;
    std::vector<io::csv::RowError> errors;
    std::vector<std::uint64_t> pending;
    std::vector<std::uint64_t> pending_relations;
    const auto seen = [this](std::string_view id) { return seen_.contains(id_hash(id)); };
    const io::csv::KnownIds known(seen);
    if (relations_.empty()) {
      std::uint64_t size = 0;
      struct stat st {};
      if (::fstat(::fileno(file), &st) == 0) size = static_cast<std::uint64_t>(st.st_size);
      relations_.reserve(static_cast<std::size_t>(size / 128));
      // A row of a register is some 100 to 200 bytes and names an entity of its own.
      ctx.expect_ids(static_cast<std::size_t>(size / 128));
    }
    for (; have_record; have_record = reader.next(record)) {
      ctx.begin_record(path, record.line(), 1);
      const std::size_t errors_before = ctx.error_count();
      for (const auto& e : record.errors()) ctx.error({path, e.line, e.column}, e.message);
      if (record.size() != header.size()) {
        const std::size_t n = record.size(), want = header.size();
        std::string message = "this row has " + std::to_string(n) +
                              (n == 1 ? " field" : " fields") + " where the header has " +
                              std::to_string(want);
        if (n > want) {
          ctx.error({path, record.field_line(want), record.field_column(want)},
                    message + "; quote a field that holds the delimiter '" +
                        std::string(1, dialect.delimiter) + "'");
        } else {
          ctx.error({path, record.end_line(), record.end_column()},
                    message + " (column '" + header[n] + "' is missing); add the missing " +
                        "fields, or quote a field that spans lines");
        }
      } else {
        errors.clear();
        mapping_->map_row(record, out, errors, known);
        for (auto& e : errors) ctx.error({path, e.line, e.column}, std::move(e.message));
        if (ctx.error_count() == errors_before) {
          pending.clear();
          pending_relations.clear();
          const bool own_unique = out.has_primary && !mapping_->keeps_first_of_repeated_ids();
          if (own_unique) own_id_ = out.entities.front().id;
          // The tables are far larger than the caches: their slots for this row are asked
          // for first, and the keys made while they arrive.
          for (std::size_t i = 0; i < out.entity_count; ++i) ctx.prefetch_id(out.entities[i].id);
          relation_keys_.clear();
          for (std::size_t i = 0; i < out.relation_count; ++i) {
            const auto& relation = out.relations[i];
            const bool at_own = own_unique && (relation.from == own_id_ || relation.to == own_id_);
            const std::uint64_t key =
                util::hash_mix(util::hash_mix(id_hash(relation.kind), id_hash(relation.from)),
                               id_hash(relation.to));
            if (!at_own) relations_.prefetch(key);
            relation_keys_.emplace_back(key, at_own);
          }
          for (std::size_t i = 0; i < out.entity_count; ++i) {
            const auto& entity = out.entities[i];
            const bool primary =
                out.has_primary && i == 0 && !mapping_->keeps_first_of_repeated_ids();
            const std::uint64_t h = id_hash(entity.id);
            if (!primary && seen_.contains(h)) continue;
            if (!primary && std::find(pending.begin(), pending.end(), h) != pending.end()) {
              continue;
            }
            // The row's own ids need no remembering when no other id can equal them.
            if (!primary || !mapping_->own_ids_apart()) pending.push_back(h);
            ctx.entity(entity);
          }
          // A relation at the row's own entity, whose id no other row has, cannot repeat
          // another row's: it is compared with the row's own relations only.
          row_keys_.clear();
          for (std::size_t i = 0; i < out.relation_count; ++i) {
            const auto& relation = out.relations[i];
            const auto [key, at_own] = relation_keys_[i];
            if (std::find(row_keys_.begin(), row_keys_.end(), key) != row_keys_.end() ||
                (!at_own && relations_.contains(key))) {
              continue;
            }
            row_keys_.push_back(key);
            if (!at_own) pending_relations.push_back(key);
            ctx.relation(relation);
          }
        }
      }
      ctx.end_record();
      if (ctx.error_count() == errors_before) {
        for (std::uint64_t h : pending) seen_.insert(h);
        for (std::uint64_t h : pending_relations) relations_.insert(h);
      }
      ctx.progress(reader.bytes_read());
    }
    if (!reader.io_error().empty()) ctx.input_error(path, reader.io_error(), false);
  }

 private:
  void fail_mapping(ImportContext& ctx) {
    ctx.input_error(ctx.options().mapping,
                    "the mapping has problems (listed above); nothing imported", false);
  }

  diag::SourceText mapping_text_{"", ""};
  std::unique_ptr<io::csv::Mapping> mapping_;
  std::shared_ptr<const model::Schema> schema_;
  HashSet seen_;
  HashSet relations_;
  std::string own_id_;
  std::vector<std::uint64_t> row_keys_;
  std::vector<std::pair<std::uint64_t, bool>> relation_keys_;  // of the row: key, at its own
};

}  // namespace

std::unique_ptr<Importer> make_csv_importer() {
  return std::make_unique<CsvImporter>();
}

}  // namespace twinscan::imports
