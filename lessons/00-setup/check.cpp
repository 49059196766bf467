// Lesson 00: is the setup right? If this program builds and prints "ready", the compiler, C++20,
// Asio and the machine's loopback network all work: it talks to itself over TCP, the way every
// later lesson's server and client will talk to each other.
//
// Usage: lesson00-check
#include <array>
#include <iostream>
#include <string>
#include <string_view>

#include <asio.hpp>

using asio::ip::tcp;

//! [compiler]
// Which compiler built this program, and for which C++ standard (202002 is C++20).
std::string compiler() {
#if defined(__clang__)
  return "Clang " + std::to_string(__clang_major__) + "." + std::to_string(__clang_minor__);
#elif defined(__GNUC__)
  return "GCC " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__);
#elif defined(_MSC_VER)
  return "MSVC " + std::to_string(_MSC_VER);
#else
  return "an unknown compiler";
#endif
}
//! [compiler]

int main() {
  std::cout << "compiler: " << compiler() << ", C++ " << __cplusplus << "\n";
  std::cout << "Asio: " << ASIO_VERSION / 100000 << "." << ASIO_VERSION / 100 % 1000 << "."
            << ASIO_VERSION % 100 << "\n";
  try {
    //! [loopback]
    asio::io_context io;
    tcp::acceptor server(io, {asio::ip::address_v4::loopback(), 0});  // port 0: the system picks a free one
    tcp::socket client(io);
    client.connect(server.local_endpoint());   // the system completes the handshake...
    tcp::socket connection = server.accept();  // ...and accept() hands us the other end
    asio::write(client, asio::buffer(std::string_view("ping")));
    std::array<char, 4> received;
    asio::read(connection, asio::buffer(received));  // exactly 4 bytes
    //! [loopback]
    std::cout << "loopback: " << client.local_endpoint() << " -> " << connection.local_endpoint()
              << ", sent \"ping\", received \"" << std::string_view(received.data(), received.size())
              << "\"\n";
  } catch (const std::system_error& e) {
    std::cerr << "lesson00-check: the loopback network does not work: " << e.what() << "\n";
    return 1;
  }
  std::cout << "ready\n";
}
