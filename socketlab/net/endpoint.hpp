/// @file
/// Addresses and ports as people write them: "127.0.0.1:8888", "[::1]:8888", "localhost:80".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <asio/ip/address.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>

namespace socketlab::net {

/// A host (name or address literal, without brackets) and a port.
struct host_port {
  std::string host;        ///< "127.0.0.1", "::1" or "example.com"
  std::uint16_t port = 0;  ///< 0 asks the system for a free port when listening
};

/// Parses a port number "0".."65535".
/// @param text decimal digits
/// @return the port
/// @throws std::invalid_argument with a sentence saying what is wrong and what would be right
[[nodiscard]] std::uint16_t parse_port(std::string_view text);

/// Parses "host:port", "[v6-address]:port" or an IPv4/name without port when
/// @p default_port is given.
/// @param text what the user wrote
/// @param default_port used when the text has no port; negative means a port is required
/// @return host (brackets removed) and port
/// @throws std::invalid_argument naming the problem, e.g. "'::1:80': put an IPv6 address in brackets:
/// [::1]:80"
[[nodiscard]] host_port parse_host_port(std::string_view text, int default_port = -1);

/// Parses an IPv4 or IPv6 address literal (no names).
/// @param text e.g. "127.0.0.1" or "::1"
/// @return the address
/// @throws std::invalid_argument with a sentence saying what would be right
[[nodiscard]] asio::ip::address parse_address(std::string_view text);

/// Formats an address as inet_ntop does: "127.0.0.1", "::1", "::ffff:10.0.0.1". An IPv4 address
/// is written without inet_ntop, whose glibc version calls sprintf: the server names each new
/// client in its access log, so this is on a logged connection's path.
/// @param address the address
/// @return the text
[[nodiscard]] std::string to_string(const asio::ip::address& address);

/// Formats an address and port the way URLs write them: "127.0.0.1:8888", "[::1]:8888".
/// @param address the address
/// @param port the port
/// @return the text
[[nodiscard]] std::string to_string(const asio::ip::address& address, std::uint16_t port);

/// Formats a TCP endpoint: "127.0.0.1:8888", "[::1]:8888".
/// @param ep the endpoint
/// @return the text
[[nodiscard]] std::string to_string(const asio::ip::tcp::endpoint& ep);

/// Formats a UDP endpoint: "127.0.0.1:7007", "[::1]:7007".
/// @param ep the endpoint
/// @return the text
[[nodiscard]] std::string to_string(const asio::ip::udp::endpoint& ep);

}  // namespace socketlab::net
