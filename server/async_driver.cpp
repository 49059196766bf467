#include "server/async_driver.hpp"

#include <array>
#include <exception>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include "server/http_session.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::server {
namespace {

using asio::ip::tcp;
constexpr std::size_t max_refusing = 64;  // 503s being closed at once; past that, closed at once
using clock = http_session::clock;
using net::use_nothrow;  // a peer that goes away is an everyday event on a server, not an exception

}  // namespace

struct async_driver::connection {
  connection(tcp::socket s, const served_port& port, const server_config& config, const tcp::endpoint& peer)
      : socket(std::move(s)),
        timer(socket.get_executor()),
        work_timer(socket.get_executor()),
        session(http_session::for_peer(*port.served, config, peer, clock::now(), port.work)) {}

  /// Moves the deadline; wakes the watchdog when the new one is earlier than it sleeps for.
  void set_deadline(clock::time_point when) {
    deadline = when;
    if (when < timer.expiry()) timer.cancel();
  }

  tcp::socket socket;             ///< the accepted connection
  asio::steady_timer timer;       ///< the watchdog sleeps on it
  asio::steady_timer work_timer;  ///< simulated work (--work-ms); stop() cuts it short
  http_session session;           ///< what to answer, and when to close
  clock::time_point deadline = clock::time_point::max();  ///< when the pending operation times out
  bool timed_out = false;                                 ///< the watchdog cancelled the operation
  bool finished = false;                                  ///< the connection is closed
  bool refused = false;                                   ///< answered 503: past max_connections
  std::array<char, 16 * 1024> buffer;                     ///< bytes read (not zeroed: only read into)
};

namespace {

/// The watchdog: sleeps until the connection's deadline; if it is really due (it may have
/// moved on meanwhile), cancels the socket's pending operation so the connection's coroutine
/// sees the timeout, then sleeps again. A chain of timer callbacks rather than a second
/// coroutine: it costs less per connection, and a new connection per request is common.
//! [watchdog]
void watch(std::shared_ptr<async_driver::connection> c) {
  auto& timer = c->timer;
  timer.expires_at(c->deadline);
  timer.async_wait([c = std::move(c)](const std::error_code&) mutable {
    if (c->finished) return;
    if (clock::now() >= c->deadline) {
      c->timed_out = true;
      c->deadline = clock::time_point::max();  // sleep until a new deadline is set
      std::error_code ignored;
      c->socket.cancel(ignored);
    }
    watch(std::move(c));
  });
}
//! [watchdog]

/// Closes gracefully when the peer may still be sending: stop sending (FIN), then read and
/// discard until the peer closes, for a bounded time. Closing with unread bytes would make
/// the system send a reset, which can destroy our last response before the peer reads it.
asio::awaitable<void> linger(async_driver::connection& c) {
  std::error_code ignored;
  c.socket.shutdown(tcp::socket::shutdown_send, ignored);
  c.set_deadline(clock::now() + http_session::linger_time);
  std::size_t drained = 0;
  while (drained < http_session::linger_max_bytes) {
    auto [ec, n] = co_await c.socket.async_read_some(asio::buffer(c.buffer), use_nothrow);
    if (ec) break;
    drained += n;
  }
}

/// Reports an exception that escaped a coroutine (out of memory, a bug) instead of letting
/// it end io_context::run() and the whole server.
auto report_failure(const server_config& config, std::string what) {
  return [&config, what = std::move(what)](const std::exception_ptr& e) {
    if (!e || !config.console) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      config.console("socketlab-server: " + what + ": " + ex.what() + "\n");
    }
  };
}

}  // namespace

async_driver::async_driver(asio::io_context& io, const server_config& config) : io_(io), config_(config) {}

async_driver::~async_driver() = default;

void async_driver::serve(const served_port& port) {
  auto strand = asio::make_strand(io_);
  listeners_.emplace_back(strand, port.listener);
  asio::co_spawn(strand, accept_loop(port), report_failure(config_, "accept loop"));
}

