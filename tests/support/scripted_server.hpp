/// @file
/// A tiny TCP server for client tests: each connection gets exactly the bytes a test scripts.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

namespace socketlab::test {

/// A server on 127.0.0.1, port 0, that serves one connection at a time on its own thread,
/// by calling a script with the accepted socket (blocking calls are fine in a script).
/// What the socketlab server never sends — chunked bodies, close-delimited bodies, 1xx, a
/// response in pieces, malformed bytes, silence — a script can.
///
/// One connection at a time: while a script runs, later connections wait in the listen queue
/// (which the backlog tests rely on). A script must return once the client has closed.
/// The destructor stops accepting and joins the thread (after the running script returns).
class scripted_server {
 public:
  /// What to do with one accepted connection.
  using script = std::function<void(asio::ip::tcp::socket& socket)>;

  /// Listens at once (clients may connect when the constructor returns) and serves @p s.
  explicit scripted_server(script s, int backlog = asio::socket_base::max_listen_connections);
  ~scripted_server();
  scripted_server(const scripted_server&) = delete;
  scripted_server& operator=(const scripted_server&) = delete;

  /// @return the port it listens on
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  /// @return how many connections the scripts have finished
  [[nodiscard]] int served() const noexcept { return served_.load(); }
  /// @return "http://127.0.0.1:PORT" followed by @p path
  [[nodiscard]] std::string url(std::string_view path = "/") const;

  /// Reads up to and including the blank line that ends a request head.
  /// @return the head, or what came before the client closed
  static std::string read_head(asio::ip::tcp::socket& socket);
  /// Writes all of @p bytes (ignoring errors: the client may have gone).
  static void write(asio::ip::tcp::socket& socket, std::string_view bytes);
  /// Reads and discards until the client closes (or resets) the connection.
  static void drain_until_close(asio::ip::tcp::socket& socket);

 private:
  void accept_next();

  asio::io_context ioc_{1};
  asio::ip::tcp::acceptor acceptor_{ioc_};
  script script_;
  std::uint16_t port_ = 0;
  std::atomic<int> served_{0};
  std::thread thread_;
};

}  // namespace socketlab::test
