// Lesson 05: many ports, one process. The original exercise's three sites: English on 8888,
// French on 8881, Spanish on 8000. One listening socket per port, and one thread per port
// running lesson 02's accept loop. Plain Asio, blocking calls: every system call is visible.
// Connections on one port are still served one at a time (lesson 07), and Ctrl+C ends the
// process at once (lesson 13).
//
// Usage: lesson05-sites [PORT_EN PORT_FR PORT_ES]    (default 8888 8881 8000)
#include <array>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <asio.hpp>

using asio::ip::tcp;

namespace {

//! [site]
/// What one port serves.
struct site {
  unsigned short port;        // where it listens
  std::string_view language;  // its language code, sent as Content-Language
  std::string_view name;      // for the start-up lines
  std::string_view greeting;  // the body, UTF-8
};
//! [site]

std::mutex print_mutex;  // the threads share std::cout: one whole line at a time

void print(const std::string& line) {
  const std::lock_guard lock(print_mutex);
  std::cout << line << std::endl;
}

/// socket, bind and listen for one port; a failure names the port.
tcp::acceptor listen_on(asio::io_context& io, unsigned short port) {
  try {
    return tcp::acceptor(io, {asio::ip::address_v4::loopback(), port});  // as in lesson 02
  } catch (const std::system_error& e) {
    throw std::runtime_error("port " + std::to_string(port) + ": " + e.what());
  }
}

//! [serve]
/// Lesson 02's loop for one port, forever: accept, read the request, answer, close.
void serve(tcp::acceptor& server, const site& s) {
  for (;;) {
    tcp::endpoint address;
    tcp::socket connection = server.accept(address);  // conn, addr = server.accept()
    try {
      std::string request;  // lesson 04's loop, done by Asio: read until the empty line
      asio::read_until(connection, asio::dynamic_buffer(request, 8 * 1024), "\r\n\r\n");
      const std::string body = std::string(s.greeting) + "\n";
      std::string response = "HTTP/1.1 200 OK\r\n";
      response += "Content-Type: text/plain; charset=utf-8\r\n";
      response += "Content-Language: " + std::string(s.language) + "\r\n";  // this port's language
      response += "Content-Length: " + std::to_string(body.size()) + "\r\n";
      response += "Connection: close\r\n\r\n";
      response += body;
      asio::write(connection, asio::buffer(response));  // conn.sendall(...)
      connection.shutdown(tcp::socket::shutdown_both);
      print(std::to_string(s.port) + ": " + request.substr(0, request.find("\r\n")));
    } catch (const std::system_error& e) {
      print(std::to_string(s.port) + ": " + e.code().message());  // this client failed; the next one is served
    }
  }  // connection is closed here: conn.close()
}
//! [serve]

}  // namespace

int main(int argc, char* argv[]) {
  //! [sites]
  std::array<site, 3> sites{{
      {8888, "en", "English", "Hello, World!"},
      {8881, "fr", "French", "Bonjour, le monde\u202F!"},
      {8000, "es", "Spanish", "\u00A1Hola, Mundo!"},
  }};
  //! [sites]
  for (std::size_t i = 0; i < sites.size() && i + 1 < static_cast<std::size_t>(argc); ++i)
    sites[i].port = static_cast<unsigned short>(std::atoi(argv[i + 1]));  // ports from the command line
  try {
    //! [listen]
    asio::io_context io;
    std::vector<tcp::acceptor> servers;  // one listening socket per port
    for (const site& s : sites)
      servers.push_back(listen_on(io, s.port));  // all three ports, or an error and none
    for (const site& s : sites)
      std::cout << "  http://127.0.0.1:" << s.port << "/  " << s.name << " (" << s.language << ")\n";
    std::cout << "Press Ctrl+C to stop." << std::endl;
    //! [listen]
    //! [threads]
    std::vector<std::thread> threads;  // one per port, each in its own accept loop
    for (std::size_t i = 0; i < sites.size(); ++i)
      threads.emplace_back(serve, std::ref(servers[i]), std::cref(sites[i]));
    for (std::thread& t : threads) t.join();  // never returns: the loops run until Ctrl+C
    //! [threads]
  } catch (const std::exception& e) {
    std::cerr << "lesson05-sites: " << e.what() << std::endl;
    return 1;
  }
}
