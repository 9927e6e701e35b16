#include "analyzer/util/lasting_text.h"

#include <mutex>
#include <unordered_set>

namespace twinscan::util {

std::string_view lasting_text(std::string text) {
  static std::mutex mutex;
  // Never destroyed: views of it may be read while static objects are destroyed. The
  // nodes of a set do not move, so the views stay valid as it grows.
  static auto* const texts = new std::unordered_set<std::string>();
  std::lock_guard lock(mutex);
  return *texts->insert(std::move(text)).first;
}

}  // namespace twinscan::util
