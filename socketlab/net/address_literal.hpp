/// @file
/// Internal: address literals read by the same rules on every system.
///
/// asio::ip::make_address() hands the text to the system, and the systems disagree: on
/// Windows (WSAStringToAddress) "127.0.0.1:80" and "[::1]:80" are addresses with the port
/// silently dropped, "127.1" is 127.0.0.1 and "010.0.0.1" is octal 8.0.0.1; inet_pton on
/// POSIX refuses all four. socketlab takes POSIX's reading everywhere, so a typo means the
/// same thing on a learner's Windows laptop as on the Linux server.
#pragma once

#include <optional>
#include <string_view>

#include <asio/ip/address.hpp>

namespace socketlab::net::detail {

/// True when @p text is one or more ASCII digits and nothing else (no sign, no spaces).
[[nodiscard]] bool is_decimal(std::string_view text) noexcept;

/// Parses an IPv4 dotted quad ("127.0.0.1") or an IPv6 address ("::1", "fe80::1%1").
/// @param text the literal, without brackets or port
/// @return the address, or nothing when @p text is not a literal by POSIX inet_pton's rules
[[nodiscard]] std::optional<asio::ip::address> parse_address_literal(std::string_view text);

}  // namespace socketlab::net::detail
