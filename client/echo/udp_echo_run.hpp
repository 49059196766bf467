/// @file
/// An echo run over UDP: one socket, a datagram per message. tcp_echo_run.hpp is the same over
/// TCP: the two files differ where the transports do.
#pragma once

#include <string>
#include <system_error>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>

#include "client/echo/echo_run.hpp"

namespace socketlab::client {

/// The echo run over one UDP socket. The socket is connect()ed, which sends nothing but fixes
/// the peer: the system then drops datagrams from anyone else and reports an ICMP "port
/// unreachable" as connection_refused. Each echo is matched to its message by the number in its
/// first 8 bytes.
class udp_echo_run final : public echo_run {
 public:
  /// A run not yet started.
  /// @param io the event loop it runs on
  /// @param options the workload
  /// @param observer told of each echo of a numbered message; may be empty
  udp_echo_run(asio::io_context& io, const echo_options& options, const echo_observer& observer);

 private:
  /// Records the first address as the peer; nothing is sent. The socket is made non-blocking,
  /// for send().
  asio::awaitable<bool> connect(const std::vector<asio::ip::tcp::endpoint>& addresses) override;
  /// Sends @p message as one datagram: at once if the send buffer has room, else once it has.
  /// A datagram too long is refused by the send itself (message_size).
  asio::awaitable<std::error_code> send(const std::string& message) override;
  /// send(): it never waits while the system takes the datagram.
  asio::awaitable<std::error_code> send_back_to_back(const std::string& message) override;
  /// Once the socket is readable, every datagram waiting, one receive each.
  asio::awaitable<void> receive() override;
  /// Closes the socket.
  void close() override;

  asio::ip::udp::socket socket_;  ///< the socket, connect()ed to the server
};

}  // namespace socketlab::client
