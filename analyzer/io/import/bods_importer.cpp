// `twinscan import bods`: Open Ownership beneficial ownership statements (BODS 0.4), a
// JSON array of statements or JSON lines, read streamed and parsed ahead on a thread of
// their own (bods_statements.h) while the ones before are mapped to
// entities and relations (bods_mapper.h). Relationships are resolved once every input
// has been read, so statements may come in any order and from several files.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "analyzer/io/import/bods_mapper.h"
#include "analyzer/io/import/bods_statements.h"
#include "analyzer/io/import/importer.h"

namespace twinscan::imports {
namespace {

class BodsImporter : public Importer {
 public:
  bool prepare(ImportContext& ctx) override {
    mapper_ = std::make_unique<BodsMapper>(BodsOptions{ctx.home_country()});
    return true;
  }

  void read(const std::string& path, ImportContext& ctx) override {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
      const int e = errno;
      ctx.input_error(path, std::string("cannot read the input: ") + std::strerror(e), e == ENOENT);
      return;
    }
    const BodsErrorFn error = [&ctx](const diag::SourceLocation& where, std::string message) {
      ctx.error(where, std::move(message));
    };
    {
      // Statements are read and parsed ahead on a second thread while these are mapped.
      BodsReadAhead reader(file);
      const rapidjson::Value* statement = nullptr;
      BodsPlace at;
      std::string message;
      std::uint64_t read = 0;
      diag::SourceLocation where{path, 0, 0};  // one for every statement: no copy of the path each
      for (;;) {
        const auto next = reader.next(statement, at, message);
        if (next == BodsStatementReader::Next::kEnd) break;
        where.line = at.line;
        where.column = at.column;
        if (next == BodsStatementReader::Next::kError) {
          if (message == "the file could not be read") {
            ctx.input_error(path, "cannot read the input", false);
            break;
          }
          ctx.error(where, message);
          continue;
        }
        mapper_->add(*statement, where, error);
        if (++read % 1024 == 0) ctx.progress(reader.bytes_read());
      }
      ctx.progress(reader.bytes_read());
    }
    std::fclose(file);
  }

  void finish(ImportContext& ctx) override {
    mapper_->finish([&ctx](const diag::SourceLocation& where, std::string message) {
      ctx.error(where, std::move(message));
    });
    // Each entity and relation is a record at its statement's place: one that cannot be
    // written is reported there, and with --keep-going it is left out together with the
    // relations that name it.
    mapper_->for_each_entity([&ctx](const Entity& e, const diag::SourceLocation& where) {
      ctx.begin_record(where);
      ctx.entity(e);
      ctx.end_record();
    });
    mapper_->for_each_relation([&ctx](const Relation& r, const diag::SourceLocation& where) {
      ctx.begin_record(where);
      ctx.relation(r);
      ctx.end_record();
    });
    for (const auto& [reason, count] : mapper_->skipped()) ctx.skip(reason, count);
  }

 private:
  std::unique_ptr<BodsMapper> mapper_;
};

}  // namespace

std::unique_ptr<Importer> make_bods_importer() {
  return std::make_unique<BodsImporter>();
}

}  // namespace twinscan::imports
