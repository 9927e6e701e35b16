// keep_until_exit: what a command hands over is neither destroyed nor freed before the
// process ends, and stays as it was handed over.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzer/util/keep_until_exit.h"

namespace {

struct Counted {
  static inline int destroyed = 0;
  std::vector<std::string> texts;
  const std::string* first = nullptr;
  Counted() = default;
  Counted(Counted&& other) noexcept : texts(std::move(other.texts)), first(other.first) {
    other.first = nullptr;
  }
  ~Counted() {
    if (first != nullptr) ++destroyed;
  }
};

}  // namespace

TEST_CASE("keep_until_exit keeps an object, moved and undestroyed, until the process ends",
          "[util]") {
  Counted::destroyed = 0;
  const std::string* kept_text = nullptr;
  {
    Counted c;
    c.texts = {"finding one", "finding two"};
    c.first = &c.texts.front();
    kept_text = c.first;
    twinscan::util::keep_until_exit(std::move(c));
    CHECK(c.first == nullptr);  // moved from
  }
  // The moved-from object was destroyed; the kept one was not, and its texts are where
  // they were.
  CHECK(Counted::destroyed == 0);
  CHECK(*kept_text == "finding one");
}
