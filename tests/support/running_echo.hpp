/// @file
/// An echo server (UDP or TCP) running inside the test process, stopped by a scope guard.
#pragma once

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
/// server on its thread and joins it.
///
/// Threading: the server lives on its own thread; read its state only through on_server().
template <typename Server, typename Config>
class running_echo {
 public:
  /// Binds @p config's host on a free port (config.port is ignored) and starts serving.
  /// @throws net::listen_failure when the address cannot be bound
  explicit running_echo(Config config) : server_(io_, with_port_0(std::move(config))) {
    server_.start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~running_echo() {
    asio::post(io_, [this] { server_.stop(); });
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
  asio::io_context io_{1};  ///< the server's event loop, run by thread_
  Server server_;           ///< the server under test
  std::thread thread_;      ///< runs io_ until the server has stopped
};

/// A UDP echo server on port 0 (127.0.0.1 unless the config says otherwise).
using running_udp_echo = running_echo<server::udp_echo_server, server::udp_echo_config>;
/// A TCP echo server on port 0 (127.0.0.1 unless the config says otherwise).
using running_tcp_echo = running_echo<server::tcp_echo_server, server::tcp_echo_config>;

}  // namespace socketlab::test
