#include "socketlab/net/wake_signal.hpp"

#include <array>
#include <system_error>

#include <asio/buffer.hpp>

namespace socketlab::net {

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
    if (!ec) socket_.non_blocking(true, ec);  // lower() reads until nothing is left
    if (!ec) return;
  }
  throw std::system_error(ec, "wake_signal: no loopback to signal on");
}

void wake_signal::raise() noexcept {
  std::lock_guard lock(mutex_);
  if (raised_.exchange(true, std::memory_order_acq_rel)) return;
  std::error_code ignored;
  const char byte = 1;
  socket_.send(asio::buffer(&byte, 1), 0, ignored);
}

void wake_signal::lower() noexcept {
  std::lock_guard lock(mutex_);
  raised_.store(false, std::memory_order_release);
  drain();
}

void wake_signal::clear_stale() noexcept {
  std::lock_guard lock(mutex_);
  if (!raised_.load(std::memory_order_acquire)) drain();
}

void wake_signal::drain() noexcept {
  std::error_code ec;
  std::array<char, 16> sink;
  while (!ec)
    (void)socket_.receive(asio::buffer(sink), 0, ec);  // every datagram there is: would_block ends it
}

}  // namespace socketlab::net
