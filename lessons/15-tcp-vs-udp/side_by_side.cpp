// Lesson 15: TCP vs UDP side by side. The same three messages, sent once over a TCP connection
// and once as three UDP datagrams, to the kit's echo servers; the program counts the receives
// each took. TCP hands back a stream of bytes (the writes may merge), UDP whole datagrams.
//
// Usage: lesson15-side-by-side [PORT]    (default 7007)
// Needs, each in a terminal of its own:  socketlab-server tcp-echo   and   socketlab-server udp-echo
#include <array>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>

#include <asio.hpp>

using asio::ip::tcp;
using asio::ip::udp;

constexpr std::array<std::string_view, 3> messages = {"one", "two", "three"};

//! [receive]
// One receive, on either kind of socket, given up after two seconds: a datagram that was lost
// never arrives, and nothing else would tell us.
template <typename Socket>
std::size_t receive(asio::io_context& io, Socket& socket, std::array<char, 1024>& buffer) {
  std::error_code result = asio::error::timed_out;
  std::size_t size = 0;
  socket.async_receive(asio::buffer(buffer), [&](std::error_code ec, std::size_t n) {
    result = ec;
    size = n;
  });
  io.restart();
  io.run_for(std::chrono::seconds(2));  // returns when the receive is done, or at the deadline
  if (result == asio::error::timed_out) {  // still waiting: stop the receive
    socket.cancel();
    io.run();  // the receive completes here: operation_aborted, or its data if it came just in time
    if (result == asio::error::operation_aborted) result = asio::error::timed_out;
  }
  if (result) throw std::system_error(result, "receive");
  return size;
}
//! [receive]

int main(int argc, char* argv[]) {
  const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 7007);
  const asio::ip::address server = asio::ip::address_v4::loopback();
  std::size_t total = 0;
  for (auto m : messages) total += m.size();
  try {
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
      const std::size_t n = receive(io, stream, buffer);
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
      const std::size_t n = receive(io, datagrams, buffer);
      std::cout << "  receive " << i << ": \"" << std::string_view(buffer.data(), n) << "\"\n";
    }
    std::cout << "UDP: 3 datagrams came back in 3 receives, each whole\n";
    //! [udp]
  } catch (const std::system_error& e) {
    // No tcp-echo running: "connect: Connection refused"; no udp-echo: "receive: Connection timed out".
    std::cerr << "lesson15-side-by-side: " << e.what() << std::endl;
    return 1;
  }
}
