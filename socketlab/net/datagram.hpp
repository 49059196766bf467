/// @file
/// UDP datagrams: how large one may be, and receiving one without losing sight of truncation.
#pragma once

#include <cstddef>
#include <span>
#include <system_error>

#include <asio/ip/udp.hpp>

namespace socketlab::net {

/// The largest UDP payload over IPv4: the 16-bit IP total length (65,535) minus the 20-byte IP
/// header and the 8-byte UDP header.
inline constexpr std::size_t max_udp_payload_ipv4 = 65'507;
/// The largest UDP payload over IPv6: the 16-bit payload length (65,535, which excludes the
/// IPv6 header) minus the 8-byte UDP header. (Jumbograms, RFC 2675, are not for UDP sockets.)
inline constexpr std::size_t max_udp_payload_ipv6 = 65'527;

/// Whether packets to @p address travel over IPv6. An IPv4-mapped address (`::%ffff:127.0.0.1`)
/// is written as IPv6 but its packets go over IPv4, with IPv4's limits.
/// @param address an address
/// @return true for IPv6 addresses that are not IPv4-mapped
[[nodiscard]] bool travels_over_ipv6(const asio::ip::address& address) noexcept;

/// The largest payload one datagram to or from @p ep can carry.
/// @param ep an endpoint (its address family decides)
/// @return max_udp_payload_ipv6 when it travels_over_ipv6(), else max_udp_payload_ipv4
[[nodiscard]] std::size_t max_udp_payload(const asio::ip::udp::endpoint& ep) noexcept;

/// What receive_datagram() got.
struct datagram_receipt {
  std::size_t bytes = 0;   ///< bytes copied into the buffer
  std::size_t size = 0;    ///< the datagram's real size; 0 when it was truncated and the system does
                           ///< not tell (macOS, Windows)
  bool truncated = false;  ///< the datagram was larger than the buffer: the rest is gone
};

/// Receives one datagram on a connected UDP socket without blocking, and says whether it was
/// cut to fit @p buffer. A datagram is read whole or not at all: what does not fit is
/// discarded by the system (there is no second read for the rest, unlike TCP), and plain
/// recv() says nothing about it on Linux and macOS (Asio hides it on Windows too). So this
/// asks the system: MSG_TRUNC on Linux (which also gives the real size), the MSG_TRUNC flag of
/// recvmsg() on macOS, WSAEMSGSIZE on Windows.
///
/// Call it when the socket is readable (after async_wait(wait_read)).
/// @param socket an open, connected UDP socket
/// @param buffer where the bytes go
/// @param ec asio::error::would_block when no datagram is waiting; connection_refused when the
///   peer's system answered an earlier datagram with ICMP "port unreachable" (nothing listens
///   there); else the system's error
/// @return the bytes received and whether the datagram was truncated
[[nodiscard]] datagram_receipt receive_datagram(asio::ip::udp::socket& socket, std::span<char> buffer,
                                                std::error_code& ec);

}  // namespace socketlab::net