asio::awaitable<void> async_driver::accept_loop(served_port port) {
  auto& listener = *port.listener;
  const bool threaded = worker_threads(config_) > 1;
  for (;;) {
    // With one thread there is nothing to serialize; with more, each connection gets a
    // strand so its coroutine and its watchdog never run at the same time.
    asio::any_io_executor executor =
        threaded ? asio::any_io_executor(asio::make_strand(io_)) : io_.get_executor();
    //! [accept]
    tcp::endpoint peer;  // filled in by accept() itself: no getpeername() call needed
    auto [ec, socket] = co_await listener.acceptor().async_accept(executor, peer, use_nothrow);
    //! [accept]
    if (ec == asio::error::operation_aborted || !listener.acceptor().is_open()) co_return;
    if (ec) {
      // Out of file descriptors, say: report, pause briefly instead of spinning, go on.
      if (config_.console) config_.console("socketlab-server: accept: " + ec.message() + "\n");
      asio::steady_timer pause(co_await asio::this_coro::executor, accept_retry_pause);
      co_await pause.async_wait(use_nothrow);
      continue;
    }
    auto c = std::make_shared<connection>(std::move(socket), port, config_, peer);
    std::uint64_t id = 0;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) continue;  // accepted while stopping: closed at once
      // Refused connections still being closed take no place: they are not served.
      if (live_.size() - refusing_ >= static_cast<std::size_t>(config_.max_connections)) {
        if (refusing_ >= max_refusing) continue;  // a flood: closed at once, without a 503
        c->session.on_overload();
        c->refused = true;
        ++refusing_;
      }
      id = next_id_++;
      live_.emplace(id, c);
    }
    //! [spawn]
    c->set_deadline(c->session.deadline());
    watch(c);
    asio::co_spawn(c->socket.get_executor(), serve_connection(c, id), report_failure(config_, "connection"));
    //! [spawn]
  }
}

asio::awaitable<void> async_driver::serve_connection(std::shared_ptr<connection> c, std::uint64_t id) {
  auto& session = c->session;
  for (;;) {
    if (!session.output().empty()) {
      // Simulated work (--work-ms): this coroutine waits on a timer; the thread serves others.
      if (const auto work = session.pending_work(); work.count() > 0) {
        c->set_deadline(clock::time_point::max());
        c->work_timer.expires_after(work);
        co_await c->work_timer.async_wait(use_nothrow);
        session.on_work_done();  // a stop meanwhile (stop() cancels the timer): Connection: close
      }
      c->set_deadline(clock::now() + config_.timeouts.send);
      auto [write_ec, written] =
          co_await asio::async_write(c->socket, asio::buffer(session.output()), use_nothrow);
      if (write_ec) break;  // peer gone or too slow to read: nothing more to do for it
      session.on_sent(clock::now());
    }
    if (session.should_close()) break;

    c->set_deadline(session.deadline());
    auto [ec, n] = co_await c->socket.async_read_some(asio::buffer(c->buffer), use_nothrow);
    const auto now = clock::now();
    if (!ec) {
      session.on_bytes({c->buffer.data(), n}, now);
    } else if (c->timed_out) {
      c->timed_out = false;
      session.on_timeout(now);
    } else if (ec != asio::error::operation_aborted) {
      session.on_eof();  // end of stream or a reset: nothing more will come
    }                    // else: stop() cancelled an idle read, and the session has decided to close
  }
  if (session.should_close() && session.linger() && !c->timed_out) co_await linger(*c);

  c->finished = true;
  c->timer.cancel();
  std::error_code ignored;
  c->socket.close(ignored);
  std::lock_guard lock(mutex_);
  live_.erase(id);
  if (c->refused) --refusing_;
}

void async_driver::stop() {
  std::vector<std::shared_ptr<connection>> open;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [id, weak] : live_) {
      if (auto c = weak.lock()) open.push_back(std::move(c));
    }
  }
  for (auto& [strand, listener] : listeners_) {
    asio::post(strand, [l = listener] { l->close(); });
  }
  for (auto& c : open) {
    asio::post(c->socket.get_executor(), [c] {
      c->session.on_shutdown();
      c->work_timer.cancel();  // a response being "worked on" goes out now
      if (c->session.should_close()) {
        std::error_code ignored;
        c->socket.cancel(ignored);  // wakes the idle read; the connection then closes
      }
    });
  }
}

std::unique_ptr<driver> make_async_driver(asio::io_context& io, const server_config& config) {
  return std::make_unique<async_driver>(io, config);
}

}  // namespace socketlab::server
