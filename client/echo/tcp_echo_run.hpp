/// @file
/// An echo run over TCP: one connection, a byte stream. udp_echo_run.hpp is the same over UDP:
/// the two files differ where the transports do.
#pragma once

#include <string>
#include <system_error>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "client/echo/echo_run.hpp"

namespace socketlab::client {

/// The echo run over one TCP connection. The echo is a byte stream in the order sent, so the
/// k-th --size bytes back are message k; what each read returns is counted as it comes.
class tcp_echo_run final : public echo_run {
 public:
  /// A run not yet started.
  /// @param io the event loop it runs on
  /// @param options the workload
  /// @param observer told of each echo of a numbered message; may be empty
  tcp_echo_run(asio::io_context& io, const echo_options& options, const echo_observer& observer);

 private:
  /// The three-way handshake, timed; each address of the name in turn, as curl does. The
  /// connection is then made non-blocking, for send_back_to_back().
  asio::awaitable<bool> connect(const std::vector<asio::ip::tcp::endpoint>& addresses) override;
  /// Writes all of @p message.
  asio::awaitable<std::error_code> send(const std::string& message) override;
  /// Writes what of @p message the send buffer takes at once; the rest, if any, as send() does.
  asio::awaitable<std::error_code> send_back_to_back(const std::string& message) override;
  /// Each read brings what has arrived of the stream.
  asio::awaitable<void> receive() override;
  /// Closes the connection.
  void close() override;

  asio::ip::tcp::socket socket_;    ///< the connection
  bool connecting_ = false;         ///< a connect is under way
  bool connect_timed_out_ = false;  ///< the timer closed the socket to end it
};

}  // namespace socketlab::client
