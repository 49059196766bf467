/// @file
/// socketlab-server's HTTP server: several ports, one site each, one process.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "server/config.hpp"
#include "socketlab/net/tcp_listener.hpp"

namespace socketlab::server {

class driver;

/// A port the server listens on and what it serves there.
struct listening_site {
  asio::ip::tcp::endpoint endpoint;  ///< the bound address and the port actually taken
  std::string description;           ///< what is served, e.g. "English (en)"
};

/// Start-up failed because a port could not be listened on.
class site_listen_failure : public net::listen_failure {
 public:
  /// @param site the site whose port failed
  /// @param error the failed step and the system's error
  /// @param where the endpoint tried
  site_listen_failure(site_config site, const net::listen_error& error, const asio::ip::tcp::endpoint& where);

  site_config site;  ///< the site whose port failed
};

/// The multi-port HTTP server: one listener per site, every connection served by the
/// model config.model names (server/models/driver.hpp): iterative, thread-per-connection,
/// thread-pool, or async (an Asio event loop with C++20 coroutines).
///
/// @code
///   http_server server(config);   // binds every port now: errors surface at start-up
///   server.run();                 // serves until stop(), then returns
/// @endcode
///
/// Threading: stop() is thread safe; the rest is for the thread that owns the server.
class http_server {
 public:
  /// Builds the sites and listens on every port.
  /// @param config the settings (config.sites must not be empty)
  /// @throws site_listen_failure when a port cannot be listened on
  /// @throws std::invalid_argument for a bad site or host
  explicit http_server(server_config config);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// The ports listened on, in the order of config.sites.
  /// @return one entry per site, with the port actually taken (port 0 resolved)
  [[nodiscard]] std::vector<listening_site> sites() const;

  /// The event loop's executor, for work beside the server's (a net::shutdown_signal, say).
  /// @return the executor of the io_context run() runs
  [[nodiscard]] asio::any_io_executor executor() noexcept;

  /// Serves until stop() has been called and every connection has finished. The async model
  /// runs the event loop on worker_threads(config) threads, the calling one included; the
  /// blocking ones serve on threads of their own while the calling thread runs the event loop
  /// for whatever else is on it (a net::shutdown_signal, say).
  void run();

  /// Stops gracefully: no new connections; idle ones are closed; requests under way are
  /// answered (with `Connection: close`) before their connections close. Thread safe.
  void stop();

 private:
  struct port;  ///< one listener and its site

  server_config config_;                      ///< the settings (sessions keep a reference)
  asio::io_context io_;                       ///< the event loop
  std::vector<std::unique_ptr<port>> ports_;  ///< listeners and sites
  std::unique_ptr<driver> driver_;            ///< the serving model: moves bytes between sockets and sessions
};

}  // namespace socketlab::server
