#include "server/tcp_echo_server.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <system_error>

#include <asio/buffer.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::server {

tcp_echo_server::tcp_echo_server(asio::io_context& io, tcp_echo_config config)
    : io_(io), config_(std::move(config)), listener_(io.get_executor()) {
  const asio::ip::tcp::endpoint where(net::parse_address(config_.host), config_.port);
  const int backlog = config_.backlog > 0 ? config_.backlog : net::max_backlog();
  if (const auto failed = listener_.listen(where, backlog))
    throw std::system_error(failed->code, std::string(failed->step) + " " + net::to_string(where));
}

void tcp_echo_server::start() {
  asio::co_spawn(io_, accept_loop(), asio::detached);
}

void tcp_echo_server::stop() {
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
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) continue;  // e.g. the client gave up before we accepted; keep serving the others
    ++connections_;
    asio::co_spawn(io_, echo(std::move(socket)), asio::detached);
  }
}

namespace {

/// A connection's idle deadline, shared with the timer callbacks that watch it, so a callback
/// that runs after the connection ended finds `done` rather than a destroyed coroutine frame.
struct idle_watch {
  explicit idle_watch(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;                        ///< sleeps until the deadline
  std::chrono::steady_clock::time_point deadline;  ///< moved forward by every read
  bool timed_out = false;                          ///< the watch closed the socket
  bool done = false;                               ///< the connection has ended
};

/// Sleeps until the deadline; if a read moved it meanwhile, sleeps again, else closes the
/// socket. Moving a number per read costs nothing, where re-arming a timer per read would cost
/// a system call (the HTTP server's watchdog works the same way).
void watch(const std::shared_ptr<idle_watch>& w, asio::ip::tcp::socket& socket) {
  w->timer.expires_at(w->deadline);
  w->timer.async_wait([w, &socket](const std::error_code& ec) {
    if (ec || w->done) return;
    if (std::chrono::steady_clock::now() < w->deadline) return watch(w, socket);
    w->timed_out = true;
    std::error_code ignored;
    socket.close(ignored);
  });
}

}  // namespace

asio::awaitable<void> tcp_echo_server::echo(asio::ip::tcp::socket socket) {
  std::error_code ignored;
  const std::string peer = config_.verbose ? net::to_string(socket.remote_endpoint(ignored)) : "";
  log(peer + ": connected");
  open_.push_back(&socket);
  // Every read a client controls has a deadline: an idle connection is closed.
  auto idle = std::make_shared<idle_watch>(io_);
  idle->deadline = std::chrono::steady_clock::now() + config_.idle;
  watch(idle, socket);
  std::array<char, 16384> buffer{};
  while (true) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), net::use_nothrow);
    if (ec) break;  // end of stream, reset, idle timeout or stop()
    idle->deadline = std::chrono::steady_clock::now() + config_.idle;
    log(peer + ": read " + std::to_string(n) + " bytes, echoing them");
    auto [write_ec, written] =
        co_await asio::async_write(socket, asio::buffer(buffer.data(), n), net::use_nothrow);
    if (write_ec) break;
  }
  idle->done = true;
  idle->timer.cancel();
  std::erase(open_, &socket);
  log(peer + (idle->timed_out ? ": idle too long, closed" : ": closed"));
  socket.close(ignored);
}

}  // namespace socketlab::server
