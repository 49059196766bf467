// Lesson 06: the listen queue. Lesson 02's server with two knobs: the backlog it passes to
// listen(), and a time it stays busy before its first accept(). While it is busy, the system
// goes on completing handshakes and queueing them: watch the queue fill, and overflow.
//
// Usage: lesson06-server [PORT] [--backlog N] [--delay SECONDS]
//        (defaults: 8888, a backlog of 5, and no delay: it waits for Enter instead)
#include <array>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>

#include <asio.hpp>

using asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

/// The command line: [PORT] [--backlog N] [--delay SECONDS].
struct options {
  unsigned short port = 8888;
  int backlog = 5;
  double delay = 0;  // seconds; 0: wait for Enter
};

bool parse(int argc, char* argv[], options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--backlog" && i + 1 < argc) {
      o.backlog = std::atoi(argv[++i]);
    } else if (arg == "--delay" && i + 1 < argc) {
      o.delay = std::atof(argv[++i]);
    } else if (!arg.empty() && arg[0] != '-') {
      o.port = static_cast<unsigned short>(std::atoi(argv[i]));
    } else {
      return false;
    }
  }
  return true;
}

int main(int argc, char* argv[]) {
  options o;
  if (!parse(argc, argv, o)) {
    std::cerr << "usage: lesson06-server [PORT] [--backlog N] [--delay SECONDS]" << std::endl;
    return 2;
  }
  const auto [port, backlog, delay] = o;
  try {
    asio::io_context io;
    tcp::acceptor server(io);
    server.open(tcp::v4());
    server.set_option(tcp::acceptor::reuse_address(true));
    server.bind({asio::ip::address_v4::loopback(), port});
    //! [listen]
    server.listen(backlog);  // server.listen(5): the system queues up to `backlog` connections
    //! [listen]
    const auto start = clock_type::now();
    std::cout << "listening on 127.0.0.1:" << server.local_endpoint().port() << " with a backlog of "
              << backlog << std::endl;

    //! [busy]
    if (delay > 0) {  // busy with something else: no accept() for a while
      std::cout << "busy for " << delay << " s: not calling accept()" << std::endl;
      std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    } else {  // or until you press Enter
      std::cout << "press Enter to start calling accept()" << std::endl;
      std::string line;
      std::getline(std::cin, line);
    }
    //! [busy]

    for (;;) {
      //! [accept]
      tcp::endpoint address;
      tcp::socket connection = server.accept(address);  // the oldest connection in the queue
      const std::chrono::duration<double> now = clock_type::now() - start;
      std::cout << "[" << now.count() << " s] accepted " << address << std::endl;
      //! [accept]
      try {
        std::array<char, 1024> buffer;
        connection.read_some(asio::buffer(buffer));  // the request (lesson 04 reads it properly)
        const std::string_view response =
            "HTTP/1.1 200 OK\r\nContent-Length: 14\r\nConnection: close\r\n\r\nHello, World!\n";
        asio::write(connection, asio::buffer(response));
        connection.shutdown(tcp::socket::shutdown_both);
        connection.close();
      } catch (const std::system_error& e) {
        // The client gave up while it waited in the queue: it is gone, serve the next one.
        std::cout << "  " << address << ": " << e.code().message() << std::endl;
      }
    }
  } catch (const std::system_error& e) {
    std::cerr << "lesson06-server: " << e.what() << std::endl;
    return 1;
  }
}
