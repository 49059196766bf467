#include "socketlab/net/datagram.hpp"

#include "socketlab/net/platform.hpp"

namespace socketlab::net {

bool travels_over_ipv6(const asio::ip::address& address) noexcept {
  return address.is_v6() && !address.to_v6().is_v4_mapped();
}

std::size_t max_udp_payload(const asio::ip::udp::endpoint& ep) noexcept {
  return travels_over_ipv6(ep.address()) ? max_udp_payload_ipv6 : max_udp_payload_ipv4;
}

datagram_receipt receive_datagram(asio::ip::udp::socket& socket, std::span<char> buffer,
                                  std::error_code& ec) {
  return platform::receive_datagram(socket, buffer, ec);
}

}  // namespace socketlab::net
