/// @file
/// The async serving model: an Asio event loop with C++20 coroutines.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/strand.hpp>

#include "server/config.hpp"
#include "server/site.hpp"
#include "socketlab/net/tcp_listener.hpp"

namespace socketlab::server {

/// Serves connections with coroutines on one event loop: an accept loop per listener and
/// a coroutine per connection, each on its own strand so `--threads N` can run them in
/// parallel. It only moves bytes: what to answer is http_session's business.
///
/// @code
///   accept ──> connection coroutine:  read ──> session.on_bytes ──> write output ──> ...
///              watchdog (a timer):    sleeps until session.deadline(), then cancels the read
/// @endcode
///
/// Threading: serve() before the loop runs; stop() is thread safe.
class async_driver {
 public:
  /// @param io the event loop
  /// @param config settings shared by every connection (outlives the driver)
  async_driver(asio::io_context& io, const server_config& config);
  ~async_driver();
  async_driver(const async_driver&) = delete;
  async_driver& operator=(const async_driver&) = delete;

  /// Starts accepting on @p listener; each connection is served with @p s.
  /// @param listener a listening socket (outlives the driver)
  /// @param s the site (outlives the driver)
  void serve(net::tcp_listener& listener, const site& s);

  /// Stops accepting and asks every connection to finish (see http_session::on_shutdown()).
  void stop();

  struct connection;  ///< one accepted socket, its session and its deadline timer

 private:
  /// Accepts connections until the listener is closed.
  asio::awaitable<void> accept_loop(net::tcp_listener& listener, const site& s);
  /// Serves one connection: read, hand to the session, write, until it closes.
  asio::awaitable<void> serve_connection(std::shared_ptr<connection> c, std::uint64_t id);
  asio::io_context& io_;         ///< the event loop
  const server_config& config_;  ///< limits, timeouts, log
  /// Per listener: the strand its accept loop runs on, so stop() can close it safely.
  std::vector<std::pair<asio::strand<asio::io_context::executor_type>, net::tcp_listener*>> listeners_;

  std::mutex mutex_;                                                   ///< guards the two below
  bool stopping_ = false;                                              ///< stop() was called
  std::unordered_map<std::uint64_t, std::weak_ptr<connection>> live_;  ///< connections being served
  std::uint64_t next_id_ = 0;                                          ///< ids for live_
};

}  // namespace socketlab::server
