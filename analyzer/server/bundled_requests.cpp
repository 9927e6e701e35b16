#include "analyzer/server/bundled_requests.h"

namespace twinscan::server {

std::string bundled_requests_dir() {
  return std::string(TWINSCAN_DATA_DIR) + "/data/requests";
}

}  // namespace twinscan::server
