#include "socketlab/net/endpoint.hpp"

#include <charconv>
#include <optional>
#include <stdexcept>

#include "socketlab/net/address_literal.hpp"
#include "socketlab/net/quoted.hpp"

namespace socketlab::net {
namespace {

/// What every port error ends with: the range a user should pick from.
constexpr std::string_view port_hint = "use a number from 1 to 65535 (0 lets the system choose)";

/// An example to show after "e.g.", the port made up when the user gave none.
constexpr std::string_view example_port = "8888";

/// The port in @p text, or nothing when it is not "0".."65535".
std::optional<std::uint16_t> to_port(std::string_view text) noexcept {
  if (!detail::is_decimal(text)) return std::nullopt;
  std::uint16_t port = 0;
  // from_chars reports values past 65535 as out of range instead of wrapping them.
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return port;
}

/// "'99999' is not a port: use a number from 1 to 65535 ...".
std::string not_a_port(std::string_view text) {
  return quoted(text) + " is not a port: " + std::string(port_hint);
}

/// Throws std::invalid_argument with "'<text>': <problem>".
[[noreturn]] void reject(std::string_view text, std::string_view problem) {
  throw std::invalid_argument(quoted(text) + ": " + std::string(problem));
}

/// True when @p text is an IPv6 address literal (zones such as "%1" included).
bool is_ipv6_literal(std::string_view text) {
  const auto address = detail::parse_address_literal(text);
  return address && address->is_v6();
}

/// The port to use when the text has none, or a thrown error saying a port is needed.
std::uint16_t port_or_default(std::string_view text, std::string_view example, int default_port) {
  if (default_port < 0)
    reject(text, "the port is missing: write it after a colon, e.g. " + std::string(example));
  if (default_port > 65535) {
    // A caller's mistake rather than the user's, but still worth a clear sentence.
    throw std::invalid_argument("default port " + std::to_string(default_port) +
                                " is not a port: " + std::string(port_hint));
  }
  return static_cast<std::uint16_t>(default_port);
}

/// The port after the host's ':' in @p text, or a thrown error naming what is wrong.
std::uint16_t port_after_colon(std::string_view text, std::string_view port_text, std::string_view example) {
  if (port_text.empty()) reject(text, "the port is missing after ':', e.g. " + std::string(example));
  if (const auto port = to_port(port_text)) return *port;
  reject(text, not_a_port(port_text));
}

/// "[v6]" or "[v6]:port": URL syntax, the only unambiguous way to add a port to an IPv6 address.
host_port parse_bracketed(std::string_view text, int default_port) {
  const auto close = text.find(']');
  if (close == std::string_view::npos) {
    reject(text, "missing ']' after the IPv6 address, e.g. [::1]:" + std::string(example_port));
  }
  const auto host = text.substr(1, close - 1);
  if (host.empty())
    reject(text, "the address between '[' and ']' is missing, e.g. [::1]:" + std::string(example_port));
  const auto rest = text.substr(close + 1);
  if (!is_ipv6_literal(host)) {
    reject(text, "only an IPv6 address goes in brackets; write names and IPv4 addresses without them, e.g. " +
                     std::string(host) +
                     (rest.empty() ? ":" + std::string(example_port) : std::string(rest)));
  }
  const std::string example = "[" + std::string(host) + "]:" + std::string(example_port);
  if (rest.empty()) return {std::string(host), port_or_default(text, example, default_port)};
  if (rest.front() != ':') reject(text, "after ']' write ':' and the port, e.g. " + example);
  return {std::string(host), port_after_colon(text, rest.substr(1), example)};
}

/// An IPv6 address written without brackets: refused, with the bracketed spelling to use.
[[noreturn]] void reject_unbracketed_ipv6(std::string_view text, int default_port) {
  // "::1:80" is itself a valid IPv6 address (0:0:0:0:0:0:1:80), so we cannot tell whether
  // the user meant port 80 of ::1; brackets say it. Suggest the likelier reading.
  const auto last = text.rfind(':');
  const auto head = text.substr(0, last);
  const auto tail = text.substr(last + 1);
  std::string suggestion;
  if (detail::is_decimal(tail) && is_ipv6_literal(head)) {
    suggestion = "[" + std::string(head) + "]:" + std::string(tail);
  } else if (default_port >= 0) {
    suggestion = "[" + std::string(text) + "]";
  } else {
    suggestion = "[" + std::string(text) + "]:" + std::string(example_port);
  }
  reject(text, "put an IPv6 address in brackets: " + suggestion);
}

}  // namespace

std::uint16_t parse_port(std::string_view text) {
  if (text.empty()) throw std::invalid_argument("the port is missing: " + std::string(port_hint));
  if (const auto port = to_port(text)) return *port;
  throw std::invalid_argument(not_a_port(text));
}

host_port parse_host_port(std::string_view text, int default_port) {
  if (text.empty()) {
    throw std::invalid_argument(
        "the address is missing: write host:port, e.g. 127.0.0.1:8888 or localhost:8888");
  }
  // A URL pasted where host:port was asked for is a common slip; say so instead of
  // complaining about its colons.
  if (text.find("://") != std::string_view::npos) {
    reject(text, "write only host:port here, without the scheme, e.g. localhost:8888");
  }
  if (text.front() == '[') return parse_bracketed(text, default_port);

  const auto colon = text.find(':');
  if (colon != text.rfind(':')) reject_unbracketed_ipv6(text, default_port);
  const auto host = text.substr(0, colon);
  if (host.empty()) {
    reject(text, "the host is missing before ':', e.g. 127.0.0.1" + std::string(text.substr(colon)));
  }
  const std::string example = std::string(host) + ":" + std::string(example_port);
  if (colon == std::string_view::npos)
    return {std::string(host), port_or_default(text, example, default_port)};
  return {std::string(host), port_after_colon(text, text.substr(colon + 1), example)};
}

asio::ip::address parse_address(std::string_view text) {
  if (const auto address = detail::parse_address_literal(text)) return *address;
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    reject(text, "write the IPv6 address without brackets here, e.g. " +
                     std::string(text.substr(1, text.size() - 2)));
  }
  if (text.empty()) throw std::invalid_argument("the IP address is missing: write one like 127.0.0.1 or ::1");
  throw std::invalid_argument(
      quoted(text) + " is not an IP address: write one like 127.0.0.1 or ::1 (names need resolving)");
}

std::string to_string(const asio::ip::address& address) {
  if (!address.is_v4()) return address.to_string();  // IPv6's runs of zeros and zones: the system's rules
  std::string text;  // at most "255.255.255.255": a short string, allocated in place
  for (const unsigned byte : address.to_v4().to_bytes()) {
    if (!text.empty()) text.push_back('.');
    if (byte >= 100) text.push_back(static_cast<char>('0' + byte / 100));
    if (byte >= 10) text.push_back(static_cast<char>('0' + byte / 10 % 10));
    text.push_back(static_cast<char>('0' + byte % 10));
  }
  return text;
}

std::string to_string(const asio::ip::address& address, std::uint16_t port) {
  // IPv6 addresses contain ':' themselves, so URLs (RFC 3986) put them in brackets.
  const auto text = to_string(address);
  return address.is_v6() ? "[" + text + "]:" + std::to_string(port) : text + ":" + std::to_string(port);
}

std::string to_string(const asio::ip::tcp::endpoint& ep) {
  return to_string(ep.address(), ep.port());
}

std::string to_string(const asio::ip::udp::endpoint& ep) {
  return to_string(ep.address(), ep.port());
}

}  // namespace socketlab::net
