/// @file
/// `socketlab-server tcp-echo`: the Echo Protocol over TCP (RFC 862), a byte-stream echo.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "server/log_sink.hpp"
#include "socketlab/net/tcp_listener.hpp"

namespace socketlab::server {

/// The TCP echo server's settings.
struct tcp_echo_config {
  std::string host = "127.0.0.1";          ///< address to listen on; loopback unless asked
  std::uint16_t port = 7007;               ///< the echo service's port is 7, which needs privileges
  int backlog = 0;                         ///< listen queue length; 0: the system's maximum
  std::chrono::milliseconds idle{60'000};  ///< a connection with nothing to echo for this long is closed
  bool verbose = false;                    ///< a line per read
  log_sink console;                        ///< where those lines go
};

/// A listener and a coroutine per connection: read whatever has arrived, write it back, until
/// the client closes. Unlike udp_echo_server there is an accept, a connection and a loop per
/// client, and no message boundaries: five writes of 10 bytes may be read as one read of 50.
///
/// @code
///   for (;;) {
///     n = read_some(buffer);   // 1 .. 16384 bytes: whatever the stream holds now
///     write(buffer[0..n));      // all of them, however many writes that takes
///   }
/// @endcode
///
/// A connection is registered (in the set stop() closes) when it is accepted, before its
/// coroutine runs, and taken out again by a destructor on every way out of that coroutine: a
/// normal close, an error, an exception, or a coroutine that never ran. So stop() ends every
/// connection at once, and an exception cannot leave one behind with its idle watchdog running.
///
/// Threading: one io_context thread; stop() from that thread (post it there).
class tcp_echo_server {
 public:
  /// Listens now, so a taken port fails at start-up.
  /// @param io the event loop
  /// @param config the settings
  /// @throws net::listen_failure when the port cannot be used ("port 7007 is already in use ...")
  /// @throws std::invalid_argument when the host is not an IP address
  tcp_echo_server(asio::io_context& io, tcp_echo_config config);

  /// Starts accepting on the io_context.
  void start();
  /// Stops accepting and closes every connection, those accepted but not yet started too; a
  /// connection accepted after this (its accept had completed, its completion was still queued)
  /// is closed at once. The loop then runs out of work without waiting for any idle timeout.
  void stop();

  /// @return the bound address and port
  [[nodiscard]] asio::ip::tcp::endpoint local_endpoint() const { return listener_.local_endpoint(); }
  /// @return connections accepted and served so far (not one closed at once after stop())
  [[nodiscard]] std::uint64_t connections() const noexcept { return connections_; }
  /// @return connections open now: accepted and not yet ended
  [[nodiscard]] std::size_t open_connections() const noexcept { return open_->size(); }

 private:
  struct connection;                                ///< one client's socket and idle watchdog
  class registration;                               ///< a place in open_, given up by its destructor (RAII)
  using connection_set = std::vector<connection*>;  ///< the connections stop() closes

  /// Accepts connections until stop(); registers each before its coroutine is spawned.
  asio::awaitable<void> accept_loop();
  /// Echoes one connection until it closes, goes idle, or stop(); @p r ends it on every way out.
  asio::awaitable<void> echo(registration r);
  /// Writes a -v line.
  void log(const std::string& line) const;

  asio::io_context& io_;           ///< the event loop
  tcp_echo_config config_;         ///< the settings
  net::tcp_listener listener_;     ///< the listening socket
  std::uint64_t connections_ = 0;  ///< accepted and served so far
  bool stopping_ = false;          ///< stop() was called: accept no more
  /// Connections accepted and not yet ended, for stop(). Shared with their registrations, which
  /// may outlive the server: an event loop destroyed after it destroys the coroutines it still holds.
  std::shared_ptr<connection_set> open_ = std::make_shared<connection_set>();
};

}  // namespace socketlab::server
