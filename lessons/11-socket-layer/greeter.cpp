// Lesson 11: the kit's socket layer. Lesson 02's greeting server, with its raw calls replaced by
// socketlab/net: each ADDRESS:PORT is parsed (net::parse_host_port), resolved for listening
// (net::resolve_listen) and listened on (net::tcp_listener), IPv4 or IPv6, with the system's
// largest listen queue (net::max_backlog). Each answer tells the client which two addresses the
// connection joins, as the server sees them; a client has 10 s to send its request
// (net::watchdog); Ctrl+C closes the listeners (net::shutdown_signal). --dual-stack listens on
// IPv6 addresses by hand instead, with IPV6_V6ONLY off: what the kit does not do, to see why.
//
// Usage: lesson11-greeter [--dual-stack] [ADDRESS:PORT ...]    (default 127.0.0.1:8888)
//   e.g. lesson11-greeter '[::]:8888' 0.0.0.0:8888    (IPv6 and IPv4: two sockets, one port)
#include <chrono>
#include <iostream>
#include <list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <asio.hpp>

#include "socketlab/net/endpoint.hpp"         // parse_host_port, to_string: "[::1]:8888"
#include "socketlab/net/resolve.hpp"          // resolve_listen: a name or literal to bind
#include "socketlab/net/shutdown_signal.hpp"  // Ctrl+C as an event on the loop
#include "socketlab/net/tcp_listener.hpp"     // socket, v6_only, reuse_address, bind, listen
#include "socketlab/net/use_nothrow.hpp"      // errors as values in co_await
#include "socketlab/net/watchdog.hpp"         // a deadline for the request

namespace net = socketlab::net;
using asio::ip::tcp;

namespace {

constexpr std::chrono::seconds request_time{10};  // for the whole request header

/// One client: its socket, and the deadline its request must meet.
struct connection {
  explicit connection(tcp::socket s) : socket(std::move(s)), deadline(socket.get_executor()) {}
  tcp::socket socket;
  net::watchdog deadline;
};

/// Lesson 02's answer, and the two ends of the connection as this server sees them.
std::string greeting(const tcp::socket& socket) {
  std::error_code ec;
  const std::string body = "Hello, World! You came from " + net::to_string(socket.remote_endpoint(ec)) +
                           " to " + net::to_string(socket.local_endpoint(ec)) + ".\n";
  return "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

asio::awaitable<void> serve(std::shared_ptr<connection> c) {
  //! [deadline]
  c->deadline.set_deadline(net::watchdog::clock::now() + request_time);
  c->deadline.start(c, [&socket = c->socket] {
    std::error_code ignored;
    socket.cancel(ignored);  // the read below ends with operation_aborted
  });
  std::string request;
  auto [ec, n] = co_await asio::async_read_until(c->socket, asio::dynamic_buffer(request), "\r\n\r\n",
                                                 net::use_nothrow);
  c->deadline.stop();
  //! [deadline]
  if (ec) co_return;  // too slow, or gone: just close
  std::cout << "connection from " << net::to_string(c->socket.remote_endpoint(ec)) << " to "
            << net::to_string(c->socket.local_endpoint(ec)) << std::endl;
  const std::string response = greeting(c->socket);  // a few hundred bytes: the send buffer takes them
  co_await asio::async_write(c->socket, asio::buffer(response), net::use_nothrow);
  c->socket.shutdown(tcp::socket::shutdown_both, ec);
}

asio::awaitable<void> accept(tcp::acceptor& acceptor) {
  asio::steady_timer pause(acceptor.get_executor());
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(net::use_nothrow);  // conn, addr = server.accept()
    if (!ec) {
      asio::co_spawn(acceptor.get_executor(), serve(std::make_shared<connection>(std::move(socket))),
                     asio::detached);
      continue;
    }
    switch (net::classify_accept_error(ec)) {
      case net::after_accept_error::stop:  // the listener was closed (Ctrl+C)
        co_return;
      case net::after_accept_error::accept_again:  // the client gave up while it waited in the queue
        break;
      case net::after_accept_error::pause:  // out of descriptors (lesson 08), say: do not spin on it
        std::cout << "accept: " << ec.message() << std::endl;
        pause.expires_after(net::accept_retry_pause);
        co_await pause.async_wait(net::use_nothrow);
        break;
    }
  }
}

/// Which clients @p acceptor takes, from the socket's own option: the truth, whoever set it.
std::string families(tcp::acceptor& acceptor) {
  if (acceptor.local_endpoint().address().is_v4()) return "IPv4";
  asio::ip::v6_only only;
  acceptor.get_option(only);
  return only.value() ? "IPv6 only" : "IPv6 and IPv4 (dual-stack)";
}

/// --dual-stack: one IPv6 socket that takes IPv4 clients too, written out, as the kit will not.
void listen_dual_stack(tcp::acceptor& acceptor, const tcp::endpoint& where) {
  //! [dual-stack]
  acceptor.open(tcp::v6());                                 // socket(AF_INET6, SOCK_STREAM)
  acceptor.set_option(asio::ip::v6_only(false));            // IPv4 clients too, as ::ffff:a.b.c.d
  acceptor.set_option(tcp::acceptor::reuse_address(true));  // lesson 02's line, POSIX's meaning
  acceptor.bind(where);                                     // bind(("::", 8888))
  acceptor.listen(net::max_backlog());
  //! [dual-stack]
}

}  // namespace

int main(int argc, char* argv[]) {
  bool dual_stack = false;
  std::vector<std::string_view> wanted;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--dual-stack") {
      dual_stack = true;
    } else {
      wanted.push_back(arg);
    }
  }
  if (wanted.empty()) wanted.push_back("127.0.0.1:8888");
  try {
    asio::io_context io;
    std::list<net::tcp_listener> listeners;  // a list: the accept loops hold references into it
    for (const std::string_view text : wanted) {
      //! [listen]
      const net::host_port hp = net::parse_host_port(text);  // "[::]:8888": "::" and 8888
      std::error_code ec;
      const tcp::endpoint where = net::resolve_listen(io.get_executor(), hp.host, hp.port, ec);
      if (ec) throw std::runtime_error("cannot listen on " + hp.host + ": " + ec.message());
      net::tcp_listener& listener = listeners.emplace_back(io.get_executor());
      if (dual_stack && where.address().is_v6()) {
        listen_dual_stack(listener.acceptor(), where);  // by hand; throws std::system_error
      } else if (const auto failed = listener.listen(where, net::max_backlog())) {
        throw net::listen_failure(*failed, where);  // "port 8888 is already in use (another server?)"
      }
      //! [listen]
      std::cout << "listening on " << net::to_string(listener.local_endpoint()) << ", "
                << families(listener.acceptor()) << std::endl;
      asio::co_spawn(io, accept(listener.acceptor()), asio::detached);
    }
    std::cout << "listen queue: " << net::max_backlog() << " (the system's maximum)" << std::endl;

    //! [stop]
    net::shutdown_signal stop(io.get_executor(), [&](int signal) {
      std::cout << net::signal_name(signal) << ": closing the listening sockets" << std::endl;
      for (auto& listener : listeners) listener.close();  // each accept loop ends: operation_aborted
    });
    io.run();  // until no accept loop and no connection is left
    std::cout << "stopped" << std::endl;
    //! [stop]
  } catch (const std::exception& e) {
    // "'::1:8888': put an IPv6 address in brackets: [::1]:8888", "port 8888 is already in use ..."
    std::cerr << "lesson11-greeter: " << e.what() << std::endl;
    return 1;
  }
}
