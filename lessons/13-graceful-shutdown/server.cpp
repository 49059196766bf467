// Lesson 13: signals and graceful shutdown. A greeting server on the event loop (lesson 10)
// that, on SIGINT (Ctrl+C) or SIGTERM (kill, systemd, docker stop), stops the way a server
// should: no new connections, idle keep-alive connections closed, requests under way answered
// (with "Connection: close"), then exit — and a deadline, in case a request never ends.
//
// Usage: lesson13-server [PORT] [WORK_MS] [DEADLINE_MS]    (defaults 8888, 0, 10000)
//   WORK_MS stands for slow work per request (a database, a disk): a timer, nothing more.
#include <array>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <set>
#include <string>

#include <asio.hpp>

#include "socketlab/net/endpoint.hpp"         // parse_port, to_string
#include "socketlab/net/shutdown_signal.hpp"  // signal_name
#include "socketlab/net/tcp_listener.hpp"     // socket, bind, listen (lesson 11)

namespace net = socketlab::net;
using asio::ip::tcp;
using std::chrono::milliseconds;

/// One client's connection.
struct connection {
  connection(tcp::socket s, const tcp::endpoint& from) : socket(std::move(s)), peer(from), work(socket.get_executor()) {}
  tcp::socket socket;
  tcp::endpoint peer;
  asio::steady_timer work;  ///< the slow part of an answer
  std::string request;      ///< bytes of a request not answered yet; empty: the connection is idle
};

/// What the accept loop, the connections and the signal handler share (one thread: no locks).
struct server {
  net::tcp_listener listener;
  milliseconds work;
  std::set<std::shared_ptr<connection>> open;  ///< every connection, so that shutdown can find them
  bool stopping = false;
  asio::steady_timer deadline;  ///< how long requests under way may take once stopping
};

asio::awaitable<void> serve(server& s, std::shared_ptr<connection> c) {
  std::error_code ec;
  auto no_throw = asio::redirect_error(asio::use_awaitable, ec);  // errors into ec, no exceptions
  std::array<char, 1024> buffer;
  for (;;) {
    // Read one request header: until the empty line (lesson 04). The body, if any, is ignored.
    while (c->request.find("\r\n\r\n") == std::string::npos) {
      const std::size_t n = co_await c->socket.async_read_some(asio::buffer(buffer), no_throw);
      if (ec) break;  // the client closed, or the shutdown closed this idle connection
      c->request.append(buffer.data(), n);
    }
    if (ec) break;
    c->work.expires_after(s.work);  // the slow part of the answer
    co_await c->work.async_wait(no_throw);
    if (ec) break;  // the deadline closed this connection

    //! [answer]
    const bool last = s.stopping;  // decided when the answer is written, not when it was asked
    std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n";
    response += "Content-Length: 14\r\n";
    response += last ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    response += "\r\nHello, World!\n";
    co_await asio::async_write(c->socket, asio::buffer(response), no_throw);
    if (ec) break;
    std::cout << c->peer << ": answered" << (last ? ", Connection: close" : "") << std::endl;
    c->request.clear();  // idle again, until the next request of this keep-alive connection
    if (last) break;
    //! [answer]
  }
  c->socket.close(ec);
  s.open.erase(c);
  if (s.stopping && s.open.empty()) s.deadline.cancel();  // the last one: no need to wait
}

asio::awaitable<void> accept_loop(server& s) {
  for (;;) {
    std::error_code ec;
    tcp::endpoint peer;
    tcp::socket socket =
        co_await s.listener.acceptor().async_accept(peer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (!s.stopping) std::cout << "accept: " << ec.message() << std::endl;
      co_return;  // operation_aborted: the shutdown closed the acceptor
    }
    auto c = std::make_shared<connection>(std::move(socket), peer);
    s.open.insert(c);
    std::cout << "connection from " << c->peer << std::endl;
    asio::co_spawn(s.listener.acceptor().get_executor(), serve(s, c), asio::detached);
  }
}

void shut_down(server& s, int signal_number, milliseconds grace) {
  //! [stop]
  std::cout << net::signal_name(signal_number) << " received: the listening socket is closed, "
            << "new clients are refused" << std::endl;
  s.stopping = true;
  s.listener.close();  // 1. stop accepting: the port is free at once
  //! [stop]

  //! [sort]
  std::error_code ignored;
  int idle = 0;
  int busy = 0;
  for (const auto& c : s.open) {
    // Idle: no byte of a request read, and none waiting in the system's buffer either.
    if (c->request.empty() && c->socket.available(ignored) == 0) {
      c->socket.close(ignored);  // 2. close idle keep-alive connections; their read ends
      ++idle;
    } else {
      ++busy;  // 3. a request under way: let it finish; its answer says Connection: close
    }
  }
  //! [sort]
  std::cout << "idle connections closed: " << idle << "; requests under way: " << busy;
  if (busy == 0) {
    std::cout << std::endl;
    return;
  }
  std::cout << ", waiting for them (at most " << grace.count() << " ms)" << std::endl;
  //! [deadline]
  s.deadline.expires_after(grace);  // 4. but not for ever
  s.deadline.async_wait([&s](const std::error_code& ec) {
    if (ec) return;  // cancelled: every connection closed in time
    std::cout << "deadline: closing " << s.open.size() << " connections unanswered" << std::endl;
    std::error_code unused;
    for (const auto& c : s.open) {
      c->socket.close(unused);  // the client sees the connection end with no answer
      c->work.cancel();
    }
  });
  //! [deadline]
}

int main(int argc, char* argv[]) {
  const milliseconds work(argc > 2 ? std::atoi(argv[2]) : 0);
  const milliseconds grace(argc > 3 ? std::atoi(argv[3]) : 10000);
  try {
    const std::uint16_t port = argc > 1 ? net::parse_port(argv[1]) : 8888;
    asio::io_context io;
    server s{net::tcp_listener(io.get_executor()), work, {}, false, asio::steady_timer(io)};
    const tcp::endpoint where{asio::ip::address_v4::loopback(), port};
    if (const auto failed = s.listener.listen(where, net::max_backlog())) throw net::listen_failure(*failed, where);

    //! [signals]
    asio::signal_set signals(io, SIGINT, SIGTERM);  // signal.signal(signal.SIGINT, handler)
    signals.async_wait([&](const std::error_code& ec, int signal_number) {
      if (!ec) shut_down(s, signal_number, grace);  // runs on the loop, not inside the signal
    });
    //! [signals]
#if defined(SIGBREAK)
    signals.add(SIGBREAK);  // Windows: Ctrl+Break
#endif

    std::cout << "listening on " << net::to_string(s.listener.local_endpoint()) << ", " << work.count()
              << " ms of work per request" << std::endl;
    asio::co_spawn(io, accept_loop(s), asio::detached);
    //! [run]
    io.run();  // returns when no operation is pending: no accept, no read, no timer wait
    std::cout << "stopped" << std::endl;
    //! [run]
  } catch (const std::exception& e) {
    std::cerr << "lesson13-server: " << e.what() << std::endl;
    return 1;
  }
}
