/// @file
/// Everything socketlab-server can be told, as plain data.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/log_sink.hpp"
#include "socketlab/http/limits.hpp"

namespace socketlab::server {

/// One `--site PORT=SPEC`.
struct site_config {
  std::uint16_t port = 0;  ///< 0: any free port (tests read it back)
  std::string spec;        ///< what to serve: a language code such as "fr", or a folder of files
  /// Simulated waiting per request (`--work-ms`): a database or a disk the handler waits for.
  /// A blocking model's thread sleeps through it; the async model waits on a timer, free to
  /// serve other connections meanwhile. That difference is what `--work-ms` makes visible.
  std::chrono::milliseconds work{0};
};

/// How connections are served (`--model`); see server/models/driver.hpp.
enum class serving_model {
  iterative,              ///< one connection at a time; the rest wait in the listen queue
  thread_per_connection,  ///< a new thread per accepted connection (the original exercise)
  thread_pool,            ///< N threads take accepted connections from a bounded queue
  async                   ///< an event loop with coroutines on N threads (the default)
};

/// The model's name on the command line: "iterative", "thread-per-connection", ...
/// @param model a model
/// @return its name
[[nodiscard]] std::string_view to_string(serving_model model) noexcept;

/// The model a command-line name means.
/// @param name e.g. "thread-pool"
/// @return the model, or nothing for an unknown name
[[nodiscard]] std::optional<serving_model> parse_serving_model(std::string_view name) noexcept;

/// Every model, in the order the lessons take them.
inline constexpr serving_model all_serving_models[] = {serving_model::iterative,
                                                       serving_model::thread_per_connection,
                                                       serving_model::thread_pool, serving_model::async};

/// How long a peer may keep the server waiting (every read and write has a deadline).
struct timeouts {
  using duration = std::chrono::milliseconds;  ///< resolution of every timeout
  duration header{10'000};  ///< from a request's first byte (or the accept) to its last header byte → 408
  duration idle{15'000};    ///< a kept-alive connection with no request → closed
  duration body{10'000};    ///< between two reads of a request body → 408
  duration send{10'000};    ///< to write a response → connection dropped
};

/// The HTTP server's settings.
struct server_config {
  std::string host = "127.0.0.1";              ///< address to bind; "0.0.0.0" or "::" to expose
  serving_model model = serving_model::async;  ///< how connections are served
  int backlog = 0;                             ///< listen queue length; 0: the system's maximum
  bool defer_accept = false;  ///< accept a connection once its request has begun (Linux: TCP_DEFER_ACCEPT)
  int threads = 0;            ///< async: threads running the event loop; thread-pool: workers;
                              ///< 0: the model's default (see worker_threads())
  int max_connections = 512;  ///< connections served at once; past it: 503 and close
                              ///< (iterative serves one: the rest wait in the listen queue)
  std::vector<site_config> sites;  ///< one site per port
  http::limits limits;             ///< request size limits
  struct timeouts timeouts;        ///< deadlines
  bool verbose = false;            ///< show each raw request, like the original's print(request.decode())
  log_sink access_log;             ///< one Common Log Format line per response
  log_sink console;                ///< raw requests (verbose) and notices such as accept errors
};

/// The threads @p config's model serves with: `threads`, or the model's default when it is 0
/// (async 1, thread-pool 8); iterative uses 1, thread-per-connection one per connection (0 here).
/// @param config the settings
/// @return the number of threads
[[nodiscard]] int worker_threads(const server_config& config) noexcept;

/// The sites the original exercise served: 8888 English, 8881 French, 8000 Spanish.
/// @return those three
[[nodiscard]] std::vector<site_config> default_sites();

}  // namespace socketlab::server
