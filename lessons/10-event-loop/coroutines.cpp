// Lesson 10: the event loop, with C++20 coroutines. The same echo server as callbacks.cpp, and
// the same loop waiting on every socket at once; but each connection's code reads top to
// bottom, like lesson 02's loop. Every co_await is a point where the function steps aside, and
// the loop resumes it when its socket is ready. With --threads N, N threads run that one loop.
//
// Usage: lesson10-coroutines [PORT] [--threads N]    (defaults: 7007, 1 thread)
#include <array>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <thread>
#include <tuple>
#include <vector>

#include <asio.hpp>

#include "socketlab/net/use_nothrow.hpp"  // asio::as_tuple(asio::use_awaitable): errors as values

using asio::ip::tcp;
using socketlab::net::use_nothrow;

namespace {

std::atomic<int> open_connections{0};  // with --threads N, coroutines run on N threads: atomic

/// Writes one whole line at once, so that lines from different threads do not interleave.
template <typename... Parts>
void say(const Parts&... parts) {
  std::ostringstream line;
  (line << ... << parts) << "\n";
  std::cout << line.str() << std::flush;
}

//! [session]
/// One connection, from its first byte to its close. Its variables live in the coroutine's
/// frame, kept while it is suspended: no shared_ptr needed.
asio::awaitable<void> session(tcp::socket socket, tcp::endpoint peer) {  // async def handle(reader, writer):
  std::array<char, 1024> buffer;
  std::error_code ec;
  std::size_t n = 0;
  std::size_t echoed = 0;
  for (;;) {
    std::tie(ec, n) = co_await socket.async_read_some(asio::buffer(buffer), use_nothrow);  // await reader.read(1024)
    if (ec) break;  // the client closed, or failed
    std::tie(ec, n) = co_await asio::async_write(socket, asio::buffer(buffer, n), use_nothrow);  // write(), drain()
    if (ec) break;
    echoed += n;  // and around again: the next read
  }
  say(peer, " closed after ", echoed, " bytes: ", ec.message(), " (", --open_connections, " open)");
}  // the frame is freed, and the socket closed
//! [session]

//! [accept]
asio::awaitable<void> accept(tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_nothrow);  // conn, addr = server.accept()
    if (ec) continue;
    const tcp::endpoint peer = socket.remote_endpoint(ec);
    say(peer, " connected (", ++open_connections, " open)");
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket), peer), asio::detached);  // create_task()
  }
}
//! [accept]

}  // namespace

int main(int argc, char* argv[]) {
  unsigned short port = 7007;
  int threads = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--threads" && i + 1 < argc && std::atoi(argv[i + 1]) > 0) {
      threads = std::atoi(argv[++i]);
    } else if (!arg.empty() && arg[0] != '-') {
      port = static_cast<unsigned short>(std::atoi(argv[i]));
    } else {
      std::cerr << "usage: lesson10-coroutines [PORT] [--threads N]" << std::endl;
      return 2;
    }
  }
  try {
    asio::io_context io;  // the event loop
    tcp::acceptor acceptor(io, {asio::ip::address_v4::loopback(), port});  // socket, bind, listen
    std::cout << "echo server on " << acceptor.local_endpoint() << ", " << threads
              << (threads == 1 ? " thread" : " threads") << std::endl;
    asio::co_spawn(io, accept(acceptor), asio::detached);  // the first coroutine: the accept loop
    //! [threads]
    std::vector<std::thread> more;  // threads 2..N, running the same loop as this one
    try {
      for (int i = 2; i <= threads; ++i) more.emplace_back([&io] { io.run(); });
    } catch (const std::system_error& e) {  // no thread to be had: run on those there are
      std::cerr << "cannot start thread " << more.size() + 2 << ": " << e.code().message() << std::endl;
    }
    io.run();  // wait for a ready socket, resume its coroutine, wait again... (until Ctrl+C)
    for (std::thread& t : more) t.join();
    //! [threads]
  } catch (const std::system_error& e) {
    std::cerr << "lesson10-coroutines: " << e.what() << std::endl;
    return 1;
  }
}
