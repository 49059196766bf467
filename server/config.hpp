/// @file
/// Everything socketlab-server can be told, as plain data.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "socketlab/http/limits.hpp"

namespace socketlab::server {

/// One `--site PORT=SPEC`.
struct site_config {
  std::uint16_t port = 0;  ///< 0: any free port (tests read it back)
  std::string spec;        ///< what to serve: a language code such as "fr"
};

/// How long a peer may keep the server waiting (every read and write has a deadline).
struct timeouts {
  using duration = std::chrono::milliseconds;  ///< resolution of every timeout
  duration header{10'000};  ///< from a request's first byte (or the accept) to its last header byte → 408
  duration idle{15'000};    ///< a kept-alive connection with no request → closed
  duration body{10'000};    ///< between two reads of a request body → 408
  duration send{10'000};    ///< to write a response → connection dropped
};

/// Where a kind of log text goes. Called from the server's threads, so it must be thread
/// safe; the text ends with a line end. Empty: that text is dropped.
using log_sink = std::function<void(std::string_view text)>;

/// The HTTP server's settings.
struct server_config {
  std::string host = "127.0.0.1";  ///< address to bind; "0.0.0.0" or "::" to expose
  int backlog = 0;                 ///< listen queue length; 0: the system's maximum
  int threads = 1;                 ///< threads running the event loop
  std::vector<site_config> sites;  ///< one site per port
  http::limits limits;             ///< request size limits
  struct timeouts timeouts;        ///< deadlines
  bool verbose = false;            ///< show each raw request, like the original's print(request.decode())
  log_sink access_log;             ///< one Common Log Format line per response
  log_sink console;                ///< raw requests (verbose) and notices such as accept errors
};

/// The sites the original exercise served: 8888 English, 8881 French, 8000 Spanish.
/// @return those three
[[nodiscard]] std::vector<site_config> default_sites();

}  // namespace socketlab::server
