/// @file
/// A serving model: how accepted connections get a thread (or a turn) to be served on.
#pragma once

#include <chrono>
#include <memory>

#include <asio/io_context.hpp>

#include "server/config.hpp"
#include "server/sites/site.hpp"
#include "socketlab/net/tcp_listener.hpp"

namespace socketlab::server {

/// One listening port and what it serves there.
struct served_port {
  const site* served = nullptr;           ///< what this port serves (outlives the driver)
  net::tcp_listener* listener = nullptr;  ///< the listening socket (outlives the driver)
  std::chrono::milliseconds work{0};      ///< simulated waiting per request (`--work-ms`)
};

/// A serving model (`--model`). Every model serves the same sites with the same protocol
/// logic (http_session: parsing, limits, deadlines, error replies); a driver only decides
/// which thread runs each connection and moves bytes between its socket and its session.
///
/// | model                   | who serves a connection                          |
/// |-------------------------|--------------------------------------------------|
/// | `iterative`             | the thread that accepts, before it accepts again |
/// | `thread-per-connection` | a new thread, started at accept                  |
/// | `thread-pool`           | one of N threads, through a bounded queue        |
/// | `async`                 | a coroutine on the event loop (N threads run it) |
///
/// Each is one file: iterative_driver.cpp, thread_per_connection_driver.cpp,
/// thread_pool_driver.cpp, async_driver.cpp.
///
/// The three blocking models share blocking_driver.cpp (one thread accepting on every port,
/// `--max-connections`, counting the open connections) and serve_blocking.cpp (the read /
/// answer / write loop of one connection, with the deadlines kept by waiting in poll() first).
/// Every model applies the same admission rule (admission.hpp).
///
/// Life cycle, all from http_server (stop() may come at any time, even before start()):
/// @code
///   serve(port) for each port ──> start() ──> [io_context runs] ──> join()   // returns once stopped
///                                   stop() from any thread
/// @endcode
class driver {
 public:
  virtual ~driver() = default;

  /// Adds a port to serve; called before start().
  /// @param port the listener and its site
  virtual void serve(const served_port& port) = 0;

  /// Starts serving: the blocking models start their threads; the async one its accept loops
  /// (which run when http_server runs the event loop).
  virtual void start() = 0;

  /// Stops gracefully: no new connections; idle ones close; a request under way is answered
  /// (with `Connection: close`, its simulated work cut short) before its connection closes.
  /// Thread safe; returns at once; may come before start().
  virtual void stop() = 0;

  /// Returns once stop() has been called and every connection has closed.
  virtual void join() = 0;
};

/// The driver for @p config.model.
/// @param io the event loop (the async model serves on it; the others only share its sockets' executor)
/// @param config the settings (outlives the driver)
/// @return the driver
[[nodiscard]] std::unique_ptr<driver> make_driver(asio::io_context& io, const server_config& config);

/// The `iterative` model (iterative_driver.cpp): one thread accepts a connection and serves it
/// to the end before it accepts the next; the others wait in the listen queue.
/// @param io the event loop
/// @param config the settings (outlives the driver)
/// @return the driver
[[nodiscard]] std::unique_ptr<driver> make_iterative_driver(asio::io_context& io,
                                                            const server_config& config);
/// The `thread-per-connection` model (thread_per_connection_driver.cpp): every accepted
/// connection gets a new thread of its own, up to `max_connections`.
/// @param io the event loop
/// @param config the settings (outlives the driver)
/// @return the driver
[[nodiscard]] std::unique_ptr<driver> make_thread_per_connection_driver(asio::io_context& io,
                                                                        const server_config& config);
/// The `thread-pool` model (thread_pool_driver.cpp): accepted connections wait in a bounded
/// queue for one of a fixed number of worker threads.
/// @param io the event loop
/// @param config the settings (outlives the driver)
/// @return the driver
[[nodiscard]] std::unique_ptr<driver> make_thread_pool_driver(asio::io_context& io,
                                                              const server_config& config);
/// The `async` model (async_driver.cpp): every connection is a coroutine on the event loop,
/// which worker_threads() threads run.
/// @param io the event loop the coroutines run on
/// @param config the settings (outlives the driver)
/// @return the driver
[[nodiscard]] std::unique_ptr<driver> make_async_driver(asio::io_context& io, const server_config& config);

}  // namespace socketlab::server
