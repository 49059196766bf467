// Lesson 02: the first server. The original exercise's greeting server, one call at a time,
// in plain Asio: socket, bind, listen, accept, recv, send, close. No threads yet (lesson 07),
// no HTTP parsing yet (lesson 04), and Ctrl+C simply ends the process (lesson 13).
//
// Usage: lesson02-server [PORT]    (default 8888)
#include <array>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include <asio.hpp>

using asio::ip::tcp;

int main(int argc, char* argv[]) {
  const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 8888);
  try {
    //! [socket]
    asio::io_context io;       // Asio's link to the operating system; every socket needs one
    tcp::acceptor server(io);  // a socket that will only accept connections
    server.open(tcp::v4());    // socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    //! [socket]
    //! [bind]
    server.set_option(tcp::acceptor::reuse_address(true));  // bind again at once after a restart
    server.bind({asio::ip::address_v4::loopback(), port});  // server.bind(("127.0.0.1", 8888))
    //! [bind]
    //! [listen]
    server.listen(5);  // server.listen(5): up to 5 connections wait while we serve one
    //! [listen]
    std::cout << "listening on 127.0.0.1:" << server.local_endpoint().port() << std::endl;

    for (;;) {
      //! [accept]
      tcp::endpoint address;
      tcp::socket connection = server.accept(address);  // connection, address = server.accept()
      std::cout << "connection from " << address << std::endl;
      //! [accept]
      try {
        //! [recv]
        std::array<char, 1024> buffer;
        const std::size_t n = connection.read_some(asio::buffer(buffer));  // request = connection.recv(1024)
        std::cout << std::string_view(buffer.data(), n) << std::endl;      // print(request.decode())
        //! [recv]

        //! [send]
        const std::string_view body = "Hello, World!\n";
        std::string response = "HTTP/1.1 200 OK\r\n";                           // the status line
        response += "Content-Type: text/plain; charset=utf-8\r\n";              // what the body is
        response += "Content-Length: " + std::to_string(body.size()) + "\r\n";  // where it ends
        response += "Connection: close\r\n";                                    // and that we close after it
        response += "\r\n";                                                     // end of the header
        response += body;
        asio::write(connection, asio::buffer(response));  // connection.sendall(response.encode())
        //! [send]
        //! [close]
        connection.shutdown(tcp::socket::shutdown_both);  // no more bytes either way
        connection.close();                               // connection.close()
        //! [close]
      } catch (const std::system_error& e) {
        // This client went away early (it connected and closed, say): the next one is served.
        std::cout << "connection from " << address << ": " << e.code().message() << std::endl;
      }
    }
  } catch (const std::system_error& e) {
    // A port in use, say: "bind: Address already in use".
    std::cerr << "lesson02-server: " << e.what() << std::endl;
    return 1;
  }
}
