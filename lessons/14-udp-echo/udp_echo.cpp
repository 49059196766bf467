// Lesson 14: a UDP echo server. Each datagram that arrives goes back, whole, to the address and
// port it came from (RFC 862). No listen, no accept, no connection: one socket serves everyone,
// one datagram at a time. Plain blocking Asio, as in lesson 02, so every call is visible; Ctrl+C
// simply ends it (nothing is under way between two datagrams, so there is nothing to finish).
//
// Usage: lesson14-udp-echo [PORT] [BUFFER]    (defaults 7007, 65536 bytes)
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <asio.hpp>

using asio::ip::udp;

int main(int argc, char* argv[]) {
  const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 7007);
  const auto buffer_size = static_cast<std::size_t>(argc > 2 ? std::atoi(argv[2]) : 65536);
  try {
    //! [socket]
    asio::io_context io;
    udp::socket sock(io);                                 // a UDP socket: no acceptor here
    sock.open(udp::v4());                                 // sock = socket.socket(AF_INET, SOCK_DGRAM)
    sock.bind({asio::ip::address_v4::loopback(), port});  // sock.bind(("127.0.0.1", 7007))
    //! [socket]
    std::cout << "UDP echo on 127.0.0.1:" << sock.local_endpoint().port() << ", receive buffer of "
              << buffer_size << " bytes" << std::endl;

    //! [buffer]
    std::vector<char> buffer(buffer_size);  // the largest datagram this server can take whole
    //! [buffer]
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
  } catch (const std::system_error& e) {
    std::cerr << "lesson14-udp-echo: " << e.what() << std::endl;
    return 1;
  }
}
