/// @file
/// One client TCP connection in plain blocking style, with a deadline on every step (get's
/// connection; nothing to do with the server's connections).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

namespace socketlab::client {

/// A client TCP connection whose connect, write and read each end by a deadline.
///
/// Plain blocking sockets cannot time out portably, so each call starts the asynchronous
/// operation and runs the io_context until the operation completes or the deadline passes,
/// then closes the socket to cancel it: the technique of Asio's timeouts example
/// (`blocking_tcp_client.cpp`). The caller reads straight-line code; a slow or silent
/// server gives asio::error::timed_out instead of a hang.
///
/// Threading: one thread uses a client (and its io_context) at a time.
class blocking_tcp_client {
 public:
  using clock = std::chrono::steady_clock;  ///< every time here is on the steady clock
  /// Receives the steps of open(), one line each ("Trying 127.0.0.1:8888...").
  using step_log = std::function<void(std::string_view line)>;

  /// A client with no connection open.
  blocking_tcp_client();

  /// Resolves @p host and tries each of its addresses in turn until one accepts, as curl
  /// does ("localhost" may be ::1 and 127.0.0.1). Closes any earlier connection first.
  /// Sets TCP_NODELAY, so each write goes out at once (--split relies on it).
  /// @param host name or address literal
  /// @param port TCP port
  /// @param deadline when to give up connecting (the name lookup itself is the system's
  ///   getaddrinfo(), which cannot be cancelled, so a slow DNS server can take longer)
  /// @param log receives each step; may be empty
  /// @return empty on success; else the error of the last address tried (host_not_found,
  ///   connection_refused, timed_out, ...)
  std::error_code open(const std::string& host, std::uint16_t port, clock::time_point deadline,
                       const step_log& log = {});

  /// Writes all of @p data.
  /// @param data the bytes
  /// @param deadline when to give up writing, e.g. when a server that reads nothing has let the
  ///   buffers fill (the socket is then closed and the result is asio::error::timed_out)
  /// @return empty on success; else timed_out, broken_pipe, connection_reset, ...
  std::error_code write(std::string_view data, clock::time_point deadline);

  /// Reads what has arrived, at least one byte, at most @p buffer.size().
  /// @param buffer where the bytes go
  /// @param deadline when to give up waiting for a byte (the socket is then closed and @p ec is
  ///   asio::error::timed_out)
  /// @param ec set on failure: asio::error::eof when the server closed, timed_out, ...
  /// @return the number of bytes read
  std::size_t read_some(std::span<char> buffer, clock::time_point deadline, std::error_code& ec);

  /// Closes the socket (no error if it was not open).
  void close();

  /// @return whether a connection is open
  [[nodiscard]] bool is_open() const { return socket_.is_open(); }
  /// @return the address and port this side uses (valid once open)
  [[nodiscard]] const asio::ip::tcp::endpoint& local() const noexcept { return local_; }
  /// @return the server's address and port (valid once open)
  [[nodiscard]] const asio::ip::tcp::endpoint& remote() const noexcept { return remote_; }
  /// @return every address open() tried last time, in order
  [[nodiscard]] const std::vector<asio::ip::tcp::endpoint>& tried() const noexcept { return tried_; }

 private:
  /// Runs the io_context until @p done or @p deadline; on the deadline, closes the socket so
  /// that the pending operation completes with operation_aborted, and reports timed_out.
  void run_until(const bool& done, clock::time_point deadline, std::error_code& ec);

  asio::io_context ioc_{1};                     ///< runs only while a call waits
  asio::ip::tcp::socket socket_{ioc_};          ///< the connection
  asio::ip::tcp::endpoint local_;               ///< our side
  asio::ip::tcp::endpoint remote_;              ///< the server's side
  std::vector<asio::ip::tcp::endpoint> tried_;  ///< addresses open() tried
};

}  // namespace socketlab::client
