#pragma once

#include <string>

namespace twinscan::server {

/// The folder of the requests bundled with Twinscan (data/requests), offered on the
/// screening page.
std::string bundled_requests_dir();

}  // namespace twinscan::server
