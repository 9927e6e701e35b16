#include "analyzer/cli/command.h"

#include <cstdint>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/cli/registry_options.h"
#include "analyzer/util/atomic_file.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan compile REGISTRY… -o FILE`: the loaded, validated registry as a snapshot
/// that later commands open with --registry FILE in a fraction of the JSON load time.
class CompileCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::vector<std::string> paths_;
  std::vector<std::string> schema_;
  std::string judgements_;
  std::string output_;
};

}  // namespace

void CompileCommand::configure(CLI::App& app) {
  app.add_option("registry", paths_, "Registry documents or folders of *.json")->required();
  app.add_option("--schema", schema_, "A schema extension file (repeat for several)")
      ->allow_extra_args(false);
  add_judgements_option(app, judgements_);
  app.add_option("--output,-o", output_, "The snapshot file to write")->required();
}

int CompileCommand::run(const GlobalOptions& global) {
  engine::RegistrySpec spec;
  spec.paths = paths_;
  spec.schema = schema_;
  spec.judgements = judgements_;
  spec.keep_schema_sources = true;
  int status = 0;
  const auto registry = open_registry(spec, global, status);
  if (!registry) return status;
  if (!registry->can_write_snapshot()) {
    std::cerr << "twinscan: error: the registry is already a snapshot\n";
    return util::kExitUsage;
  }
  // Written a block at a time: the snapshot is about the size of the graph in memory,
  // which a whole copy of it would double.
  util::AtomicFileWriter file;
  std::string error;
  std::uint64_t written = 0;
  const bool ok = file.open(output_, error) &&
                  registry->write_snapshot([&](std::string_view block) {
                    written += block.size();
                    return file.write(block, error);
                  }) &&
                  file.commit(error);
  if (!ok) {
    std::cerr << "twinscan: error: " << output_ << ": cannot write the snapshot: " << error << '\n';
    return util::kExitCantCreate;
  }
  if (global.verbosity >= 0) {
    std::cerr << "wrote " << output_ << ": " << registry->graph().entity_count() << " entities, "
              << registry->graph().relation_count() << " relations, " << written / 1024 << " KiB\n";
  }
  return util::kExitOk;
}

std::unique_ptr<Command> make_compile_command() {
  return std::make_unique<CompileCommand>();
}

}  // namespace twinscan::cli
