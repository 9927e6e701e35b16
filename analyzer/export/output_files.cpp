#include "analyzer/export/output_files.h"

#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace twinscan::exports {
namespace fs = std::filesystem;

namespace {

std::unique_ptr<TextSink> sink_for(util::AtomicFileWriter& writer, std::string shown) {
  return std::make_unique<TextSink>([&writer, shown = std::move(shown)](std::string_view text) {
    std::string error;
    if (!writer.write(text, error)) throw ExportError(shown + ": cannot write: " + error);
  });
}

}  // namespace

bool FileOutput::open_path(const std::string& path, std::string& error) {
  path_ = path;
  return writer_.open(path, error);
}

TextSink& FileOutput::open(const std::string& /*name*/) {
  if (!sink_) sink_ = sink_for(writer_, path_ == "-" ? "standard output" : path_);
  return *sink_;
}

void FileOutput::commit() {
  if (sink_) sink_->flush();
  std::string error;
  if (!writer_.commit(error)) throw ExportError(path_ + ": cannot write: " + error);
}

FolderOutput::~FolderOutput() {
  entries_.clear();  // removes the temporary files of an export not committed
  if (!staging_.empty()) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
}

bool FolderOutput::open_path(const std::string& path, bool force, std::string& error) {
  if (path.empty() || path == "-") {
    error = "this format writes a folder; give its path (a new or empty folder)";
    return false;
  }
  target_ = path;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      error = "is not a folder; this format writes a folder of files (give a new or empty one)";
      return false;
    }
    if (!fs::is_empty(path, ec)) {
      if (!force) {
        error =
            "the folder is not empty; choose a new or empty folder, or replace the files of "
            "the export in it (--force)";
        return false;
      }
      if (::access(path.c_str(), W_OK) != 0) {
        error = std::string("cannot write in the folder: ") + std::strerror(errno);
        return false;
      }
      return true;  // in place, file by file
    }
  }
  fs::path target(path);
  while (!target.empty() && !target.has_filename()) target = target.parent_path();
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) {
    error = "no such folder: " + parent.string();
    return false;
  }
  std::string staging = (parent / ("." + target.filename().string() + ".XXXXXX")).string();
  if (::mkdtemp(staging.data()) == nullptr) {
    error = "cannot create a folder in " + parent.string() + ": " + std::strerror(errno);
    return false;
  }
  ::chmod(staging.c_str(), 0755);
  staging_ = staging;
  target_ = target.string();
  return true;
}

TextSink& FolderOutput::open(const std::string& name) {
  auto entry = std::make_unique<Entry>();
  entry->name = name;
  const fs::path folder = staging_.empty() ? fs::path(target_) : fs::path(staging_);
  const std::string path = (folder / name).string();
  std::string error;
  if (!entry->writer.open(path, error))
    throw ExportError((fs::path(target_) / name).string() + ": cannot write: " + error);
  entry->sink = sink_for(entry->writer, (fs::path(target_) / name).string());
  entries_.push_back(std::move(entry));
  return *entries_.back()->sink;
}

void FolderOutput::commit() {
  for (auto& entry : entries_) {
    entry->sink->flush();
    std::string error;
    if (!entry->writer.commit(error))
      throw ExportError((fs::path(target_) / entry->name).string() + ": cannot write: " + error);
  }
  if (staging_.empty()) return;
  // rename(2) puts a folder in place of a missing or empty one in one step.
  if (std::rename(staging_.c_str(), target_.c_str()) != 0)
    throw ExportError(target_ + ": cannot create the folder: " + std::strerror(errno));
  staging_.clear();
}

std::vector<std::string> FolderOutput::names() const {
  std::vector<std::string> out;
  for (const auto& entry : entries_) out.push_back(entry->name);
  return out;
}

}  // namespace twinscan::exports
