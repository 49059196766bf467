/// @file
/// The URLs socketlab-client accepts: `%http://host[:port][/path][?query]`, as curl reads them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace socketlab::client {

/// Where a request goes: the parts of an HTTP URL that reach the wire.
struct url {
  std::string host;          ///< name or address literal, IPv6 without brackets ("::1")
  std::uint16_t port = 80;   ///< the TCP port; 80 when the URL names none
  std::string target = "/";  ///< path and query as sent on the request line; never empty
};

/// Parses what a user typed after `socketlab-client get`.
///
/// Accepted: `%http://host[:port][/path][?query]`, IPv6 literals in brackets
/// (`%http://[::1]:8888/`), and, like curl, `host[:port][/path]` without a scheme. The scheme is
/// matched case-insensitively. A fragment (`#...`) is dropped: browsers and curl never send it.
/// An empty path becomes "/"; the query stays in the target. Bytes outside ASCII in the path or
/// query (`/café`) are percent-encoded (`/caf%C3%A9`), as a browser sends them: a request line
/// cannot carry them.
/// @param text the URL
/// @return host, port and request target
/// @throws std::invalid_argument with a sentence saying what is wrong and what would be right:
///   https and other schemes, userinfo (`user@host`), whitespace or control characters, an
///   empty host or one with bytes outside ASCII (a Host field cannot carry them: an international
///   name is written in its ASCII form, `xn--...`), an unclosed `[`, or a port that is not 1..65535
[[nodiscard]] url parse_url(std::string_view text);

/// The value of the Host header for @p u (RFC 9110 §7.2): "host" on port 80, else
/// "host:port"; IPv6 addresses in brackets ("[::1]:8888").
/// @param u the URL
/// @return the header value
[[nodiscard]] std::string host_header(const url& u);

/// True when @p a and @p b name the same host and port, so one keep-alive connection serves
/// both. Host names compare case-insensitively (DNS does); the targets do not matter.
/// @param a one URL
/// @param b another URL
/// @return whether they share an origin
[[nodiscard]] bool same_origin(const url& a, const url& b);

}  // namespace socketlab::client
