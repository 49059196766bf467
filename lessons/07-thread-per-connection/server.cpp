// Lesson 07: one thread per connection. Lesson 02's server, but each accepted connection is
// handed to a thread of its own, detached like the original's daemon threads, and the main
// thread goes straight back to accept(). A slow client now holds up only its own thread.
//
// Usage: lesson07-server [PORT] [--work-ms MS]    (defaults: 8888, no simulated work)
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include <asio.hpp>

using asio::ip::tcp;

//! [shared]
std::atomic<int> served{0};  // every thread adds to it: atomic, so no two additions are lost
//! [shared]

/// Writes one whole line at once, so that lines from different threads do not interleave.
void say(const std::string& line) { std::cout << line + "\n" << std::flush; }

//! [handle]
void handle(tcp::socket connection, tcp::endpoint address, std::chrono::milliseconds work) {  // def handle(conn, addr):
  std::ostringstream who;
  who << "thread " << std::this_thread::get_id() << ": " << address;
  try {
    std::array<char, 1024> buffer;
    connection.read_some(asio::buffer(buffer));  // request = conn.recv(1024)
    std::this_thread::sleep_for(work);           // slow work (a database, say): only this thread waits
    const std::string_view response =
        "HTTP/1.1 200 OK\r\nContent-Length: 14\r\nConnection: close\r\n\r\nHello, World!\n";
    asio::write(connection, asio::buffer(response));  // conn.sendall(response)
    connection.shutdown(tcp::socket::shutdown_both);
    connection.close();  // conn.close()
    say(who.str() + " served, request " + std::to_string(++served));
  } catch (const std::system_error& e) {
    // An exception must not leave a thread's function: that would end the whole process.
    say(who.str() + ": " + e.code().message());
  }
}
//! [handle]

int main(int argc, char* argv[]) {
  unsigned short port = 8888;
  std::chrono::milliseconds work{0};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--work-ms" && i + 1 < argc) {
      work = std::chrono::milliseconds(std::atoi(argv[++i]));
    } else if (!arg.empty() && arg[0] != '-') {
      port = static_cast<unsigned short>(std::atoi(argv[i]));
    } else {
      std::cerr << "usage: lesson07-server [PORT] [--work-ms MS]" << std::endl;
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
    std::cout << "listening on 127.0.0.1:" << server.local_endpoint().port() << ", a thread per connection"
              << std::endl;

    for (;;) {
      //! [accept]
      tcp::endpoint address;
      tcp::socket connection = server.accept(address);  // conn, addr = server.accept()
      //! [accept]
      try {
        //! [thread]
        std::thread worker(handle, std::move(connection), address, work);  // threading.Thread(target=handle, args=(conn, addr),
        worker.detach();                                                   //                  daemon=True).start()
        //! [thread]
      } catch (const std::system_error& e) {
        // No thread to be had (a limit, no memory): this client is closed, the next one tried.
        say("cannot start a thread for " + address.address().to_string() + ": " + e.code().message());
      }
    }
  } catch (const std::system_error& e) {
    std::cerr << "lesson07-server: " << e.what() << std::endl;
    return 1;
  }
}
