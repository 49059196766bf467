// Lesson 15: TCP vs UDP side by side. The same three messages, sent once over a TCP connection
// and once as three UDP datagrams, to the kit's echo servers; the program counts the receives
// each took. TCP hands back a stream of bytes (the writes may merge), UDP whole datagrams.
//
// Usage: lesson15-side-by-side [PORT]    (default 7007)
// Needs, each in a terminal of its own:  socketlab-server tcp-echo   and   socketlab-server udp-echo
#include <array>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>

#include <asio.hpp>

#include "socketlab/net/endpoint.hpp"  // parse_port
#include "socketlab/net/wait.hpp"      // wait_any: poll() with a deadline (lesson 11)

namespace net = socketlab::net;
using asio::ip::tcp;
using asio::ip::udp;

constexpr std::array<std::string_view, 3> messages = {"one", "two", "three"};

//! [receive]
// One receive, on either kind of socket, given up after two seconds: a datagram that was lost
// never arrives, and nothing else would tell us.
template <typename Socket>
std::size_t receive(Socket& socket, std::array<char, 1024>& buffer) {
  const net::wait_entry readable[] = {{socket.native_handle()}};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  std::error_code ec;
  const std::size_t ready = net::wait_any(readable, deadline, ec);  // poll(): readable, or the deadline
  if (!ec && ready == std::size(readable)) ec = asio::error::timed_out;
  std::size_t n = 0;
  if (!ec) n = socket.receive(asio::buffer(buffer), 0, ec);  // something is there: no wait
  if (ec) throw std::system_error(ec, "receive");
  return n;
}
//! [receive]

int main(int argc, char* argv[]) {
  const asio::ip::address server = asio::ip::address_v4::loopback();
  std::size_t total = 0;
  for (auto m : messages) total += m.size();
  try {
    const std::uint16_t port = argc > 1 ? net::parse_port(argv[1]) : 7007;
    asio::io_context io;
    std::array<char, 1024> buffer;

    //! [tcp]
    tcp::socket stream(io);
    stream.connect({server, port});  // SYN, SYN-ACK, ACK: a connection before any data
    std::cout << "TCP to " << stream.remote_endpoint() << ": 3 writes\n";
    for (auto m : messages) asio::write(stream, asio::buffer(m));  // three send() calls

    std::size_t received = 0;
    int receives = 0;
    while (received < total) {  // a stream has no message ends: count the bytes
      const std::size_t n = receive(stream, buffer);
      received += n;
      std::cout << "  receive " << ++receives << ": \"" << std::string_view(buffer.data(), n) << "\"\n";
    }
    stream.shutdown(tcp::socket::shutdown_both);  // FIN: we are done
    stream.close();
    std::cout << "TCP: 3 writes came back in " << receives << " receive(s), "
              << received << " bytes in order\n";
    //! [tcp]

    //! [udp]
    udp::socket datagrams(io, udp::v4());  // no connect, no handshake: a socket and a port
    const udp::endpoint echo(server, port);
    std::cout << "UDP to " << echo << ": 3 datagrams\n";
    for (auto m : messages) datagrams.send_to(asio::buffer(m), echo);  // three sendto() calls

    for (int i = 1; i <= 3; ++i) {  // one receive, one datagram: its size is the message's
      const std::size_t n = receive(datagrams, buffer);
      std::cout << "  receive " << i << ": \"" << std::string_view(buffer.data(), n) << "\"\n";
    }
    std::cout << "UDP: 3 datagrams came back in 3 receives, each whole\n";
    //! [udp]
  } catch (const std::exception& e) {
    // No tcp-echo running: "connect: Connection refused"; no udp-echo: "receive: Connection timed out".
    std::cerr << "lesson15-side-by-side: " << e.what() << std::endl;
    return 1;
  }
}
