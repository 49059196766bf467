#include "socketlab/net/native_socket.hpp"

#include "socketlab/net/platform.hpp"

namespace socketlab::net {

std::size_t read_now(native_socket socket, std::span<char> into, std::error_code& ec) noexcept {
  return platform::receive_now(socket, into, ec);
}

std::size_t write_now(native_socket socket, std::span<const char> bytes, std::error_code& ec) noexcept {
  return platform::send_now(socket, bytes, ec);
}

void set_no_delay(native_socket socket, std::error_code& ec) noexcept {
  platform::set_no_delay(socket, ec);
}

}  // namespace socketlab::net
