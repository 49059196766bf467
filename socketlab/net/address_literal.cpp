#include "socketlab/net/address_literal.hpp"

#include <algorithm>
#include <system_error>

namespace socketlab::net::detail {
namespace {

/// True for "0".."255" written without leading zeros (which Windows would read as octal).
bool is_octet(std::string_view part) noexcept {
  if (!is_decimal(part) || part.size() > 3) return false;
  if (part.size() > 1 && part.front() == '0') return false;
  int value = 0;
  for (const char c : part)
    value = value * 10 + (c - '0');
  return value <= 255;
}

/// True for exactly four octets separated by dots: no shortened "127.1", no port.
bool is_dotted_quad(std::string_view text) noexcept {
  int octets = 0;
  for (;;) {
    const auto dot = text.find('.');
    if (!is_octet(text.substr(0, dot))) return false;
    ++octets;
    if (dot == std::string_view::npos) return octets == 4;
    text.remove_prefix(dot + 1);
  }
}

/// True when @p text uses only what an IPv6 literal may: hex digits, ':' and '.' (for an
/// embedded IPv4 address), then optionally '%' and a non-empty zone ("%1", "%eth0").
/// Brackets and ports are left out; inet_pton judges the rest.
bool has_ipv6_characters(std::string_view text) noexcept {
  const auto percent = text.find('%');
  const auto address = text.substr(0, percent);
  const bool address_ok = !address.empty() && std::all_of(address.begin(), address.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
  });
  if (!address_ok || percent == std::string_view::npos) return address_ok;
  const auto zone = text.substr(percent + 1);
  return !zone.empty() && std::all_of(zone.begin(), zone.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-' || c == '.';
  });
}

}  // namespace

bool is_decimal(std::string_view text) noexcept {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<asio::ip::address> parse_address_literal(std::string_view text) {
  std::error_code ec;
  if (text.find(':') != std::string_view::npos) {
    if (!has_ipv6_characters(text)) return std::nullopt;
    const auto v6 = asio::ip::make_address_v6(text, ec);
    if (ec) return std::nullopt;
    return asio::ip::address(v6);
  }
  if (!is_dotted_quad(text)) return std::nullopt;
  const auto v4 = asio::ip::make_address_v4(text, ec);
  if (ec) return std::nullopt;
  return asio::ip::address(v4);
}

}  // namespace socketlab::net::detail
