// Lesson 03: the first client, the other half of lesson 02. In plain, blocking Asio: resolve the
// host's name, connect (trying each address in turn), send one HTTP request, then receive until
// the server closes the connection, and print what arrived.
//
// Usage: lesson03-client [HOST [PORT]]    (default localhost 8888)
#include <array>
#include <iostream>
#include <string>

#include <asio.hpp>

using asio::ip::tcp;

int main(int argc, char* argv[]) {
  const std::string host = argc > 1 ? argv[1] : "localhost";
  const std::string port = argc > 2 ? argv[2] : "8888";
  try {
    //! [resolve]
    asio::io_context io;
    tcp::resolver resolver(io);
    const auto addresses = resolver.resolve(host, port);  // socket.getaddrinfo(host, port)
    //! [resolve]
    std::cout << host << " is";
    for (const auto& entry : addresses) std::cout << " " << entry.endpoint().address();
    std::cout << std::endl;

    //! [connect]
    tcp::socket sock(io);
    std::error_code ec = asio::error::host_not_found;
    for (const auto& entry : addresses) {  // sock = socket.create_connection((host, port))
      std::cout << "trying " << entry.endpoint() << std::endl;
      sock.open(entry.endpoint().protocol());  // socket(AF_INET or AF_INET6, SOCK_STREAM)
      sock.connect(entry.endpoint(), ec);      // the TCP handshake: SYN, SYN+ACK, ACK
      if (!ec) break;                          // connected
      std::cout << "  " << ec.message() << std::endl;
      sock.close();  // a failed socket cannot be reused: take a new one for the next address
    }
    if (ec) throw std::system_error(ec, "connect");
    std::cout << "connected to " << sock.remote_endpoint() << " from " << sock.local_endpoint() << std::endl;
    //! [connect]

    //! [send]
    std::string request = "GET / HTTP/1.1\r\n";         // the request line
    request += "Host: " + host + ":" + port + "\r\n";  // which site: HTTP/1.1 requires it
    request += "Connection: close\r\n";                 // answer once, then close
    request += "\r\n";                                  // end of the header; a GET has no body
    asio::write(sock, asio::buffer(request));           // sock.sendall(request.encode())
    //! [send]
    std::cout << "sent " << request.size() << " bytes" << std::endl;

    //! [receive]
    std::array<char, 4096> buffer;
    std::size_t total = 0;
    std::size_t reads = 0;
    for (;;) {
      const std::size_t n = sock.read_some(asio::buffer(buffer), ec);  // chunk = sock.recv(4096)
      if (ec == asio::error::eof) break;                               // if not chunk: break
      if (ec) throw std::system_error(ec, "receive");
      std::cout.write(buffer.data(), static_cast<std::streamsize>(n));  // sys.stdout.buffer.write(chunk)
      total += n;
      ++reads;
    }
    sock.close();  // sock.close()
    //! [receive]
    std::cout << "received " << total << " bytes in " << reads << (reads == 1 ? " read" : " reads")
              << ", then end of file: the server closed the connection" << std::endl;
  } catch (const std::system_error& e) {
    // "resolve: Host not found (authoritative)", "connect: Connection refused", ...
    std::cerr << "lesson03-client: " << e.what() << std::endl;
    return 1;
  }
}
