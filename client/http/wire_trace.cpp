#include "client/http/wire_trace.hpp"

#include <array>

namespace socketlab::client {
namespace {

constexpr std::size_t bytes_per_line = 16;
constexpr std::array<char, 16> hex_digits = {'0', '1', '2', '3', '4', '5', '6', '7',
                                             '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

/// @p value in hex, at least @p width digits.
std::string hex(std::uint64_t value, std::size_t width) {
  std::string digits;
  do {
    digits.insert(digits.begin(), hex_digits[value & 0xf]);
    value >>= 4;
  } while (value != 0);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

}  // namespace

std::string format_trace(direction dir, std::string_view data, std::uint64_t stream_offset) {
  std::string text = dir == direction::sent ? "=> Send " : "<= Recv ";
  text += std::to_string(data.size()) + (data.size() == 1 ? " byte (0x" : " bytes (0x") +
          hex(data.size(), 1) + "), stream offset " + std::to_string(stream_offset) + " (0x" +
          hex(stream_offset, 1) + ")\n";
  for (std::size_t line = 0; line < data.size(); line += bytes_per_line) {
    const std::string_view piece = data.substr(line, bytes_per_line);
    text += hex(stream_offset + line, 4) + ": ";
    for (std::size_t i = 0; i < bytes_per_line; ++i) {
      if (i < piece.size()) {
        const auto byte = static_cast<unsigned char>(piece[i]);
        text += hex_digits[byte >> 4];
        text += hex_digits[byte & 0xf];
        text += ' ';
      } else {
        text += "   ";
      }
    }
    for (const char c : piece) {
      const auto byte = static_cast<unsigned char>(c);
      text += (byte >= 0x20 && byte < 0x7f) ? c : '.';
    }
    text += '\n';
  }
  return text;
}

}  // namespace socketlab::client
