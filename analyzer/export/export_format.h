#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/explore/subgraph.h"
#include "analyzer/export/text_sink.h"

// The folder is export/; the namespace cannot be `export`, a C++ keyword.
namespace twinscan::exports {

/// Where an export's files go: one file (a single-file format, opened with the name "")
/// or the files of a folder. A sink stays valid until the export is committed.
class Files {
 public:
  virtual ~Files() = default;
  virtual TextSink& open(const std::string& name) = 0;
};

/// Counts entities and relations written and reports every 65,536 of them (and once at
/// the end), for a progress line on a terminal.
class Progress {
 public:
  using Report = std::function<void(std::size_t done, std::size_t total)>;
  Progress(Report report, std::size_t total) : report_(std::move(report)), total_(total) {}
  void step() {
    if (++done_ % 65536 == 0 && report_) report_(done_, total_);
  }
  void finish() {
    if (report_ && total_ >= 65536) report_(total_, total_);
  }

 private:
  Report report_;
  std::size_t total_ = 0;
  std::size_t done_ = 0;
};

using ExportWriter = void (*)(const explore::Subgraph& subgraph, Files& files, Progress& progress);

/// A row of the export format table: name, what it is, whether it writes a folder, writer.
struct ExportFormat {
  const char* name;
  const char* summary;
  bool folder;
  ExportWriter write;
};

/// Every format, in the order `--help` and docs/export.md list them.
const std::vector<ExportFormat>& export_formats();
/// The format named `name`, or nullptr.
const ExportFormat* find_export_format(std::string_view name);

// The writers, one file each.
void write_graphml(const explore::Subgraph& subgraph, Files& files, Progress& progress);
void write_gexf(const explore::Subgraph& subgraph, Files& files, Progress& progress);
void write_dot(const explore::Subgraph& subgraph, Files& files, Progress& progress);
void write_ftm(const explore::Subgraph& subgraph, Files& files, Progress& progress);
void write_csv(const explore::Subgraph& subgraph, Files& files, Progress& progress);
void write_neo4j(const explore::Subgraph& subgraph, Files& files, Progress& progress);

}  // namespace twinscan::exports
