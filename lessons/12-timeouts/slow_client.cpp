// Lesson 12: a slow client, to try a server's deadlines. It connects, sends the first BYTES
// bytes of a small GET request (none by default: a client that says nothing), and then only
// listens: it prints what the server answers, and when the server hangs up. It has no deadline
// of its own: it is the slow one.
//
// Usage: lesson12-slow-client PORT [BYTES]    (BYTES: 0 to 35, default 0)
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>

#include <asio.hpp>

#include "socketlab/net/endpoint.hpp"  // parse_port

namespace net = socketlab::net;
using asio::ip::tcp;

int main(int argc, char* argv[]) {
  if (argc < 2) {
    std::cerr << "usage: lesson12-slow-client PORT [BYTES]" << std::endl;
    return 2;
  }
  const std::string_view request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  const std::size_t bytes = std::min<std::size_t>(argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 0, request.size());
  try {
    const std::uint16_t port = net::parse_port(argv[1]);  // "abc" or 99999: a sentence, not port 0
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect({asio::ip::address_v4::loopback(), port});
    const auto start = std::chrono::steady_clock::now();

    //! [send]
    asio::write(socket, asio::buffer(request.substr(0, bytes)));  // part of the request, then nothing
    std::string shown;
    for (char ch : request.substr(0, bytes)) shown += ch == '\r' ? "\\r" : ch == '\n' ? "\\n" : std::string(1, ch);
    std::cout << "sent " << bytes << " of " << request.size() << " bytes: \"" << shown << "\"" << std::endl;
    //! [send]

    //! [listen]
    std::array<char, 1024> buffer;
    std::error_code ec;
    for (;;) {  // a blocking read with no deadline: we wait as long as the server lets us
      const std::size_t n = socket.read_some(asio::buffer(buffer), ec);
      if (ec) break;  // end of file: the server closed the connection
      for (char ch : std::string_view(buffer.data(), n)) {
        if (ch != '\r') std::cout << ch;
      }
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::cout << std::flush << "the server closed the connection after " << std::fixed << std::setprecision(1)
              << took.count() << " s: " << ec.message() << std::endl;
    //! [listen]
  } catch (const std::exception& e) {
    std::cerr << "lesson12-slow-client: " << e.what() << std::endl;
    return 1;
  }
}
