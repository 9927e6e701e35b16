// `twinscan import csv INPUT… --mapping MAPPING.json`: delimited text of any dialect,
// mapped to entities and relations by a mapping file (docs/import-csv.md).
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "analyzer/diag/source_text.h"
#include "analyzer/io/import/csv_mapping.h"
#include "analyzer/io/import/csv_reader.h"
#include "analyzer/io/import/csv_row_pipeline.h"
#include "analyzer/io/import/id_hash_set.h"
#include "analyzer/io/import/importer.h"
#include "analyzer/io/schema_reader.h"

namespace twinscan::imports {
namespace {

// A problem that stops reading: at its line when it has one (FILE:LINE:1), else the file.
void report_read_error(const io::csv::Reader& reader, const std::string& path, ImportContext& ctx) {
  if (reader.io_error_line() > 0) {
    ctx.input_error_at({path, reader.io_error_line(), 1}, reader.io_error());
  } else {
    ctx.input_error(path, reader.io_error(), false);
  }
}

// --jobs, or one mapping worker a processor, up to four (the writing thread is the
// limit then).
std::size_t worker_count(unsigned jobs) {
  if (jobs != 0) return jobs;
  return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
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
      report_read_error(reader, path, ctx);
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
    if (dialect.header && !record.errors().empty()) {
      for (const auto& e : record.errors()) {
        ctx.diagnostics().error({path, e.line, e.column}, e.message);
      }
      ctx.input_error(path, "the header cannot be read; nothing imported", false);
      return;
    }
    if (!mapping_->bind(header, path, *schema_, ctx.diagnostics())) {
      fail_mapping(ctx);
      return;
    }
    if (relations_.empty()) {
      std::uint64_t size = 0;
      struct stat st {};
      if (::fstat(::fileno(file), &st) == 0) size = static_cast<std::uint64_t>(st.st_size);
      relations_.reserve(static_cast<std::size_t>(size / 128));
      // A row of a register is some 100 to 200 bytes and names an entity of its own.
      ctx.expect_ids(static_cast<std::size_t>(size / 128));
    }
    const Row row{path, header, dialect.delimiter};
    if (!dialect.header) {
      // Without a header the first record is the first row: mapped here, before the
      // workers read on.
      again_block_.clear();
      map_into_block(*mapping_, record, header.size(), io::csv::KnownIds(seen_known_), again_out_,
                     again_block_, again_row_);
      write_record(row, again_row_, again_block_, reader.bytes_read(), ctx);
    }
    std::vector<std::unique_ptr<io::csv::Mapping>> mappings;
    for (std::size_t w = 0; w < worker_count(ctx.options().jobs); ++w) {
      diag::Diagnostics quiet;  // what the mapping says was said already
      auto mapping = io::csv::Mapping::read(mapping_text_, quiet);
      if (!mapping || !mapping->bind(header, path, *schema_, quiet)) {
        throw std::logic_error("the CSV mapping cannot be read again");
      }
      mappings.push_back(std::move(mapping));
    }
    {
      RowPipeline rows(reader, std::move(mappings), header.size());
      while (const MappedRow* mapped = rows.next()) {
        write_record(row, *mapped, rows.block(), mapped->bytes_read, ctx);
      }
    }
    if (!reader.io_error().empty()) report_read_error(reader, path, ctx);
  }

 private:
  // The input and header a row is reported against.
  struct Row {
    const std::string& path;
    const std::vector<std::string>& header;
    char delimiter;
  };

  // Reports the problems of a mapped row and writes what it makes when it has none.
  void write_record(const Row& where, const MappedRow& row, const RowBlock& block,
                    std::uint64_t bytes_read, ImportContext& ctx) {
    const io::csv::Record& record = *row.record;
    const std::string& path = where.path;
    ctx.begin_record(path, record.line(), 1);
    const std::size_t errors_before = ctx.error_count();
    for (const auto& e : record.errors()) ctx.error({path, e.line, e.column}, e.message);
    if (!row.mapped) {
      const std::size_t n = record.size(), want = where.header.size();
      std::string message = "this row has " + std::to_string(n) + (n == 1 ? " field" : " fields") +
                            " where the header has " + std::to_string(want);
      if (n > want) {
        ctx.error({path, record.field_line(want), record.field_column(want)},
                  message + "; quote a field that holds the delimiter '" +
                      std::string(1, where.delimiter) + "'");
      } else {
        ctx.error({path, record.end_line(), record.end_column()},
                  message + " (column '" + where.header[n] + "' is missing); add the missing " +
                      "fields, or quote a field that spans lines");
      }
    } else {
      const RowBlock* items = &block;
      const MappedRow* mapped = &row;
      const std::uint64_t* assumed = block.assumed.data();
      const bool as_assumed = std::all_of(assumed + row.assumed_begin, assumed + row.assumed_end,
                                          [this](std::uint64_t h) { return seen_.contains(h); });
      if (!as_assumed || !row.errors.empty()) {
        // Mapped again knowing what was written: a row before was dropped, or the row
        // has problems, which must be those of the entities not written before.
        again_block_.clear();
        map_into_block(*mapping_, record, where.header.size(), io::csv::KnownIds(seen_known_),
                       again_out_, again_block_, again_row_);
        items = &again_block_;
        mapped = &again_row_;
      }
      for (const auto& e : mapped->errors) ctx.error({path, e.line, e.column}, e.message);
      if (ctx.error_count() == errors_before) write_row(*items, *mapped, ctx);
    }
    if (ctx.error_count() != errors_before && mapping_->own_id(record, own_id_)) {
      ctx.record_would_give(own_id_);
    }
    ctx.end_record();
    if (ctx.error_count() == errors_before) {
      for (std::uint64_t h : pending_) seen_.insert(h);
      for (std::uint64_t h : pending_relations_) relations_.insert(h);
    }
    ctx.progress(bytes_read);
  }

