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
  /// @param port the server's port
  /// @param host its address
  /// @param receive_buffer SO_RCVBUF, set before connecting so that the window the client
  ///        announces is small from the start (a slow reader's); 0 keeps the system's
  /// @throws std::system_error when the connection fails
  explicit raw_client(std::uint16_t port, const std::string& host = "127.0.0.1", int receive_buffer = 0);

  /// Reads like a slow client from now on: at most @p bytes per read, after a pause of @p pause.
  /// @param bytes the most each read takes
  /// @param pause how long to wait before each read
  void pace(std::size_t bytes, std::chrono::milliseconds pause) {
    pace_bytes_ = bytes;
    pace_pause_ = pause;
  }

  /// Reads until at least @p n bytes are pending (they stay there for read_response()).
  /// @throws std::runtime_error on timeout or a close before they came
  void read_at_least(std::size_t n, std::chrono::milliseconds timeout = 5s);

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
  std::size_t pace_bytes_ = 16 * 1024;       ///< the most one read takes
  std::chrono::milliseconds pace_pause_{0};  ///< the wait before each read
};

/// Sends @p request on a new connection and returns the first response.
http::response round_trip(std::uint16_t port, std::string_view request);

}  // namespace socketlab::test
