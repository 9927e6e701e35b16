#include "analyzer/server/html.h"

#include "analyzer/util/percent_encoding.h"

namespace twinscan::server {
std::string encode_uri_component(std::string_view text) {
  return util::percent_encode(text);
}

}  // namespace twinscan::server
