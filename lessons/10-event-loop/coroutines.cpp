// Lesson 10: the event loop, with C++20 coroutines. The same echo server as callbacks.cpp, and
// the same single thread waiting on every socket at once; but each connection's code reads
// top to bottom, like lesson 02's loop. Every co_await is a point where the function steps
// aside, and the loop resumes it when its socket is ready.
//
// Usage: lesson10-coroutines [PORT]    (default 7007)
#include <array>
#include <cstdlib>
#include <iostream>
#include <system_error>

#include <asio.hpp>

#include "socketlab/net/use_nothrow.hpp"  // asio::as_tuple(asio::use_awaitable): errors as values

using asio::ip::tcp;
using socketlab::net::use_nothrow;

namespace {

int open_connections = 0;  // one thread runs every coroutine: no lock needed

//! [session]
/// One connection, from its first byte to its close. Its variables live in the coroutine's
/// frame, kept while it is suspended: no shared_ptr needed.
asio::awaitable<void> session(tcp::socket socket, tcp::endpoint peer) {
  std::array<char, 1024> buffer;
  std::size_t echoed = 0;
  std::error_code why;
  for (;;) {
    auto [read_ec, n] = co_await socket.async_read_some(asio::buffer(buffer), use_nothrow);  // conn.recv(1024)
    if (read_ec) {
      why = read_ec;  // the client closed, or failed
      break;
    }
    auto [write_ec, written] = co_await asio::async_write(socket, asio::buffer(buffer, n), use_nothrow);  // conn.sendall(data)
    if (write_ec) {
      why = write_ec;
      break;
    }
    echoed += written;  // and around again: the next read
  }
  --open_connections;
  std::cout << peer << " closed after " << echoed << " bytes: " << why.message() << " (" << open_connections
            << " open)" << std::endl;
}  // the frame is freed, and the socket closed
//! [session]

//! [accept]
asio::awaitable<void> accept(tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_nothrow);  // conn, addr = server.accept()
    if (ec) continue;
    const tcp::endpoint peer = socket.remote_endpoint(ec);
    ++open_connections;
    std::cout << peer << " connected (" << open_connections << " open)" << std::endl;
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket), peer), asio::detached);  // Thread(...).start()
  }
}
//! [accept]

}  // namespace

int main(int argc, char* argv[]) {
  const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 7007);
  try {
    //! [main]
    asio::io_context io;  // the event loop
    tcp::acceptor acceptor(io, {asio::ip::address_v4::loopback(), port});  // socket, bind, listen
    std::cout << "echo server on " << acceptor.local_endpoint() << ", one thread" << std::endl;
    asio::co_spawn(io, accept(acceptor), asio::detached);  // the first coroutine: the accept loop
    io.run();  // wait for a ready socket, resume its coroutine, wait again... (until Ctrl+C)
    //! [main]
  } catch (const std::system_error& e) {
    std::cerr << "lesson10-coroutines: " << e.what() << std::endl;
    return 1;
  }
}