  // Writes the entities and relations of a row that has no problem (so far), leaving out
  // those written already; pending_ and pending_relations_ get what to remember of them
  // when the record is kept.
  void write_row(const RowBlock& block, const MappedRow& row, ImportContext& ctx) {
    pending_.clear();
    pending_relations_.clear();
    const MappedItem* entities = block.entities.data() + row.entities_begin;
    const MappedItem* relations = block.relations.data() + row.relations_begin;
    const std::size_t entity_count = row.entities_end - row.entities_begin;
    const std::size_t relation_count = row.relations_end - row.relations_begin;
    const bool keep_first = mapping_->keeps_first_of_repeated_ids();
    // The tables are far larger than the caches: their slots for this row are asked for
    // first.
    for (std::size_t i = 0; i < entity_count; ++i) {
      ctx.prefetch_id(block.at(entities[i].a, entities[i].a_size));
    }
    for (std::size_t i = 0; i < relation_count; ++i) {
      if (!relations[i].at_own) relations_.prefetch(relations[i].key);
      ctx.prefetch_id_hash(relations[i].a_hash);
      ctx.prefetch_id_hash(relations[i].b_hash);
    }
    for (std::size_t i = 0; i < entity_count; ++i) {
      const MappedItem& entity = entities[i];
      const bool primary = row.has_primary && i == 0 && !keep_first;
      const std::uint64_t h = entity.key;
      if (!primary && seen_.contains(h)) continue;
      if (!primary && std::find(pending_.begin(), pending_.end(), h) != pending_.end()) continue;
      // The row's own ids need no remembering when no other id can equal them.
      if (!primary || !mapping_->own_ids_apart()) pending_.push_back(h);
      ctx.entity_text(block.at(entity.a, entity.a_size), block.at(entity.b, entity.b_size),
                      block.at(entity.json, entity.json_size), entity.utf8);
    }
    // A relation at the row's own entity, whose id no other row has, cannot repeat another
    // row's: it is compared with the row's own relations only.
    row_keys_.clear();
    for (std::size_t i = 0; i < relation_count; ++i) {
      const MappedItem& relation = relations[i];
      const std::uint64_t key = relation.key;
      if (std::find(row_keys_.begin(), row_keys_.end(), key) != row_keys_.end() ||
          (!relation.at_own && relations_.contains(key))) {
        continue;
      }
      row_keys_.push_back(key);
      if (!relation.at_own) pending_relations_.push_back(key);
      ctx.relation_text(block.at(relation.a, relation.a_size),
                        block.at(relation.b, relation.b_size), {relation.a_hash, relation.b_hash},
                        block.at(relation.json, relation.json_size), relation.utf8);
    }
  }

  void fail_mapping(ImportContext& ctx) {
    ctx.input_error(ctx.options().mapping,
                    "the mapping has problems (listed above); nothing imported", false);
  }

  diag::SourceText mapping_text_{"", ""};
  std::unique_ptr<io::csv::Mapping> mapping_;
  std::shared_ptr<const model::Schema> schema_;
  IdHashSet seen_;       // the ids of the entities written
  IdHashSet relations_;  // the keys of the relations written
  const std::function<bool(std::string_view)> seen_known_ = [this](std::string_view id) {
    return seen_.contains(id_hash(id));
  };
  std::vector<std::uint64_t> pending_;  // of the row: what to remember once it is kept
  std::vector<std::uint64_t> pending_relations_;
  std::vector<std::uint64_t> row_keys_;
  std::string own_id_;  // of a row dropped
  // A row mapped again on this thread.
  RowBlock again_block_;
  MappedRow again_row_;
  io::csv::RowOutput again_out_;
};

}  // namespace

std::unique_ptr<Importer> make_csv_importer() {
  return std::make_unique<CsvImporter>();
}

}  // namespace twinscan::imports
