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
#include "server/driver.hpp"

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
/// Past `max_connections` open at once, a new connection is answered 503 and closed.
/// `--work-ms` is a timer the coroutine waits on: the thread serves others meanwhile.
///
/// Threading: serve() before the loop runs; stop() is thread safe.
class async_driver final : public driver {
 public:
  /// @param io the event loop
  /// @param config settings shared by every connection (outlives the driver)
  async_driver(asio::io_context& io, const server_config& config);
  ~async_driver() override;
  async_driver(const async_driver&) = delete;
  async_driver& operator=(const async_driver&) = delete;

  /// Starts an accept loop on @p port (it runs once the event loop does).
  /// @param port a listener (outlives the driver) and its site
  void serve(const served_port& port) override;

  /// Nothing to do: the accept loops run when http_server runs the event loop.
  void start() override {}

  /// Stops accepting and asks every connection to finish (see http_session::on_shutdown()).
  void stop() override;

  /// Nothing to wait for: once the event loop has returned, every connection is closed.
  void join() override {}

  struct connection;  ///< one accepted socket, its session and its deadline timer

 private:
  /// Accepts connections until the listener is closed.
  asio::awaitable<void> accept_loop(
      served_port port);  // (a copy: a coroutine outlives its caller's arguments)
  /// Serves one connection: read, hand to the session, write, until it closes.
  asio::awaitable<void> serve_connection(std::shared_ptr<connection> c, std::uint64_t id);
  asio::io_context& io_;         ///< the event loop
  const server_config& config_;  ///< limits, timeouts, log
  /// Per listener: the strand its accept loop runs on, so stop() can close it safely.
  std::vector<std::pair<asio::strand<asio::io_context::executor_type>, net::tcp_listener*>> listeners_;

  std::mutex mutex_;                                                   ///< guards the four below
  bool stopping_ = false;                                              ///< stop() was called
  std::unordered_map<std::uint64_t, std::weak_ptr<connection>> live_;  ///< connections being served
  std::uint64_t next_id_ = 0;                                          ///< ids for live_
  std::size_t refusing_ = 0;  ///< connections in live_ answered 503, being closed
};

}  // namespace socketlab::server
