#include "analyzer/cli/command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/cli/registry_options.h"
#include "analyzer/io/import/document_sink.h"
#include "analyzer/io/import/importer.h"
#include "analyzer/model/date.h"
#include "analyzer/rules/home_country.h"
#include "analyzer/util/english.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/keep_until_exit.h"
#include "analyzer/util/nearest_name.h"
#include "analyzer/util/utf8_check.h"

namespace twinscan::cli {
namespace {

/// `twinscan import FORMAT INPUT… --output DOC.json`: one twinscan/1 document from the
/// records of another format (docs/import.md).
class ImportCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::string format_;
  std::vector<std::string> inputs_;
  std::string mapping_;
  std::string source_id_;
  std::string source_name_;
  std::string source_role_;
  std::string retrieved_;
  std::string home_country_;
  std::string output_;
  bool keep_going_ = false;
  unsigned jobs_ = 0;
  /// The options whose value may not be empty when given (an empty one would silently
  /// mean the default).
  std::vector<CLI::Option*> not_empty_;
};

std::vector<std::string> format_names() {
  std::vector<std::string> names;
  for (const auto& spec : imports::importer_table()) names.emplace_back(spec.name);
  return names;
}

/// The UTC date of the newest input's modification, or empty.
std::string newest_modification(const std::vector<std::string>& inputs) {
  std::time_t newest = 0;
  for (const auto& path : inputs) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime > newest) {
      newest = st.st_mtime;
    }
  }
  if (newest == 0) return {};
  std::tm tm{};
  ::gmtime_r(&newest, &tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
  return buffer;
}

}  // namespace

void ImportCommand::configure(CLI::App& app) {
  std::string formats = "The input's format:";
  for (const auto& spec : imports::importer_table()) {
    formats += std::string("\n  ") + spec.name + ": " + spec.summary;
  }
  app.add_option("format", format_, formats)->required();
  app.add_option("inputs", inputs_, "The input files, read in order into one document")->required();
  app.add_option("--output,-o", output_,
                 "The twinscan/1 document to write (- for standard output); written only "
                 "when the whole input is good (or with --keep-going)")
      ->required();
  not_empty_.push_back(app.add_option("--mapping", mapping_,
                                      "The mapping file (csv only; other formats take none)"));
  not_empty_.push_back(app.add_option("--source-id", source_id_,
                                      "The source's id in the document (default: the output "
                                      "file's name, as the loader gives it)"));
  not_empty_.push_back(app.add_option("--source-name", source_name_,
                                      "The source's name (default: one per format, e.g. "
                                      "'Wikidata: twinned cities (P190)')"));
  not_empty_.push_back(
      app.add_option("--source-role", source_role_,
                     "The source's role: national-register, local-authorities, municipality, "
                     "foreign-side, public-report, corporate-registry, watchlist or another "
                     "word (default: one per format)"));
  not_empty_.push_back(app.add_option("--retrieved", retrieved_,
                                      "When the input was retrieved: YYYY, YYYY-MM or "
                                      "YYYY-MM-DD (default: the date the newest input was "
                                      "last modified)"));
  not_empty_.push_back(
      app.add_option("--home-country", home_country_,
                     "The home country (ISO 3166-1 alpha-2 or alpha-3): what becomes "
                     "Municipality or CentralAuthority rather than foreign (wikidata needs "
                     "it, others infer it when they can)"));
  app.add_flag("--keep-going", keep_going_,
               "Write the document even when some records are bad: each bad record is left "
               "out and listed as a warning");
  app.add_option("--jobs,-j", jobs_,
                 "Threads that map rows (csv; default: one per core, up to 4); the document "
                 "is the same for any number")
      ->check(CLI::Range(1U, 64U));
  app.footer(
      "Exit status: 0 written, 64 usage (an unknown format, a missing --mapping or "
      "--home-country), 65 bad input (every problem is listed as FILE:LINE:COL; nothing is "
      "written), 66 missing input, 73 the output cannot be written. See docs/import.md.");
}

