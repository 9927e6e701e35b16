#include "analyzer/io/import/importer.h"

namespace twinscan::imports {
namespace {

class Stub : public Importer {
 public:
  void read(const std::string& path, ImportContext& ctx) override {
    ctx.input_error(path, "this format is not ready yet", false);
  }
};

}  // namespace

std::unique_ptr<Importer> make_wikidata_importer() {
  return std::make_unique<Stub>();
}

}  // namespace twinscan::imports
