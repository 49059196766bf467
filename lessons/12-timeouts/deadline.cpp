// Lesson 12: a deadline for the request header. The greeting server of lesson 02, served on an
// event loop (lesson 10) and listening through the kit's net::tcp_listener (lesson 11), where
// every read a client controls is raced against a timer: a client that sends nothing, or half a
// request, is answered 408 and dropped when its time is up, instead of holding the server forever.
//
// Usage: lesson12-deadline [PORT] [SECONDS]    (default 8888, 0.5)
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>

#include <asio.hpp>

#include "socketlab/net/endpoint.hpp"      // parse_port, to_string
#include "socketlab/net/tcp_listener.hpp"  // socket, bind, listen (lesson 11)
#include "socketlab/net/use_nothrow.hpp"   // asio::as_tuple(asio::use_awaitable): errors as values

namespace net = socketlab::net;
using asio::ip::tcp;
using net::use_nothrow;
using std::chrono::steady_clock;

namespace {

//! [connection]
/// What the read and its watchdog share. Both hold a shared_ptr to it: whichever finishes
/// last frees it.
struct connection {
  explicit connection(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
  tcp::socket socket;
  asio::steady_timer timer;  // rings at the deadline
  bool header_done = false;  // the read finished first (or at the same moment)
  bool timed_out = false;    // the timer finished first, and cancelled the read
};
//! [connection]

std::string http_response(const std::string& status, const std::string& body) {
  return "HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

asio::awaitable<void> serve(std::shared_ptr<connection> c, tcp::endpoint peer, steady_clock::duration timeout) {
  const auto start = steady_clock::now();
  //! [watchdog]
  c->timer.expires_after(timeout);  // one deadline for the whole header, however many reads
  c->timer.async_wait([c](std::error_code ec) {
    if (ec || c->header_done) return;  // cancelled, or the header came in time
    c->timed_out = true;
    c->socket.cancel();  // the pending read ends now, with operation_aborted
  });
  //! [watchdog]
  //! [read]
  std::string request;  // read until the empty line that ends an HTTP header
  auto [ec, n] = co_await asio::async_read_until(c->socket, asio::dynamic_buffer(request), "\r\n\r\n", use_nothrow);
  c->header_done = true;
  c->timer.cancel();  // if it is still waiting, its handler runs with operation_aborted
  //! [read]
  const std::chrono::duration<double> took = steady_clock::now() - start;

  //! [answer]
  std::string response;
  std::cout << peer << ": ";
  if (!ec) {
    response = http_response("200 OK", "Hello, World!\n");
    std::cout << "header complete, " << n << " bytes: 200" << std::endl;
  } else if (c->timed_out) {
    response = http_response("408 Request Timeout", "Request Timeout: the request did not arrive in time\n");
    std::cout << request.size() << " bytes, no complete header after " << std::fixed << std::setprecision(1)
              << took.count() << " s: 408" << std::endl;
  } else {
    std::cout << "closed by the client after " << request.size() << " bytes: " << ec.message() << std::endl;
  }
  if (!response.empty()) co_await asio::async_write(c->socket, asio::buffer(response), use_nothrow);
  //! [answer]
}  // the last shared_ptr goes: the socket is closed

asio::awaitable<void> accept(tcp::acceptor& acceptor, steady_clock::duration timeout) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_nothrow);
    if (ec) continue;
    const tcp::endpoint peer = socket.remote_endpoint(ec);
    asio::co_spawn(acceptor.get_executor(), serve(std::make_shared<connection>(std::move(socket)), peer, timeout),
                   asio::detached);
  }
}

}  // namespace

int main(int argc, char* argv[]) {
  const double seconds = argc > 2 ? std::atof(argv[2]) : 0.5;
  try {
    const std::uint16_t port = argc > 1 ? net::parse_port(argv[1]) : 8888;
    asio::io_context io;
    const tcp::endpoint where{asio::ip::address_v4::loopback(), port};
    net::tcp_listener listener(io.get_executor());
    if (const auto failed = listener.listen(where, net::max_backlog())) throw net::listen_failure(*failed, where);
    const auto timeout = std::chrono::duration_cast<steady_clock::duration>(std::chrono::duration<double>(seconds));
    std::cout << "listening on " << net::to_string(listener.local_endpoint()) << "; a request header has " << seconds
              << " s" << std::endl;
    asio::co_spawn(io, accept(listener.acceptor(), timeout), asio::detached);
    io.run();
  } catch (const std::exception& e) {
    std::cerr << "lesson12-deadline: " << e.what() << std::endl;
    return 1;
  }
}