int ImportCommand::run(const GlobalOptions& global) {
  const imports::ImporterSpec* spec = imports::find_importer(format_);
  if (!spec) {
    std::string list;
    for (const auto& name : format_names()) list += (list.empty() ? "" : ", ") + name;
    std::cerr << "twinscan: error: unknown import format '" << format_ << "'"
              << util::did_you_mean(format_, format_names()) << " (formats: " << list
              << ")\n(run 'twinscan import --help' for usage)\n";
    return util::kExitUsage;
  }
  for (const CLI::Option* option : not_empty_) {
    if (option->count() == 0) continue;
    const std::string value = option->as<std::string>();
    // Written into the document as they are: empty would silently mean the default, and
    // text that is not UTF-8 would be repaired without a word.
    const char* wrong = value.empty()           ? " is empty"
                        : !util::is_utf8(value) ? " is not UTF-8 text"
                                                : nullptr;
    if (wrong) {
      std::cerr << "twinscan: error: " << option->get_name() << wrong
                << "; give a value, or leave the option out for its default\n"
                << "(run 'twinscan import --help' for usage)\n";
      return util::kExitUsage;
    }
  }
  if (!mapping_.empty() && std::string_view(spec->name) != "csv") {
    std::cerr << "twinscan: error: --mapping is for csv; " << spec->name
              << " reads its records without one\n(run 'twinscan import --help' for usage)\n";
    return util::kExitUsage;
  }
  imports::ImportOptions options;
  options.format = spec->name;
  options.inputs = inputs_;
  options.mapping = mapping_;
  options.keep_going = keep_going_;
  options.jobs = jobs_;
  if (!home_country_.empty()) {
    const auto code = rules::normalise_country_code(home_country_);
    if (!code) {
      std::cerr << "twinscan: error: --home-country '" << home_country_
                << "' is not a country code; give its ISO 3166-1 code, e.g. IL or POL\n";
      return util::kExitUsage;
    }
    options.home_country = *code;
  }
  if (!retrieved_.empty()) {
    if (!model::parse_date(retrieved_)) {
      std::cerr << "twinscan: error: --retrieved '" << retrieved_
                << "' is not a date; give YYYY, YYYY-MM or YYYY-MM-DD\n";
      return util::kExitUsage;
    }
  }
  options.source.id = source_id_;
  options.source.name = source_name_.empty() ? spec->default_source_name : source_name_;
  options.source.role = source_role_.empty() ? spec->default_source_role : source_role_;
  options.source.retrieved = retrieved_.empty() ? newest_modification(inputs_) : retrieved_;

  diag::Diagnostics diagnostics = streaming_diagnostics(global);
  imports::DocumentWriter writer;
  imports::ImportContext ctx(options, writer, diagnostics);
  auto importer = spec->make();
  if (!importer->prepare(ctx)) return util::kExitUsage;

  // Inputs are checked before the output is opened, so a typo costs nothing.
  std::vector<std::uint64_t> sizes;
  std::uint64_t total = 0;
  struct stat out {};
  const bool output_exists = output_ != "-" && ::stat(output_.c_str(), &out) == 0;
  auto is_output = [&](const struct stat& st) {
    return output_exists && S_ISREG(out.st_mode) && st.st_dev == out.st_dev &&
           st.st_ino == out.st_ino;
  };
  for (const auto& path : inputs_) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      ctx.input_error(path,
                      path == "-" ? "no such input file; standard input is read as /dev/stdin"
                                  : "no such input file; check the path",
                      true);
      sizes.push_back(0);
      continue;
    }
    if (is_output(st)) {
      std::cerr << "twinscan: error: " << output_ << ": the output is also an input (" << path
                << "); write the document to another file\n";
      return util::kExitUsage;
    }
    if (S_ISDIR(st.st_mode)) {
      ctx.input_error(path, "cannot read the input: is a folder; name the files in it", false);
    }
    sizes.push_back(static_cast<std::uint64_t>(st.st_size));
    total += static_cast<std::uint64_t>(st.st_size);
  }
  if (struct stat st{}; !mapping_.empty() && ::stat(mapping_.c_str(), &st) == 0 && is_output(st)) {
    std::cerr << "twinscan: error: " << output_ << ": the output is the mapping (" << mapping_
              << "); write the document to another file\n";
    return util::kExitUsage;
  }
  // An input that is empty, compressed, UTF-16 or binary is said so once, at its start,
  // rather than by a stream of parse errors. Only regular files are looked at ahead: the
  // first bytes of a pipe or a terminal would be lost to the reader.
  for (const auto& path : inputs_) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    std::ifstream in(path, std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const bool whole = head.size() == static_cast<std::size_t>(st.st_size);
    if (const std::string what =
            imports::sniff_input(head, whole, std::string_view(spec->name) != "csv");
        !what.empty()) {
      ctx.input_error_at({path, 1, 1}, what);
    }
  }
  if (ctx.missing_input() || ctx.input_failed()) {
    print_diagnostics(diagnostics, global);
    if (ctx.missing_input()) return util::kExitNoInput;
    std::cerr << "twinscan: " << util::count_of(ctx.error_count(), "problem", "problems")
              << " in the input; nothing written\n";
    return util::kExitDataError;
  }
  std::string error;
  if (!writer.open(output_, options.source, error)) {
    std::cerr << "twinscan: error: " << output_ << ": cannot write the document: " << error << '\n';
    return util::kExitCantCreate;
  }
  const bool terminal =
      global.verbosity >= 0 && ::isatty(STDERR_FILENO) && total >= (std::uint64_t{8} << 20);
  ctx.set_progress(
      terminal ? imports::ImportContext::Progress([](std::uint64_t done, std::uint64_t all) {
        std::cerr << "\rimporting: " << (done >> 20) << '/' << (all >> 20) << " MB ("
                  << (all ? done * 100 / all : 100) << "%)   " << std::flush;
      })
               : imports::ImportContext::Progress(),
      total);
  std::uint64_t before = 0;
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    ctx.start_input(i, before);
    importer->read(inputs_[i], ctx);
    before += sizes[i];
  }
  importer->finish(ctx);
  ctx.finish_records();
  if (ctx.usage_failed()) return util::kExitUsage;
  if (terminal) {
    std::cerr << '\r' << std::string(40, ' ') << '\r' << std::flush;
  }
  print_diagnostics(diagnostics, global);
  if (ctx.missing_input()) return util::kExitNoInput;
  // With --keep-going, bad records are left out; when every record was bad, nothing is
  // left, and an empty document is no import.
  const bool nothing_good = options.keep_going && ctx.error_count() > 0 && writer.entities() == 0 &&
                            writer.relations() == 0;
  if (nothing_good) {
    std::cerr << "twinscan: error: no record of the input could be read; is it the right file "
                 "and format?\n";
  }
  const bool failed =
      ctx.error_count() > 0 && (!options.keep_going || ctx.input_failed() || nothing_good);
  if (global.verbosity >= 0) {
    for (const auto& [reason, count] : ctx.skipped()) {
      std::cerr << "twinscan: left out (" << count << "): " << reason << '\n';
    }
  }
  if (failed) {
    // Leaving bad records out helps only when records were bad, and was not asked yet.
    const bool hint = !options.keep_going && !ctx.input_failed();
    std::cerr << "twinscan: " << ctx.error_count() << ' '
              << (ctx.error_count() == 1 ? "problem" : "problems") << " in the input; nothing "
              << "written" << (hint ? " (--keep-going writes the good records)" : "") << '\n';
    return util::kExitDataError;
  }
  if (!writer.commit(error)) {
    std::cerr << "twinscan: error: " << output_ << ": cannot write the document: " << error << '\n';
    return util::kExitCantCreate;
  }
  if (global.verbosity >= 0 && writer.entities() == 0 && writer.relations() == 0) {
    std::cerr << "twinscan: warning: the input holds no record this format imports (a "
                 "document with its source alone was written); is it the right file?\n";
  }
  if (global.verbosity >= 0) {
    if (ctx.records_dropped() > 0) {
      std::cerr << "twinscan: " << ctx.records_dropped() << " bad "
                << (ctx.records_dropped() == 1 ? "record" : "records")
                << " left out (--keep-going)\n";
    }
    if (output_ != "-") {
      std::cerr << "twinscan: " << util::count_of(writer.entities(), "entity", "entities")
                << " and " << util::count_of(writer.relations(), "relation", "relations")
                << " written to " << output_ << " (" << spec->name << ")\n";
    }
  }
  // Its tables of the ids and relations written (tens of megabytes) go back with the
  // process rather than page by page.
  util::keep_until_exit(std::move(importer));
  return util::kExitOk;
}

std::unique_ptr<Command> make_import_command() {
  return std::make_unique<ImportCommand>();
}

}  // namespace twinscan::cli
