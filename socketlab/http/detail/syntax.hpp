/// @file
/// The character classes and small grammar pieces of RFC 9110 §5.5-5.6 and RFC 9112,
/// shared by the parsers and by fields. Internal: not part of the public interface.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace socketlab::http::detail {

/// Bits of the character table: one lookup per byte instead of a chain of comparisons,
/// because the parsers classify every byte of every request.
enum char_class : std::uint8_t {
  tchar_bit = 1,        ///< token character (RFC 9110 §5.6.2)
  field_char_bit = 2,   ///< allowed inside a field value: VCHAR, obs-text, SP, HTAB (§5.5)
  target_char_bit = 4,  ///< allowed in a request-target: visible ASCII, %x21-7E (RFC 3986 §2)
};

/// Builds the table at compile time.
constexpr std::array<std::uint8_t, 256> make_char_table() noexcept {
  std::array<std::uint8_t, 256> table{};
  constexpr std::string_view tchar_punct = "!#$%&'*+-.^_`|~";
  for (std::size_t c = 0; c < table.size(); ++c) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool punct = tchar_punct.find(static_cast<char>(c)) != std::string_view::npos;
    const bool vchar = c > 0x20 && c != 0x7f;  // visible ASCII and obs-text (0x80-0xff)
    std::uint8_t bits = 0;
    if (alnum || punct) bits |= tchar_bit;
    if (vchar || c == ' ' || c == '\t') bits |= field_char_bit;
    if (vchar && c < 0x80) bits |= target_char_bit;
    table[c] = bits;
  }
  return table;
}

/// The table every classifier below reads.
inline constexpr std::array<std::uint8_t, 256> char_table = make_char_table();

/// Whether @p c has any of the bits in @p bits.
constexpr bool has_class(char c, std::uint8_t bits) noexcept {
  return (char_table[static_cast<unsigned char>(c)] & bits) != 0;
}

/// Whether @p c may appear in a token (method, field name, coding name).
constexpr bool is_tchar(char c) noexcept {
  return has_class(c, tchar_bit);
}

/// Whether @p c is optional whitespace (SP or HTAB).
constexpr bool is_ows(char c) noexcept {
  return c == ' ' || c == '\t';
}

/// Whether @p s is a non-empty token.
constexpr bool is_token(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

/// Whether every byte of @p s is allowed in a field value or reason phrase
/// (no control character but HTAB, no DEL; obs-text is allowed).
constexpr bool is_field_text(std::string_view s) noexcept {
  for (const char c : s) {
    if (!has_class(c, field_char_bit)) return false;
  }
  return true;
}

/// Whether every byte of @p s is allowed in a request-target: visible ASCII only. A URI has no
/// other bytes (RFC 3986 §2); anything else is percent-encoded by a client that follows it.
constexpr bool is_target_text(std::string_view s) noexcept {
  for (const char c : s) {
    if (!has_class(c, target_char_bit)) return false;
  }
  return true;
}

/// @p s without leading and trailing SP/HTAB.
constexpr std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back()))
    s.remove_suffix(1);
  return s;
}

/// Whether @p c is an ASCII digit.
constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

/// The value of digit @p c (which must satisfy is_digit()).
constexpr int digit_value(char c) noexcept {
  return c - '0';
}

/// The value of the hex digit @p c, or -1 when it is not one.
constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Parses `HTTP/DIGIT.DIGIT` exactly (case-sensitive, RFC 9112 §2.3).
/// @return 10 * major + minor, or -1 when @p s is not in that form
constexpr int parse_version(std::string_view s) noexcept {
  if (s.size() != 8 || s.substr(0, 5) != "HTTP/" || !is_digit(s[5]) || s[6] != '.' || !is_digit(s[7])) {
    return -1;
  }
  return 10 * digit_value(s[5]) + digit_value(s[7]);
}

/// Calls @p f on each element of a comma-separated list (RFC 9110 §5.6.1), OWS-trimmed,
/// skipping empty elements, until @p f returns true.
/// @return true when @p f returned true for some element
template <typename F>
constexpr bool any_list_element(std::string_view list, F&& f) {
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view element = trim_ows(list.substr(0, comma));
    if (!element.empty() && f(element)) return true;
    if (comma == std::string_view::npos) return false;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace socketlab::http::detail
