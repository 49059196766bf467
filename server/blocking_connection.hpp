/// @file
/// What the three blocking serving models share: one thread accepting on every port, and
/// one connection served start to end on whichever thread the model gives it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "server/config.hpp"
#include "server/driver.hpp"
#include "socketlab/net/readiness.hpp"

namespace socketlab::server {

/// A connection the accepting thread took from a listen queue.
struct accepted_connection {
  asio::ip::tcp::socket socket;  ///< the connection
  asio::ip::tcp::endpoint peer;  ///< the client's address and port
  const served_port* port;       ///< the port it came in on, and its site
};

/// Serves one connection on the calling thread until it closes: wait for bytes (or the
/// deadline, or the stop signal), hand them to an http_session, write what it answers,
/// again. The session decides everything; this only moves bytes, as async_driver does with
/// coroutines. The socket is non-blocking, and every wait goes through net::wait_any() with
/// the session's deadline: that is how a blocking server answers 408 to a slow client
/// instead of waiting for it forever.
///
/// @param c the connection (closed when this returns)
/// @param config the settings
/// @param stop raised when the server stops: an idle connection then closes, one in the middle
///             of a request is answered first
/// @param others_waiting when set and true as a request arrives, that request's response is the
///             last on this connection (`Connection: close`): a pool's thread is handed back
void serve_blocking(accepted_connection c, const server_config& config, net::wake_signal& stop,
                    const std::function<bool()>& others_waiting = {});

/// Answers a connection the server has no room for: 503, `Retry-After: 1`, then close.
/// Never waits for the client for long: it runs on the accepting thread.
/// @param c the connection
/// @param config the settings
void refuse_overloaded(accepted_connection c, const server_config& config);

/// The part every blocking model shares: ports to serve, one accepting thread that waits on
/// all of them at once (and on the stop signal), the `--max-connections` guard, and counting
/// the connections still open so that join() waits for them. A model only says what happens
/// to a connection once accepted (on_accepted()).
class blocking_driver : public driver {
 public:
  /// @param config the settings (outlives the driver)
  explicit blocking_driver(const server_config& config);
  ~blocking_driver() override;
  blocking_driver(const blocking_driver&) = delete;
  blocking_driver& operator=(const blocking_driver&) = delete;

  void serve(const served_port& port) override;
  /// Starts the accepting thread.
  void start() override;
  /// Raises the stop signal: every waiting thread of this driver wakes up.
  void stop() override;
  /// Joins the accepting thread, calls finish(), and waits until every connection is closed.
  void join() override;

 protected:
  /// What the model does with a connection, on the accepting thread. The model must serve
  /// it (serve_connection()), now or later, on some thread.
  /// @param c the connection
  virtual void on_accepted(accepted_connection c) = 0;

  /// Called by join() once the accepting thread has ended: a model joins its own threads.
  virtual void finish() {}

  /// Serves @p c with serve_blocking(), then connection_closed().
  /// @param c the connection
  /// @param others_waiting see serve_blocking()
  void serve_connection(accepted_connection c, const std::function<bool()>& others_waiting = {});

  /// Counts a connection closed. Once the last is, join() may return and the server be
  /// destroyed: the calling thread must hold none of its objects any more (not even a
  /// moved-from socket).
  void connection_closed();

  /// The settings.
  [[nodiscard]] const server_config& config() const noexcept { return config_; }

  /// The stop signal, for a model's own waits.
  [[nodiscard]] net::wake_signal& stop_signal() noexcept { return stop_; }

 private:
  /// Accepts on every port until stopped.
  void accept_loop();

  const server_config& config_;     ///< the settings
  net::wake_signal stop_;           ///< raised by stop()
  std::vector<served_port> ports_;  ///< what to accept on
  std::thread acceptor_;            ///< runs accept_loop()
  std::mutex mutex_;                ///< guards open_
  std::condition_variable closed_;  ///< signalled when open_ drops to 0
  int open_ = 0;                    ///< connections accepted and not yet closed
};

}  // namespace socketlab::server
