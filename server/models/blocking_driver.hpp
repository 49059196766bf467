/// @file
/// What the three blocking serving models share: one thread accepting on every port, the
/// `--max-connections` rule, and counting the connections still open.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "server/config.hpp"
#include "server/http_session.hpp"
#include "server/models/driver.hpp"
#include "server/models/serve_blocking.hpp"
#include "socketlab/net/wake_signal.hpp"

namespace socketlab::server {

/// The part every blocking model shares: ports to serve, one accepting thread that waits on
/// all of them at once (and on the stop signal), the `--max-connections` guard with its 503s,
/// and counting the connections still open so that join() waits for them. A model only says
/// what happens to a connection once accepted (on_accepted()).
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
  /// it (serve_connection()), now or later, on some thread, or refuse() it.
  /// @param c the connection
  virtual void on_accepted(accepted_connection c) = 0;

  /// Called by join() once the accepting thread has ended: a model joins its own threads.
  virtual void finish() {}

  /// Serves @p c with serve_blocking(), then connection_closed() (however serving ends).
  /// @param c the connection
  /// @param hand_back see serve_blocking()
  void serve_connection(accepted_connection c, net::wake_signal* hand_back = nullptr);

  /// Counts a connection closed. Once the last is, join() may return and the server be
  /// destroyed: the calling thread must hold none of its objects any more (not even a
  /// moved-from socket).
  void connection_closed();

  /// Calls connection_closed() when it goes out of scope: a connection is counted out however its
  /// serving ends, an exception included, so that join() and a stop still return.
  class closed_on_exit {
   public:
    /// @param d the driver that counted the connection in
    explicit closed_on_exit(blocking_driver& d) noexcept : driver_(d) {}
    ~closed_on_exit() { driver_.connection_closed(); }
    closed_on_exit(const closed_on_exit&) = delete;
    closed_on_exit& operator=(const closed_on_exit&) = delete;

   private:
    blocking_driver& driver_;
  };

  /// Answers @p c with a 503 (http_session::on_overload()), on the accepting thread, which
  /// then lets the client's request arrive, unread, until the client closes or
  /// http_session::linger_time passes: closing at once could reset the connection and destroy
  /// the 503 on its way. Not counted as open; counted among the refusals admit() limits.
  /// @param c the connection
  void refuse(accepted_connection c);

  /// The settings.
  /// @return the server's settings (they outlive the driver)
  [[nodiscard]] const server_config& config() const noexcept { return config_; }

  /// The stop signal, for a model's own waits.
  /// @return the signal stop() raises; wait on its entry() next to a socket
  [[nodiscard]] net::wake_signal& stop_signal() noexcept { return stop_; }

 private:
  /// A refused connection, drained until the client closes or `until`.
  struct refusal {
    asio::ip::tcp::socket socket;           ///< the connection, its sending side shut
    http_session::clock::time_point until;  ///< when to close it anyway
  };

  /// Accepts on every port until stopped.
  void accept_loop();
  /// Accepts one connection from @p port if one is waiting, and hands it to the model.
  void accept_from(const served_port& port);
  /// Closes the listeners and the refused connections: on the accepting thread, once it sees the
  /// stop (in accept_loop(), or serving a connection itself).
  void stop_accepting();
  /// Reads what refused clients sent; closes those that closed or whose time is up.
  void drain_refusals(http_session::clock::time_point now);
  /// The accepting thread's own state (refusing_) is touched there only: the contract, checked.
  [[nodiscard]] bool on_accepting_thread() const noexcept {
    return std::this_thread::get_id() == accepting_thread_;
  }

  const server_config& config_;       ///< the settings
  asio::io_context io_;               ///< owns the accepted sockets; never run (nothing here is asynchronous)
  net::wake_signal stop_;             ///< raised by stop()
  std::vector<served_port> ports_;    ///< what to accept on
  std::vector<refusal> refusing_;     ///< 503s being closed (the accepting thread's only)
  std::thread acceptor_;              ///< runs accept_loop()
  std::thread::id accepting_thread_;  ///< set by accept_loop() itself (acceptor_ may not hold the id yet)
  std::mutex mutex_;                  ///< guards open_
  std::condition_variable closed_;    ///< signalled when open_ drops to 0
  int open_ = 0;                      ///< connections accepted and not yet closed
};

}  // namespace socketlab::server
