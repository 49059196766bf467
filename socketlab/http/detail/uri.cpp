#include "socketlab/http/detail/uri.hpp"

#include <algorithm>
#include <cstddef>

#include "socketlab/http/detail/syntax.hpp"
#include "socketlab/http/fields.hpp"

namespace socketlab::http::detail {

namespace {

/// RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~".
constexpr bool is_unreserved(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

/// RFC 3986 §2.2: "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "=".
constexpr bool is_sub_delim(char c) noexcept {
  return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos;
}

/// reg-name = *( unreserved / pct-encoded / sub-delims ), RFC 3986 §3.2.2. It covers IPv4
/// addresses too, which are digits and dots.
bool is_reg_name(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0) return false;
      i += 2;
    } else if (!is_unreserved(s[i]) && !is_sub_delim(s[i])) {
      return false;
    }
  }
  return true;
}

/// IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet, where a dec-octet is
/// 0 to 255 without a leading zero (RFC 3986 §3.2.2).
bool is_ipv4_address(std::string_view s) noexcept {
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (!s.starts_with('.')) return false;
      s.remove_prefix(1);
    }
    std::size_t n = 0;
    int value = 0;
    for (; n < s.size() && n < 3 && is_digit(s[n]); ++n)
      value = 10 * value + digit_value(s[n]);
    if (n == 0 || value > 255 || (n > 1 && s.front() == '0')) return false;
    s.remove_prefix(n);
  }
  return s.empty();
}

/// IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ), RFC 3986 §3.2.2.
bool is_ipvfuture(std::string_view s) noexcept {
  if (s.size() < 4 || (s.front() != 'v' && s.front() != 'V')) return false;
  const std::size_t dot = s.find('.');
  if (dot == std::string_view::npos || dot == 1 || dot + 1 == s.size()) return false;
  const auto hex = s.substr(1, dot - 1);
  const auto rest = s.substr(dot + 1);
  return std::all_of(hex.begin(), hex.end(), [](char c) { return hex_value(c) >= 0; }) &&
         std::all_of(rest.begin(), rest.end(),
                     [](char c) { return is_unreserved(c) || is_sub_delim(c) || c == ':'; });
}

/// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), RFC 3986 §3.1.
bool is_scheme(std::string_view s) noexcept {
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  return !s.empty() && alpha(s.front()) && std::all_of(s.begin() + 1, s.end(), [&](char c) {
    return alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
  });
}

}  // namespace

bool is_ipv6_address(std::string_view s) noexcept {
  int groups = 0;           // 16-bit groups written out
  bool compressed = false;  // "::" seen: it stands for the groups left out, at least one
  if (s.starts_with("::")) {
    compressed = true;
    s.remove_prefix(2);
  }
  while (!s.empty()) {
    std::size_t n = 0;
    while (n < s.size() && n < 4 && hex_value(s[n]) >= 0)
      ++n;
    if (n < s.size() && s[n] == '.') {  // the last 32 bits written as an IPv4 address
      groups += 2;
      return is_ipv4_address(s) && (compressed ? groups <= 7 : groups == 8);
    }
    if (n == 0) return false;
    ++groups;
    s.remove_prefix(n);
    if (s.empty()) break;
    if (s.front() != ':' || s.size() == 1) return false;  // a group ends at a colon, never the text
    s.remove_prefix(1);
    if (s.front() == ':') {
      if (compressed) return false;
      compressed = true;
      s.remove_prefix(1);
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

host_and_port parse_host_and_port(std::string_view text) noexcept {
  std::size_t host_end = 0;
  if (text.starts_with('[')) {
    // IP-literal = "[" ( IPv6address / IPvFuture ) "]"
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return {};
    const std::string_view inside = text.substr(1, close - 1);
    if (!is_ipv6_address(inside) && !is_ipvfuture(inside)) return {};
    host_end = close + 1;
  } else {
    host_end = std::min(text.find(':'), text.size());
    if (!is_reg_name(text.substr(0, host_end))) return {};
  }
  host_and_port out{.valid = true, .host = text.substr(0, host_end), .port = std::nullopt};
  if (host_end == text.size()) return out;
  if (text[host_end] != ':') return {};
  const std::string_view port = text.substr(host_end + 1);
  if (!std::all_of(port.begin(), port.end(), is_digit)) return {};
  out.port = port;
  return out;
}

bool is_connectable_port(std::string_view digits) noexcept {
  if (digits.empty()) return false;
  int value = 0;
  for (const char c : digits) {
    if (!is_digit(c)) return false;
    value = 10 * value + digit_value(c);
    if (value > 65535) return false;
  }
  return value > 0;
}

target_kind classify_target(std::string_view target) noexcept {
  if (target == "*") return {.form = target_form::asterisk};
  if (target.starts_with('/')) return {.form = target_form::origin};
  // Before the absolute-form: "example.com:443" would be one too, with "example.com" as scheme.
  if (const auto hp = parse_host_and_port(target); hp.valid && !hp.host.empty() && hp.port) {
    return {.form = target_form::authority, .has_authority = true};
  }
  const std::size_t colon = target.find(':');
  if (colon == std::string_view::npos || !is_scheme(target.substr(0, colon))) return {};
  const std::string_view scheme = target.substr(0, colon);
  const std::string_view rest = target.substr(colon + 1);  // hier-part [ "?" query ]
  const bool has_authority = rest.starts_with("//");
  if (iequals(scheme, "http") || iequals(scheme, "https")) {
    // An http(s) URI names a host, and userinfo in it is an error (RFC 9110 §4.2.1, §4.2.4).
    if (!has_authority) return {};
    const std::string_view after = rest.substr(2);
    const auto hp = parse_host_and_port(after.substr(0, after.find_first_of("/?#")));
    if (!hp.valid || hp.host.empty()) return {};
  }
  return {.form = target_form::absolute, .has_authority = has_authority};
}

}  // namespace socketlab::http::detail
