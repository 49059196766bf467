/// @file
/// An echo server (UDP or TCP) running inside the test process, stopped by a scope guard.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <future>
#include <memory>
#include <thread>
#include <utility>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "server/echo/tcp_echo_server.hpp"
#include "server/echo/udp_echo_server.hpp"
#include "support/catch.hpp"

namespace socketlab::test {

/// An echo server (server::udp_echo_server or server::tcp_echo_server) on port 0 of its
/// config's host, run on a thread of its own. The constructor returns once the socket is
/// bound (and, for TCP, listening), so clients may send at once; the destructor stops the
/// server on its thread and joins it. stop_within() stops it earlier, with a bound on how long
/// its loop may take to finish, so a server that fails to stop fails a test instead of hanging it.
///
/// Threading: the server lives on its own thread; read its state only through on_server().
template <typename Server, typename Config>
class running_echo {
 public:
  /// Binds @p config's host on a free port (config.port is ignored) and starts serving.
  /// @throws net::listen_failure when the address cannot be bound
  explicit running_echo(Config config) : server_(io_, with_port_0(std::move(config))) {
    server_.start();
    thread_ = std::thread([this] {
      io_.run();
      ran_out_.set_value();
    });
  }
  ~running_echo() {
    asio::post(io_, [this] { server_.stop(); });  // a second stop() is harmless
    thread_.join();
  }
  running_echo(const running_echo&) = delete;
  running_echo& operator=(const running_echo&) = delete;

  /// A server on the IPv6 loopback ::1, or nullptr, with a Catch2 warning, on a machine that
  /// has none (some containers and CI runners): the caller's test then has nothing to check.
  /// @param config the settings; its host is set to "::1"
  static std::unique_ptr<running_echo> on_ipv6_loopback(Config config = {}) {
    config.host = "::1";
    try {
      return std::make_unique<running_echo>(std::move(config));
    } catch (const std::exception& e) {
      WARN("no IPv6 loopback here: " << e.what());
      return nullptr;
    }
  }

  /// Stops the server on its thread and waits until its loop has run out of work, that is
  /// until every connection, timer and coroutine of the server has ended.
  /// @param limit the longest wait; past it the loop is stopped by force (what is still
  ///        pending is abandoned) so that the destructor's join returns
  /// @return true when the loop finished by itself within @p limit
  bool stop_within(std::chrono::milliseconds limit) {
    asio::post(io_, [this] { server_.stop(); });
    return finished_within(limit);
  }

  /// Waits until the server's loop has run out of work, after a stop() the test has arranged
  /// itself (from post(), say).
  /// @param limit the longest wait; past it the loop is stopped by force, as in stop_within()
  /// @return true when the loop finished by itself within @p limit
  bool finished_within(std::chrono::milliseconds limit) {
    const bool finished = finished_.wait_for(limit) == std::future_status::ready;
    if (!finished) io_.stop();
    return finished;
  }

  /// Runs @p f with the server on the server's thread, without waiting for it.
  template <typename F>
  void post(F f) {
    asio::post(io_, [this, f = std::move(f)]() mutable { f(server_); });
  }

  /// @return the port the server is bound to
  [[nodiscard]] std::uint16_t port() const { return server_.local_endpoint().port(); }

  /// Runs @p f with the server on the server's thread and returns its result: the one safe
  /// way to read its statistics while it runs.
  template <typename F>
  auto on_server(F f) {
    std::promise<decltype(f(server_))> result;
    asio::post(io_, [&] { result.set_value(f(server_)); });
    return result.get_future().get();
  }

 private:
  static Config with_port_0(Config c) {
    c.port = 0;
    return c;
  }
  asio::io_context io_{1};                              ///< the server's event loop, run by thread_
  Server server_;                                       ///< the server under test
  std::promise<void> ran_out_;                          ///< set when io_.run() has returned
  std::future<void> finished_ = ran_out_.get_future();  ///< ready once ran_out_ is set
  std::thread thread_;                                  ///< runs io_ until the server has stopped
};

/// A UDP echo server on port 0 (127.0.0.1 unless the config says otherwise).
using running_udp_echo = running_echo<server::udp_echo_server, server::udp_echo_config>;
/// A TCP echo server on port 0 (127.0.0.1 unless the config says otherwise).
using running_tcp_echo = running_echo<server::tcp_echo_server, server::tcp_echo_config>;

}  // namespace socketlab::test
