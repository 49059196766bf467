#include "server/echo/tcp_echo_server.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <chrono>
#include <memory>
#include <system_error>

#include <asio/buffer.hpp>
#include <asio/co_spawn.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include "server/messages.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/use_nothrow.hpp"
#include "socketlab/net/watchdog.hpp"

namespace socketlab::server {

tcp_echo_server::tcp_echo_server(asio::io_context& io, tcp_echo_config config)
    : io_(io), config_(std::move(config)), listener_(io.get_executor()) {
  const asio::ip::tcp::endpoint where(net::parse_address(config_.host), config_.port);
  const int backlog = config_.backlog > 0 ? config_.backlog : net::max_backlog();
  if (const auto failed = listener_.listen(where, backlog)) throw net::listen_failure(*failed, where);
}

void tcp_echo_server::start() {
  asio::co_spawn(io_, accept_loop(), fail_on_exception(config_.console, "tcp-echo: accept loop"));
}

void tcp_echo_server::stop() {
  assert(io_.get_executor().running_in_this_thread() && "stop() runs on the server's loop (post it there)");
  stopping_ = true;
  listener_.close();
  for (auto* s : open_) {
    std::error_code ignored;
    s->close(ignored);
  }
}

void tcp_echo_server::log(const std::string& line) const {
  if (config_.verbose && config_.console) config_.console(line + "\n");
}

asio::awaitable<void> tcp_echo_server::accept_loop() {
  while (!stopping_) {
    auto [ec, socket] = co_await listener_.acceptor().async_accept(net::use_nothrow);
    if (ec) {
      const auto next = net::classify_accept_error(ec);
      if (next == net::after_accept_error::stop) co_return;
      if (next == net::after_accept_error::pause) {  // out of descriptors, say: not a spin
        fail(config_.console, "tcp-echo: accept", ec);
        asio::steady_timer pause(io_, net::accept_retry_pause);
        co_await pause.async_wait(net::use_nothrow);
      }
      continue;
    }
    ++connections_;
    asio::co_spawn(io_, echo(std::move(socket)), fail_on_exception(config_.console, "tcp-echo: connection"));
  }
}

namespace {

/// One client's connection and its idle deadline, shared with the watchdog's callbacks, so a
/// callback that runs after the connection ended finds it stopped rather than destroyed.
struct echo_connection {
  explicit echo_connection(asio::ip::tcp::socket s) : socket(std::move(s)), idle(socket.get_executor()) {}
  asio::ip::tcp::socket socket;  ///< the client's connection
  net::watchdog idle;            ///< closes the socket once nothing has come for a while
  bool timed_out = false;        ///< the watchdog closed it
};

}  // namespace

asio::awaitable<void> tcp_echo_server::echo(asio::ip::tcp::socket accepted) {
  auto c = std::make_shared<echo_connection>(std::move(accepted));
  std::error_code ignored;
  const std::string peer = config_.verbose ? net::to_string(c->socket.remote_endpoint(ignored)) : "";
  log(peer + ": connected");
  open_.push_back(&c->socket);
  // Every read a client controls has a deadline: an idle connection is closed. Each read moves
  // it: an assignment, not a system call (net::watchdog).
  c->idle.set_deadline(std::chrono::steady_clock::now() + config_.idle);
  c->idle.start(c, [&c = *c] {
    c.timed_out = true;
    std::error_code already_closed;
    c.socket.close(already_closed);
  });
  std::array<char, 16384> buffer{};
  while (true) {
    auto [ec, n] = co_await c->socket.async_read_some(asio::buffer(buffer), net::use_nothrow);
    if (ec) break;  // end of stream, reset, idle timeout or stop()
    c->idle.set_deadline(std::chrono::steady_clock::now() + config_.idle);
    log(peer + ": read " + std::to_string(n) + " bytes, echoing them");
    auto [write_ec, written] =
        co_await asio::async_write(c->socket, asio::buffer(buffer.data(), n), net::use_nothrow);
    if (write_ec) break;
  }
  c->idle.stop();
  std::erase(open_, &c->socket);
  log(peer + (c->timed_out ? ": idle too long, closed" : ": closed"));
  c->socket.close(ignored);
}

}  // namespace socketlab::server
