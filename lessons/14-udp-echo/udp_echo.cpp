// Lesson 14: a UDP echo server. Each datagram that arrives goes back, whole, to the address and
// port it came from (RFC 862). No listen, no accept, no connection: one socket serves everyone,
// one datagram at a time. Plain blocking Asio, as in lesson 02, so every call is visible; Ctrl+C
// simply ends it (nothing is under way between two datagrams, so there is nothing to finish).
//
// Usage: lesson14-udp-echo [PORT] [BUFFER]    (defaults 7007, 65507 bytes)
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <asio.hpp>

#include "socketlab/net/datagram.hpp"  // max_udp_payload
#include "socketlab/net/endpoint.hpp"  // parse_port

namespace net = socketlab::net;
using asio::ip::udp;

int main(int argc, char* argv[]) {
  try {
    const std::uint16_t port = argc > 1 ? net::parse_port(argv[1]) : 7007;
    //! [socket]
    asio::io_context io;
    udp::socket sock(io);                                 // a UDP socket: no acceptor here
    sock.open(udp::v4());                                 // sock = socket.socket(AF_INET, SOCK_DGRAM)
    sock.bind({asio::ip::address_v4::loopback(), port});  // sock.bind(("127.0.0.1", 7007))
    //! [socket]
    //! [buffer]
    std::size_t buffer_size = net::max_udp_payload(sock.local_endpoint());    // 65,507 over IPv4 (lesson 11)
    if (argc > 2) buffer_size = static_cast<std::size_t>(std::atoi(argv[2]));  // smaller: to see truncation
    std::vector<char> buffer(buffer_size);  // the largest datagram this server can take whole
    //! [buffer]
    std::cout << "UDP echo on " << net::to_string(sock.local_endpoint()) << ", receive buffer of " << buffer_size
              << " bytes" << std::endl;
    for (;;) {
      //! [receive]
      udp::endpoint sender;
      std::error_code ec;
      const std::size_t n = sock.receive_from(asio::buffer(buffer), sender, 0, ec);  // data, sender = sock.recvfrom(65536)
      if (ec) {  // Windows: an earlier echo's "port unreachable" comes back here; go on
        std::cout << "receive: " << ec.message() << std::endl;
        continue;
      }
      //! [receive]
      //! [send]
      if (sender.port() < 1024) continue;  // never answer a service port (echo is 7): no echo loops
      sock.send_to(asio::buffer(buffer.data(), n), sender, 0, ec);  // sock.sendto(data, sender)
      std::cout << n << " bytes from " << sender << (ec ? ", not echoed: " + ec.message() : ", echoed")
                << std::endl;
      //! [send]
    }
  } catch (const std::exception& e) {
    std::cerr << "lesson14-udp-echo: " << e.what() << std::endl;
    return 1;
  }
}
