#include "analyzer/cli/command.h"

#include <iostream>
#include <sstream>
#include <string>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <CLI/CLI.hpp>

#include "analyzer/cli/desk_options.h"
#include "analyzer/util/atomic_file.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::cli {
namespace {

/// `twinscan audit verify|export`: the desk's hash-chained audit trail.
class AuditCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  int verify(const GlobalOptions& global);
  int export_trail(const GlobalOptions& global);

  CLI::App* verify_ = nullptr;
  CLI::App* export_ = nullptr;
  std::string db_;
  std::string format_;
  std::string output_;
};

void write_jsonl(const std::vector<desk::AuditEntry>& entries, std::ostream& out) {
  for (const auto& e : entries) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("seq");
    w.Int64(e.seq);
    const std::pair<const char*, const std::string*> texts[] = {{"at", &e.at},
                                                                {"actor", &e.actor},
                                                                {"action", &e.action},
                                                                {"subject", &e.subject},
                                                                {"detail_json", &e.detail_json},
                                                                {"prev_hash", &e.prev_hash},
                                                                {"hash", &e.hash}};
    for (const auto& [key, value] : texts) {
      w.Key(key);
      w.String(value->data(), static_cast<rapidjson::SizeType>(value->size()));
    }
    w.EndObject();
    out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
    out << '\n';
  }
}

/// One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line end, quotes
/// doubled; a cell a spreadsheet would read as a formula (starting with = + - @, a tab or
/// a carriage return) gets a leading apostrophe.
std::string csv_cell(std::string_view text) {
  std::string cell;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    cell += '\'';
  }
  cell += text;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (const char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

void write_csv(const std::vector<desk::AuditEntry>& entries, std::ostream& out) {
  out << "seq,at,actor,action,subject,detail_json,prev_hash,hash\r\n";
  for (const auto& e : entries) {
    out << e.seq;
    for (const std::string* field :
         {&e.at, &e.actor, &e.action, &e.subject, &e.detail_json, &e.prev_hash, &e.hash}) {
      out << ',' << csv_cell(*field);
    }
    out << "\r\n";
  }
}

}  // namespace

void AuditCommand::configure(CLI::App& app) {
  app.require_subcommand(1);
  verify_ =
      app.add_subcommand("verify",
                         "Recompute the hash chain; exit 65 naming the first changed, removed or "
                         "reordered entry");
  verify_->add_option("--db", db_, "The desk database")->required();
  export_ = app.add_subcommand("export", "Write every entry of the trail, oldest first");
  export_->add_option("--db", db_, "The desk database")->required();
  export_->add_option("--format", format_, "jsonl (one JSON object a line) or csv (RFC 4180)")
      ->required()
      ->check(CLI::IsMember({"jsonl", "csv"}));
  export_->add_option("--output,-o", output_,
                      "Write to this file, replaced whole once complete; '-' is stdout "
                      "(default)");
  app.footer(
      "Each entry holds the SHA-256 of the one before it, so an entry changed, removed or "
      "moved in the database breaks the chain from there on.");
}

int AuditCommand::run(const GlobalOptions& global) {
  if (verify_->parsed()) return verify(global);
  return export_trail(global);
}

int AuditCommand::verify(const GlobalOptions& global) {
  int status = 0;
  const auto store = open_desk(db_, DeskOpen::kExisting, status);
  if (!store) return status;
  const desk::AuditCheck check = store->verify_audit();
  if (!check.intact) {
    if (check.why.starts_with("record ")) {
      std::cerr << util::escape_for_terminal(db_) << ": error: "
                << (check.first_broken_seq > 0
                        ? "audit entry " + std::to_string(check.first_broken_seq) + ": "
                        : std::string())
                << util::escape_for_terminal(check.why)
                << "; the database was changed outside the desk\n";
    } else {
      std::cerr << util::escape_for_terminal(db_) << ": error: audit entry "
                << check.first_broken_seq << ": " << check.why
                << "; the trail is broken from there\n";
    }
    return util::kExitDataError;
  }
  if (global.verbosity >= 0) std::cout << "intact: " << check.entries << " entries\n";
  return util::kExitOk;
}

int AuditCommand::export_trail(const GlobalOptions& global) {
  int status = 0;
  const auto store = open_desk(db_, DeskOpen::kExisting, status);
  if (!store) return status;
  const auto entries = store->all_audit_entries();
  std::ostringstream buffer;
  if (format_ == "csv") {
    write_csv(entries, buffer);
  } else {
    write_jsonl(entries, buffer);
  }
  if (output_.empty() || output_ == "-") {
    std::cout << buffer.str() << std::flush;
    return util::kExitOk;
  }
  std::string error;
  if (!util::write_file_atomically(output_, buffer.str(), error)) {
    std::cerr << "twinscan: error: " << util::escape_for_terminal(output_)
              << ": cannot write the audit trail: " << error << '\n';
    return util::kExitCantCreate;
  }
  if (global.verbosity >= 0) {
    std::cerr << "twinscan: " << entries.size() << " audit entries written to "
              << util::escape_for_terminal(output_) << '\n';
  }
  return util::kExitOk;
}

std::unique_ptr<Command> make_audit_command() {
  return std::make_unique<AuditCommand>();
}

}  // namespace twinscan::cli
