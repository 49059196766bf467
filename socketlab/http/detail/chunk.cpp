#include "socketlab/http/detail/chunk.hpp"

#include <cstddef>

#include "socketlab/http/detail/syntax.hpp"

namespace socketlab::http::detail {

namespace {

/// Removes leading SP/HTAB (BWS).
void skip_bws(std::string_view& s) noexcept {
  while (!s.empty() && is_ows(s.front()))
    s.remove_prefix(1);
}

/// Removes a leading token; false when there is none.
bool skip_token(std::string_view& s) noexcept {
  std::size_t n = 0;
  while (n < s.size() && is_tchar(s[n]))
    ++n;
  s.remove_prefix(n);
  return n > 0;
}

/// Removes a leading quoted-string (RFC 9110 §5.6.4); false when it is malformed.
bool skip_quoted_string(std::string_view& s) noexcept {
  if (s.empty() || s.front() != '"') return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') {
      s.remove_prefix(i + 1);
      return true;
    }
    if (c == '\\') ++i;  // quoted-pair: the next byte is taken as is (checked below)
    if (i >= s.size() || !is_field_text(s.substr(i, 1))) return false;
  }
  return false;
}

/// Checks the chunk extensions after the size; true when they are well-formed.
bool valid_extensions(std::string_view s) noexcept {
  while (!s.empty()) {
    skip_bws(s);
    if (s.empty() || s.front() != ';') return false;
    s.remove_prefix(1);
    skip_bws(s);
    if (!skip_token(s)) return false;
    std::string_view after_name = s;
    skip_bws(after_name);
    if (!after_name.empty() && after_name.front() == '=') {
      after_name.remove_prefix(1);
      skip_bws(after_name);
      const bool value_ok = !after_name.empty() && after_name.front() == '"' ? skip_quoted_string(after_name)
                                                                             : skip_token(after_name);
      if (!value_ok) return false;
      s = after_name;
    }
  }
  return true;
}

}  // namespace

chunk_header parse_chunk_header(std::string_view line) noexcept {
  std::uint64_t size = 0;
  std::size_t digits = 0;
  for (; digits < line.size(); ++digits) {
    const int d = hex_value(line[digits]);
    if (d < 0) break;
    if (digits == max_chunk_size_digits) return {};
    size = size * 16 + static_cast<std::uint64_t>(d);
  }
  if (digits == 0 || !valid_extensions(line.substr(digits))) return {};
  return {.valid = true, .size = size};
}

}  // namespace socketlab::http::detail
