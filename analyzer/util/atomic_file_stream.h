#pragma once

#include <streambuf>
#include <string>
#include <vector>

#include "analyzer/util/atomic_file.h"

namespace twinscan::util {

/// An output stream buffer over an AtomicFileWriter: a report of any size is written as
/// it is rendered, in large chunks, instead of being held whole in memory first. The first
/// write error is kept (error()) and later output is dropped; the caller commits the
/// writer only when there was none.
class AtomicFileStreambuf : public std::streambuf {
 public:
  explicit AtomicFileStreambuf(AtomicFileWriter& writer);
  AtomicFileStreambuf(const AtomicFileStreambuf&) = delete;
  AtomicFileStreambuf& operator=(const AtomicFileStreambuf&) = delete;

  /// Empty while every write succeeded.
  [[nodiscard]] const std::string& error() const { return error_; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  bool drain();

  AtomicFileWriter& writer_;
  std::vector<char> buffer_;
  std::string error_;
};

}  // namespace twinscan::util
