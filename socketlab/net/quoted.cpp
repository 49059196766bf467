#include "socketlab/net/quoted.hpp"

#include <array>

namespace socketlab::net {
namespace {

/// Appends @p byte as `\xNN`.
void append_hex(std::string& out, unsigned char byte) {
  constexpr std::array<char, 16> hex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                        '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  out += "\\x";
  out += hex[byte >> 4];
  out += hex[byte & 0xf];
}

}  // namespace

std::string quoted(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      append_hex(out, byte);
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string printable_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    const bool line_end = c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
    if (line_end || c == '\t' || (byte >= 0x20 && byte < 0x7f)) {
      out += c;
    } else if (c == '\r') {
      out += "\\r";
    } else {
      append_hex(out, byte);
    }
  }
  return out;
}

}  // namespace socketlab::net
