/// @file
/// The URI syntax a request parser checks (RFC 3986 as RFC 9110 and RFC 9112 use it): the
/// `uri-host [ ":" port ]` of a Host field or an authority, and the four forms of a
/// request-target. Internal: not part of the public interface.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace socketlab::http::detail {

/// `uri-host [ ":" port ]`, split (RFC 9110 §7.2, RFC 3986 §3.2.2-3.2.3).
struct host_and_port {
  bool valid = false;                    ///< whether the text has that syntax
  std::string_view host;                 ///< a reg-name (may be empty), an IPv4 address or `[IPv6]`
  std::optional<std::string_view> port;  ///< the digits after the colon (maybe none), if there is a colon
};

/// Parses `uri-host [ ":" port ]`, where uri-host is an IP-literal in brackets (IPv6 or
/// IPvFuture), or a reg-name: unreserved, pct-encoded and sub-delims bytes, which covers IPv4
/// addresses and DNS names (`xn--bcher-kva.example`). port is `*DIGIT`. Userinfo (`user@`), a
/// path, whitespace and non-ASCII bytes have no place in it.
/// @param text the text, without surrounding whitespace
/// @return the host and port, or valid == false
[[nodiscard]] host_and_port parse_host_and_port(std::string_view text) noexcept;

/// Whether @p text is an IPv6address of RFC 3986 §3.2.2 (without brackets): eight groups of up
/// to four hex digits, at most one `::` standing for one or more of them, and the last two
/// maybe written as an IPv4 address (`::ffff:192.0.2.1`).
/// @param text the candidate
/// @return true when it is one
[[nodiscard]] bool is_ipv6_address(std::string_view text) noexcept;

/// Whether @p digits is a port a TCP connection can be made to: 1 to 65535, in decimal.
/// @param digits the port's text
/// @return true when it is such a number
[[nodiscard]] bool is_connectable_port(std::string_view digits) noexcept;

/// The forms of a request-target (RFC 9112 §3.2), told apart by their syntax.
enum class target_form : std::uint8_t {
  origin,     ///< `/path?query`, what a client sends an origin server
  absolute,   ///< `scheme:...` such as `http://host/path`, what a client sends a proxy
  authority,  ///< `host:port`, CONNECT's form
  asterisk,   ///< `*`, the server as a whole (OPTIONS)
  invalid,    ///< none of them
};

/// What classify_target() found.
struct target_kind {
  target_form form = target_form::invalid;  ///< which form
  bool has_authority = false;               ///< the target itself names a host (`//host`, `host:port`)
};

/// Tells which form @p target has. Only the structure is checked, not each URI character class
/// (the caller has already refused bytes outside visible ASCII): a `\` or `{` in a path is the
/// handler's to judge.
///
/// `host:port` is also an absolute-URI whose scheme is the host (`example.com:443`); it is read
/// as the authority-form, so that a request cannot mean a host to one reader and a scheme to
/// another. An `http` or `https` absolute-form needs `//` and a non-empty host without userinfo
/// (RFC 9110 §4.2.1, §4.2.4); other schemes are taken as they are (`urn:isbn:0451450523` has no
/// authority at all).
/// @param target a non-empty request-target
/// @return its form, and whether it carries an authority
[[nodiscard]] target_kind classify_target(std::string_view target) noexcept;

}  // namespace socketlab::http::detail
