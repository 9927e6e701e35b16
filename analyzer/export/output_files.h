#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/export/export_format.h"
#include "analyzer/util/atomic_file.h"

namespace twinscan::exports {

/// A single-file export written through util::AtomicFileWriter: it appears whole or not
/// at all ("-" is standard output; see util::write_file_atomically for links and devices).
class FileOutput : public Files {
 public:
  /// Returns false with `error` set when `path` cannot be written.
  bool open_path(const std::string& path, std::string& error);
  TextSink& open(const std::string& name) override;
  /// Flushes and puts the file in place; throws ExportError.
  void commit();

 private:
  std::string path_;
  util::AtomicFileWriter writer_;
  std::unique_ptr<TextSink> sink_;
};

/// A folder export. A new folder is written as a hidden folder beside it and renamed into
/// place at commit(), so that it appears whole or not at all. An existing empty folder is
/// filled in place, each file through a temporary file, and emptied again if the export
/// fails. A folder holding files is refused unless `force`; then each file of the export
/// replaces the file of that name and other files are left alone.
class FolderOutput : public Files {
 public:
  FolderOutput() = default;
  FolderOutput(const FolderOutput&) = delete;
  FolderOutput& operator=(const FolderOutput&) = delete;
  ~FolderOutput() override;

  /// Returns false with `error` set (what is wrong and what to do).
  bool open_path(const std::string& path, bool force, std::string& error);
  TextSink& open(const std::string& name) override;
  /// Flushes every file and puts them in place; throws ExportError.
  void commit();
  /// The names of the files opened, in order.
  [[nodiscard]] std::vector<std::string> names() const;

 private:
  struct Entry {
    std::string name;
    util::AtomicFileWriter writer;
    std::unique_ptr<TextSink> sink;
  };
  std::string target_;   ///< as given, for messages
  std::string staging_;  ///< the hidden folder written before the rename; empty in place
  std::string final_;    ///< where the hidden folder goes
  bool was_empty_ = false;
  std::vector<std::unique_ptr<Entry>> entries_;
};

}  // namespace twinscan::exports
