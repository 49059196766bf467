#include "socketlab/net/readiness.hpp"

#include <asio/buffer.hpp>

#include "socketlab/net/platform.hpp"

namespace socketlab::net {

std::size_t wait_any(std::span<const wait_entry> entries, std::chrono::steady_clock::time_point deadline,
                     std::error_code& ec) {
  return platform::wait_any(entries, deadline, ec);
}

wake_signal::wake_signal() : socket_(io_) {
  // IPv4's loopback first; a machine with only IPv6 gets ::1.
  std::error_code ec;
  for (const auto& loopback : {asio::ip::address(asio::ip::address_v4::loopback()),
                               asio::ip::address(asio::ip::address_v6::loopback())}) {
    const asio::ip::udp::endpoint any_port(loopback, 0);
    ec.clear();
    if (socket_.is_open()) socket_.close(ec);
    socket_.open(any_port.protocol(), ec);
    if (!ec) socket_.bind(any_port, ec);
    if (!ec) socket_.connect(socket_.local_endpoint(), ec);
    if (!ec) return;
  }
  throw std::system_error(ec, "wake_signal: no loopback to signal on");
}

void wake_signal::raise() noexcept {
  if (raised_.exchange(true, std::memory_order_acq_rel)) return;
  std::error_code ignored;
  const char byte = 1;
  socket_.send(asio::buffer(&byte, 1), 0, ignored);
}

}  // namespace socketlab::net
