/// @file
/// A port on 127.0.0.1 where nothing listens (TCP) or receives (UDP), for "connection refused" tests.
#pragma once

#include <cstdint>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>

namespace socketlab::test {

/// A socket bound to 127.0.0.1 on a free port but not listening: it holds the port (nothing
/// else can take it meanwhile) and the system refuses connections to it at once, exactly as
/// for a port nobody uses.
struct unused_port {
  asio::io_context ioc;                                     ///< for the socket
  asio::ip::tcp::acceptor bound{ioc, asio::ip::tcp::v4()};  ///< bound, never listening
  unused_port() { bound.bind({asio::ip::make_address("127.0.0.1"), 0}); }
  /// @return the port
  [[nodiscard]] std::uint16_t port() const { return bound.local_endpoint().port(); }
};

/// A UDP port on 127.0.0.1 where nobody receives: bound by a socket that is closed again at
/// once, so a datagram sent there draws an ICMP "port unreachable". Unlike unused_port it
/// cannot be held: a bound UDP socket takes datagrams in whether or not it reads them. (Another
/// program could bind the port in the meantime; the size of the ephemeral range makes that rare.)
/// @return the port
inline std::uint16_t closed_udp_port() {
  asio::io_context ioc;
  const asio::ip::udp::socket bound(ioc, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return bound.local_endpoint().port();
}

}  // namespace socketlab::test
