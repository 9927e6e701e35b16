#include "analyzer/util/atomic_file_stream.h"

#include <cstring>
#include <string_view>

namespace twinscan::util {
namespace {
// Large enough that a write call is rare; the file's own stage (DirectWriteStage) gathers
// its blocks for the disk anyway, so more here would only be held twice.
constexpr std::size_t kChunk = std::size_t{256} << 10;
}  // namespace

AtomicFileStreambuf::AtomicFileStreambuf(AtomicFileWriter& writer)
    : writer_(writer), buffer_(kChunk) {
  setp(buffer_.data(), buffer_.data() + buffer_.size());
}

bool AtomicFileStreambuf::drain() {
  const auto n = static_cast<std::size_t>(pptr() - pbase());
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  if (n == 0 || !error_.empty()) return error_.empty();
  std::string error;
  if (!writer_.write(std::string_view(buffer_.data(), n), error)) error_ = std::move(error);
  return error_.empty();
}

AtomicFileStreambuf::int_type AtomicFileStreambuf::overflow(int_type c) {
  if (!drain()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

std::streamsize AtomicFileStreambuf::xsputn(const char* s, std::streamsize n) {
  std::streamsize done = 0;
  while (done < n) {
    if (pptr() == epptr() && !drain()) return done;
    const auto room = static_cast<std::streamsize>(epptr() - pptr());
    const std::streamsize take = std::min(room, n - done);
    std::memcpy(pptr(), s + done, static_cast<std::size_t>(take));
    pbump(static_cast<int>(take));
    done += take;
  }
  return done;
}

int AtomicFileStreambuf::sync() {
  return drain() ? 0 : -1;
}

}  // namespace twinscan::util
