// Lesson 01: hosts and ports. Asks the system, as getaddrinfo() does, which addresses a host
// name stands for and which port a service name stands for, and prints each answer: the
// family (IPv4 or IPv6), the address, the port. Nothing is sent to the host itself.
//
// Usage: lesson01-lookup HOST [SERVICE]    (SERVICE: a name such as http, or a number; default http)
#include <iostream>
#include <string>

#include <asio.hpp>

using asio::ip::tcp;

int main(int argc, char* argv[]) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: lesson01-lookup HOST [SERVICE]   e.g. lesson01-lookup localhost http\n";
    return 2;
  }
  const std::string host = argv[1];
  const std::string service = argc > 2 ? argv[2] : "http";
  try {
    //! [resolve]
    asio::io_context io;         // every Asio object belongs to one; here it does nothing else
    tcp::resolver resolver(io);  // the system's resolver, for TCP (SOCK_STREAM) sockets
    const auto results = resolver.resolve(host, service);  // socket.getaddrinfo(host, service)
    //! [resolve]
    std::cout << host << " " << service << ": " << results.size()
              << (results.size() == 1 ? " address" : " addresses") << "\n";
    //! [print]
    for (const auto& result : results) {
      const tcp::endpoint endpoint = result.endpoint();  // an address and a port: one socket's name
      const asio::ip::address address = endpoint.address();
      std::cout << "  " << (address.is_v4() ? "IPv4" : "IPv6")  // AF_INET or AF_INET6
                << "  " << address.to_string()                  // 127.0.0.1, ::1, 93.184.215.14, ...
                << "  port " << endpoint.port() << "\n";        // 80 for http, in host byte order
    }
    //! [print]
  } catch (const std::system_error& e) {
    // An unknown name: "resolve: Host not found (authoritative)"; an unknown service:
    // "resolve: Service not found".
    std::cerr << "lesson01-lookup: " << e.what() << std::endl;
    return 1;
  }
}
