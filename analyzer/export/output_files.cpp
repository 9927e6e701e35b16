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
    const bool empty = fs::is_empty(path, ec);
    if (!empty && !force) {
      error =
          "the folder is not empty; choose a new or empty folder, or replace the files of "
          "the export in it (--force)";
      return false;
    }
    if (::access(path.c_str(), W_OK) != 0) {
      error = std::string("cannot write in the folder: ") + std::strerror(errno);
      return false;
    }
    // An existing folder stays the same folder (its permissions, a shell inside it): the
    // files are written in it, each through a temporary file; an export into an empty
    // folder that fails takes back the files it put there.
    was_empty_ = empty;
    return true;
  }
  const fs::path target = fs::absolute(fs::path(path)).lexically_normal();
  const fs::path named = target.has_filename() ? target : target.parent_path();
  const fs::path parent = named.parent_path();
  if (!fs::is_directory(parent, ec)) {
    error = "no such folder: " + parent.string();
    return false;
  }
  std::string staging = (parent / ("." + named.filename().string() + ".XXXXXX")).string();
  if (::mkdtemp(staging.data()) == nullptr) {
    error = "cannot create a folder in " + parent.string() + ": " + std::strerror(errno);
    return false;
  }
  ::chmod(staging.c_str(), 0755);
  staging_ = staging;
  final_ = named.string();
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
  std::size_t placed = 0;
  try {
    for (auto& entry : entries_) {
      entry->sink->flush();
      std::string error;
      if (!entry->writer.commit(error))
        throw ExportError((fs::path(target_) / entry->name).string() + ": cannot write: " + error);
      ++placed;
    }
  } catch (const ExportError&) {
    if (staging_.empty() && was_empty_) {
      std::error_code ec;
      for (std::size_t i = 0; i < placed; ++i)
        fs::remove(fs::path(target_) / entries_[i]->name, ec);
    }
    throw;
  }
  if (staging_.empty()) return;
  // The new folder appears in one step, under its name.
  if (std::rename(staging_.c_str(), final_.c_str()) != 0)
    throw ExportError(target_ + ": cannot create the folder: " + std::strerror(errno));
  staging_.clear();
}

std::vector<std::string> FolderOutput::names() const {
  std::vector<std::string> out;
  for (const auto& entry : entries_) out.push_back(entry->name);
  return out;
}

}  // namespace twinscan::exports
