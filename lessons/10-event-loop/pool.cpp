// Lesson 10: a thread pool. Lesson 02's greeting server, run by a fixed number of threads
// started once: each one is lesson 02's loop (accept, receive, send, close), and all of them
// accept on the same listening socket. A flood of clients no longer means a flood of threads;
// but a slow client holds its worker, and past N of them the others wait in the listen queue.
//
// Usage: lesson10-pool [PORT] [--threads N] [--work-ms MS]    (defaults: 8888, 2 threads, no work)
#include <array>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <asio.hpp>

using asio::ip::tcp;

namespace {

/// Writes one whole line at once, so that lines from different threads do not interleave.
void say(const std::string& line) { std::cout << line + "\n" << std::flush; }

/// Lesson 07's handle(): one connection, served to its close, on the calling thread.
void handle(int worker, tcp::socket connection, const tcp::endpoint& address, std::chrono::milliseconds work) {
  std::ostringstream who;
  who << "worker " << worker << ": " << address;
  try {
    std::array<char, 1024> buffer;
    connection.read_some(asio::buffer(buffer));  // request = conn.recv(1024)
    std::this_thread::sleep_for(work);           // slow work (a database, say): this worker is held
    const std::string_view response =
        "HTTP/1.1 200 OK\r\nContent-Length: 14\r\nConnection: close\r\n\r\nHello, World!\n";
    asio::write(connection, asio::buffer(response));  // conn.sendall(response)
    connection.shutdown(tcp::socket::shutdown_both);
    connection.close();  // conn.close()
    say(who.str() + " served");
  } catch (const std::system_error& e) {
    say(who.str() + ": " + e.code().message());
  }
}

//! [worker]
void worker(int number, tcp::acceptor& server, std::chrono::milliseconds work) {  // def worker():
  for (;;) {                                                                      //     while True:
    tcp::endpoint address;
    std::error_code ec;
    tcp::socket connection = server.accept(address, ec);  // conn, addr = server.accept()
    if (!ec) handle(number, std::move(connection), address, work);  // handle(conn, addr)
  }
}
//! [worker]

}  // namespace

int main(int argc, char* argv[]) {
  unsigned short port = 8888;
  int threads = 2;
  std::chrono::milliseconds work{0};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--threads" && i + 1 < argc && std::atoi(argv[i + 1]) > 0) {
      threads = std::atoi(argv[++i]);
    } else if (arg == "--work-ms" && i + 1 < argc) {
      work = std::chrono::milliseconds(std::atoi(argv[++i]));
    } else if (!arg.empty() && arg[0] != '-') {
      port = static_cast<unsigned short>(std::atoi(argv[i]));
    } else {
      std::cerr << "usage: lesson10-pool [PORT] [--threads N] [--work-ms MS]" << std::endl;
      return 2;
    }
  }
  try {
    asio::io_context io;
    tcp::acceptor server(io);
    server.open(tcp::v4());
    server.set_option(tcp::acceptor::reuse_address(true));
    server.bind({asio::ip::address_v4::loopback(), port});
    server.listen(5);  // server.listen(5)
    std::cout << "listening on 127.0.0.1:" << server.local_endpoint().port() << ", a pool of " << threads
              << " threads" << std::endl;

    //! [pool]
    std::vector<std::thread> pool;
    try {
      for (int i = 1; i <= threads; ++i) pool.emplace_back(worker, i, std::ref(server), work);  // Thread(target=worker)
    } catch (const std::system_error& e) {  // no thread to be had: serve with the workers there are
      say("cannot start worker " + std::to_string(pool.size() + 1) + ": " + e.code().message());
    }
    for (std::thread& t : pool) t.join();  // never returns: the workers serve until Ctrl+C
    //! [pool]
    return pool.empty() ? 1 : 0;
  } catch (const std::system_error& e) {
    std::cerr << "lesson10-pool: " << e.what() << std::endl;
    return 1;
  }
}
