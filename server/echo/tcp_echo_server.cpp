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

/// One client's connection and its idle deadline, shared with the watchdog's callbacks, so a
/// callback that runs after the connection ended finds it stopped rather than destroyed.
struct tcp_echo_server::connection {
  explicit connection(asio::ip::tcp::socket s) : socket(std::move(s)), idle(socket.get_executor()) {}
  asio::ip::tcp::socket socket;  ///< the client's connection
  net::watchdog idle;            ///< closes the socket once nothing has come for a while
  bool timed_out = false;        ///< the watchdog closed it
};

/// A connection's place in the server's open_, from its accept to its end, however it ends: a
/// normal close, an error, an exception escaping echo(), or an echo() that never ran (its
/// coroutine frame destroyed with the event loop). The destructor does the clean-up, so no path
/// can skip it: it stops the watchdog (left running, its wait would hold the connection and keep
/// the event loop busy past the idle timeout, then for ever: a stop would never finish), takes
/// the connection out of open_ and closes its socket.
///
/// Threading: on the server's loop, like open_.
class tcp_echo_server::registration {
 public:
  /// Puts @p c into @p open, where stop() finds it.
  registration(std::shared_ptr<connection_set> open, std::shared_ptr<connection> c)
      : open_(std::move(open)), connection_(std::move(c)) {
    open_->push_back(connection_.get());
  }
  /// Takes over @p other's place; @p other then cleans up nothing.
  registration(registration&& other) noexcept = default;
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;
  registration& operator=(registration&&) = delete;
  ~registration() {
    if (!open_) return;  // moved from
    connection_->idle.stop();
    std::erase(*open_, connection_.get());
    std::error_code ignored;
    connection_->socket.close(ignored);
  }

  /// @return the connection, shared: the watchdog holds it while a wait is pending
  [[nodiscard]] const std::shared_ptr<connection>& shared() const noexcept { return connection_; }

 private:
  std::shared_ptr<connection_set> open_;    ///< the server's open_; empty once moved from
  std::shared_ptr<connection> connection_;  ///< the connection registered
};

void tcp_echo_server::stop() {
  assert(io_.get_executor().running_in_this_thread() && "stop() runs on the server's loop (post it there)");
  stopping_ = true;  // accept_loop() closes what it still accepts
  listener_.close();
  // Every connection accepted so far is in open_, whether its coroutine has run yet or not.
  for (auto* c : *open_) {
    std::error_code ignored;
    c->socket.close(ignored);
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
    // The accept may have completed before stop() closed the listener and been resumed after
    // it: stop() has not seen this socket, so it is closed here (by its destructor), at once.
    if (stopping_) co_return;
    ++connections_;
    // Registered now, not when echo() starts (which may be later: co_spawn may post it), so that
    // a stop() in between closes it too.
    registration r(open_, std::make_shared<connection>(std::move(socket)));
    asio::co_spawn(io_, echo(std::move(r)), fail_on_exception(config_.console, "tcp-echo: connection"));
  }
}

asio::awaitable<void> tcp_echo_server::echo(registration r) {
  connection& c = *r.shared();
  std::error_code ignored;
  const std::string peer = config_.verbose ? net::to_string(c.socket.remote_endpoint(ignored)) : "";
  log(peer + ": connected");
  // Every read a client controls has a deadline: an idle connection is closed. Each read moves
  // it: an assignment, not a system call (net::watchdog).
  c.idle.set_deadline(std::chrono::steady_clock::now() + config_.idle);
  c.idle.start(r.shared(), [&c] {
    c.timed_out = true;
    std::error_code already_closed;
    c.socket.close(already_closed);
  });
  std::array<char, 16384> buffer{};
  while (true) {
    auto [ec, n] = co_await c.socket.async_read_some(asio::buffer(buffer), net::use_nothrow);
    if (ec) break;  // end of stream, reset, idle timeout or stop()
    c.idle.set_deadline(std::chrono::steady_clock::now() + config_.idle);
    log(peer + ": read " + std::to_string(n) + " bytes, echoing them");
    auto [write_ec, written] =
        co_await asio::async_write(c.socket, asio::buffer(buffer.data(), n), net::use_nothrow);
    if (write_ec) break;
  }
  log(peer + (c.timed_out ? ": idle too long, closed" : ": closed"));
}  // r's destructor: the watchdog stopped, out of open_, the socket closed

}  // namespace socketlab::server
