#pragma once

#include <string>

#include "analyzer/server/http_backend.h"

/// The module that holds the server library (analyzer/http) is carried inside the
/// binary, so that it cannot go missing or be another build's: it is loaded from memory
/// the first time a server is made. Until then nothing of the library, nor of OpenSSL
/// that it links, is mapped.
namespace twinscan::server {

/// Loads the module once; true when it is loaded, else false with what went wrong in
/// `error`. Safe from any thread.
bool load_http_module(std::string& error);

/// The module's maker of servers; loads the module when it is not yet loaded, and throws
/// std::runtime_error with what went wrong when it cannot be.
MakeHttpBackend http_backend_maker();

}  // namespace twinscan::server
