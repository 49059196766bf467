/// @file
/// A test client that sends exact bytes and reads with deadlines (no sleeps).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "socketlab/http/response.hpp"
#include "socketlab/http/response_parser.hpp"

namespace socketlab::test {

using namespace std::chrono_literals;

/// A blocking TCP client for tests: every read waits at most a given time, so a server
/// that does not answer fails the test instead of hanging it.
class raw_client {
 public:
  /// Connects to @p host : @p port.
  /// @throws std::system_error when the connection fails
  explicit raw_client(std::uint16_t port, const std::string& host = "127.0.0.1");

  /// Sends all of @p bytes.
  void send(std::string_view bytes);

  /// Reads the next response (1xx responses included), parsing with http::response_parser.
  /// @param head the request was HEAD: no body follows
  /// @param timeout how long to wait
  /// @throws std::runtime_error on timeout, malformed response or a close before the end
  http::response read_response(bool head = false, std::chrono::milliseconds timeout = 5s);

  /// Reads until the server closes the connection, and returns what came.
  /// @throws std::runtime_error if the connection is still open after @p timeout
  std::string read_until_close(std::chrono::milliseconds timeout = 5s);

  /// Whether the server closed the connection within @p timeout (bytes that came first are
  /// discarded).
  bool closed_within(std::chrono::milliseconds timeout);

  /// Shuts down the sending side (FIN), as a client that has nothing more to say.
  void shutdown_send();

  /// Bytes received but not yet consumed by read_response().
  [[nodiscard]] const std::string& pending() const noexcept { return pending_; }

 private:
  /// Reads some bytes into pending_; false on end of stream. Throws on timeout.
  bool read_some(std::chrono::steady_clock::time_point deadline);

  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  std::string pending_;
};

/// Sends @p request on a new connection and returns the first response.
http::response round_trip(std::uint16_t port, std::string_view request);

}  // namespace socketlab::test
