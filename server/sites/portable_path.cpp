#include "server/sites/portable_path.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <type_traits>

namespace socketlab::server {
namespace {

namespace fs = std::filesystem;

/// Appends @p name (UTF-8) to @p text in the system's own characters. (A template, so that each
/// system compiles only its own branch.)
template <class Char>
void append_utf8(std::basic_string<Char>& text, std::string_view name) {
  if constexpr (std::is_same_v<Char, char>) {
    text.append(name);  // a name is its bytes, UTF-8 here
  } else {
    // Windows: UTF-16, converted from UTF-8 by path itself (from a plain std::string it would
    // read the ANSI code page).
    std::u8string utf8;
    utf8.reserve(name.size());
    for (const char c : name)
      utf8.push_back(static_cast<char8_t>(c));
    text += fs::path(utf8).native();
  }
}

}  // namespace

bool is_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t more = 0;  // continuation bytes that follow
    std::uint32_t code = 0;
    std::uint32_t smallest = 0;  // below this, the same character has a shorter form
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0u) == 0xC0u) {
      more = 1, code = lead & 0x1Fu, smallest = 0x80;
    } else if ((lead & 0xF0u) == 0xE0u) {
      more = 2, code = lead & 0x0Fu, smallest = 0x800;
    } else if ((lead & 0xF8u) == 0xF0u) {
      more = 3, code = lead & 0x07u, smallest = 0x10000;
    } else {
      return false;
    }
    if (s.size() - i <= more) return false;
    for (std::size_t k = 1; k <= more; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0u) != 0x80u) return false;
      code = (code << 6) | (next & 0x3Fu);
    }
    if (code < smallest || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += more + 1;
  }
  return true;
}

bool is_device_name(std::string_view name) {
  std::string_view base = name.substr(0, name.find('.'));
  while (base.ends_with(' '))
    base.remove_suffix(1);
  std::string upper(base);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
  if (upper == "CON" || upper == "PRN" || upper == "AUX" || upper == "NUL") return true;
  if (!upper.starts_with("COM") && !upper.starts_with("LPT")) return false;
  const std::string_view number = std::string_view(upper).substr(3);
  constexpr std::array<std::string_view, 12> numbers{"1", "2", "3",        "4",        "5",       "6", "7",
                                                     "8", "9", "\xC2\xB9", "\xC2\xB2", "\xC2\xB3"};  // ¹ ² ³
  return std::find(numbers.begin(), numbers.end(), number) != numbers.end();
}

bool is_separator(fs::path::value_type c) noexcept {
  return c == fs::path::preferred_separator || c == '/';
}

void append_name(fs::path::string_type& text, std::string_view name) {
  if (!text.empty() && !is_separator(text.back())) text += fs::path::preferred_separator;
  append_utf8(text, name);
}

bool is_under(const fs::path& p, const fs::path& root) {
  const auto [r, q] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  // A root written with a trailing separator ends in an empty component.
  return r == root.end() || (std::next(r) == root.end() && r->empty());
}

}  // namespace socketlab::server
