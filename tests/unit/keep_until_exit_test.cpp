// keep_until_exit: what a command hands over is neither destroyed nor freed before the
// process ends, and stays as it was handed over.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "analyzer/cli/command.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/engine/registry.h"
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

TEST_CASE("a command's registry graph is kept until the process ends", "[util][cli]") {
  std::weak_ptr<const twinscan::model::Graph> graph;
  {
    twinscan::engine::RegistrySpec spec;
    spec.paths = {std::string(TWINSCAN_SOURCE_DIR) + "/data/sample"};
    int status = 0;
    const auto registry =
        twinscan::cli::open_registry(spec, twinscan::cli::GlobalOptions{-1}, status);
    REQUIRE(registry);
    CHECK(status == 0);
    graph = registry->shared_graph();
  }
  // The registry is gone; its graph is not, and reads as it did.
  const auto kept = graph.lock();
  REQUIRE(kept != nullptr);
  CHECK(kept->entity_count() > 0);
}
