// The async model: one event loop serves every connection, each a coroutine.
//
//     async def serve(reader, writer):
//         while request := await read_request(reader):   # waits without holding a thread
//             writer.write(answer(request))
//             await writer.drain()
//
//     server = await asyncio.start_server(serve, host, port)   # the accept loop
//     await server.serve_forever()
//
// A coroutine waiting for bytes holds no thread, and a connection waiting for its next request
// holds no coroutine either: it is a plain wait for readability (park()), as nginx keeps an idle
// connection as one read event; when bytes come, what needs no waiting is done at once (turn()):
// read, answer, send. Only a connection that must wait mid-request (for bytes, room to write,
// `--work-ms`, a lingering close) gets a coroutine, until it is idle again: ten thousand idle
// keep-alive clients cost ten thousand small objects, not threads nor coroutine frames. One timer
// keeps every parked connection's deadline (park_queue), a watchdog a coroutine's (net::watchdog).
// With `--threads N`, N threads run the same loop, and each connection gets a strand so that its
// turns, its coroutine and its timeouts never run at the same time.
#include <cassert>
#include <cstdint>
#include <memory>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include <asio/bind_allocator.hpp>
#include <asio/co_spawn.hpp>
#include <asio/dispatch.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>

#include "server/http_session.hpp"
#include "server/messages.hpp"
#include "server/models/async_connection.hpp"
#include "server/models/driver.hpp"
#include "server/models/live_connections.hpp"
#include "server/models/park_queue.hpp"
#include "server/models/send_some.hpp"
#include "socketlab/net/accepted_socket.hpp"
#include "socketlab/net/exact_allocator.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::server {
namespace {

using asio::ip::tcp;
using async::connection;
using clock = http_session::clock;
using net::use_nothrow;  // a peer that goes away is an everyday event on a server, not an exception

/// How many connections an accept loop that takes every waiting one (net::accept_pace::all_waiting)
/// takes before it lets the event loop run other work.
constexpr unsigned accept_burst = 16;

class async_driver final : public driver {
 public:
  async_driver(asio::io_context& io, const server_config& config)
      : io_(io), config_(config), parked_(io, async::time_out_parked, worker_threads(config) > 1) {}

  // An accept loop per port, on an executor of its own (serial()), so that stop() can close it
  // safely. It runs once http_server runs the event loop.
  void serve(const served_port& port) override {
    const auto executor = serial();
    listeners_.emplace_back(executor, port.listener);
    asio::co_spawn(executor, accept_loop(port), [this, l = port.listener](std::exception_ptr e) {
      net::accepting_ended(l->acceptor());  // (an exception, say: nothing waits on it any more)
      fail_on_exception(config_.console, "accept loop")(std::move(e));
    });
  }

  void start() override {}  // the accept loops run when the event loop does

  // Stop accepting; ask every connection to finish (http_session::on_shutdown()).
  void stop() override;

  void join() override {}  // once the event loop has returned, every connection is closed

 private:
  asio::any_io_executor serial() {  // one whose handlers never run at the same time:
    if (worker_threads(config_) > 1) return asio::make_strand(io_);
    return io_.get_executor();  // with one thread, the loop's own (a strand would add a hop to each)
  }
  // Accept, count, and start the connection (start()): go back to accept at once. (The port is
  // a copy: a coroutine outlives its caller's arguments.)
  asio::awaitable<void> accept_loop(served_port port);
  // A new connection's first step: wait for its request (park()), or take a turn at once (turn())
  // when the listener defers accept, which hands over a connection once its request has come, or
  // when there is something to send already.
  void start(const std::shared_ptr<connection>& c, std::uint64_t id) noexcept;
  // What @p c can do without waiting, after the wait that ended with @p waited; then park() it
  // if idle, else hand it to a coroutine (serve_connection()), which waits as long as it must.
  void turn(const std::shared_ptr<connection>& c, std::uint64_t id, std::error_code waited) noexcept;
  // An idle connection waits for its next request: a wait for readability, its deadline in parked_.
  void park(const std::shared_ptr<connection>& c, std::uint64_t id);
  // Serve a connection that must wait: write, read, answer, until it closes or is parked.
  asio::awaitable<void> serve_connection(std::shared_ptr<connection> c, std::uint64_t id);
  // Hands bytes read from @p c at @p now to its session (told first of a stop, if one has begun).
  void take(connection& c, std::string_view bytes, clock::time_point now);
  // Closes @p c and counts it out.
  void connection_closed(connection& c, std::uint64_t id) noexcept;
  // In a catch block: says what went wrong on the console, then closes @p c and counts it out.
  void drop(connection& c, std::uint64_t id) noexcept {
    fail_on_exception(config_.console, "connection")(std::current_exception());
    connection_closed(c, id);
  }

  asio::io_context& io_;         ///< the event loop
  const server_config& config_;  ///< limits, timeouts, log
  /// Per listener: the executor its accept loop runs on, so stop() can close it safely.
  std::vector<std::pair<asio::any_io_executor, net::tcp_listener*>> listeners_;

  async::live_connections live_;  ///< the open connections: counted, and told of a stop
  async::park_queue parked_;      ///< the parked connections' deadlines, and the one timer they need
};

asio::awaitable<void> async_driver::accept_loop(served_port port) {
  auto& acceptor = port.listener->acceptor();
  std::error_code failed;
  acceptor.non_blocking(true, failed);  // accept_next() takes a waiting connection, or says none is
  if (failed) co_return fail(config_.console, "accept", failed);  // (cannot fail on an open socket)
  // With --defer-accept a connection's request is there, so it is answered at once, and clients
  // queue up meanwhile: long bursts, taken whole. Without, a burst is a connection or two, each of
  // which must wait for its request: one accept per wait (net::accept_pace says why).
  const auto pace = config_.defer_accept ? net::accept_pace::all_waiting : net::accept_pace::one_per_wait;
  for (unsigned accepted = 1;; ++accepted) {
    // Its turns, its coroutine and its watchdog never run at the same time.
    const auto executor = serial();
    //! [accept]
    tcp::endpoint peer;  // filled in by accept() itself: no getpeername() call needed
    auto [ec, socket] = co_await net::accept_next(acceptor, executor, peer, pace);
    //! [accept]
    if (!acceptor.is_open()) co_return;
    if (ec) {
      const auto next = net::classify_accept_error(ec);
      if (next == net::after_accept_error::stop) co_return;
      if (next == net::after_accept_error::pause) {  // out of descriptors, say: not a spin
        fail(config_.console, "accept", ec);
        asio::steady_timer pause(co_await asio::this_coro::executor, net::accept_retry_pause);
        co_await pause.async_wait(use_nothrow);
      }
      continue;
    }
    auto c = std::make_shared<connection>(std::move(socket), port, config_, peer);
    if (const auto id = live_.admit(c, config_.max_connections))  // else closed at once
      asio::dispatch(c->socket.get_executor(), [this, c, id = *id] { start(c, id); });
    // Taking every waiting client, the loop runs what else is ready (the parked connections'
    // requests) every accept_burst connections; a wait before each accept does that already.
    if (pace == net::accept_pace::all_waiting && accepted % accept_burst == 0)
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
  }
}

void async_driver::start(const std::shared_ptr<connection>& c, std::uint64_t id) noexcept {
  // Without --defer-accept the request has almost never arrived yet (the client sends it once its
  // connect() has returned; a first read found nothing 98 times in 100): the connection waits
  // first, as nginx's does, unless it has something to send already (a 503 past --max-connections).
  if (config_.defer_accept || !c->session.idle()) return turn(c, id, {});
  try {
    park(c, id);
  } catch (...) {  // out of memory, or the event loop refused the socket: this connection ends
    drop(*c, id);
  }
}

void async_driver::turn(const std::shared_ptr<connection>& c, std::uint64_t id,
                        std::error_code waited) noexcept {
  assert(c->on_its_strand() && "a connection is touched on its strand only");
  try {
    auto& session = c->session;
    parked_.unpark(*c);  // (a timeout the sweep took meanwhile is now stale)
    c->awaiting_request = false;
    // The watchdog may have fired after the wait completed, in the same turn: then the wait counts.
    const bool timed_out = std::exchange(c->timed_out, false);
    if (!waited) {
      const auto now = clock::now();  // one reading for the turn, as nginx reads it once per wake-up
      const auto ec = async::read_arrived(*c, [this, &c, now](std::string_view b) { take(*c, b, now); });
      if (ec && ec != asio::error::would_block) session.on_eof();  // end of stream or a reset
      if (session.pending_work().count() == 0) {
        while (session.has_output() && !send_some(c->socket.native_handle(), session, c->tuning, now)) {
        }
      }
      if (session.idle()) return park(c, id);  // answered (or a spurious wake): wait for the next
      if (session.should_close() && !session.has_output() && !session.linger()) {
        return connection_closed(*c, id);  // answered, and the last: nothing to wait for
      }
    } else if (timed_out) {
      session.on_timeout(clock::now());  // idle: nothing to answer, the connection closes
    } else if (waited != asio::error::operation_aborted) {
      session.on_eof();
    }  // else: stop() cancelled the wait, and the session has decided to close
    //! [spawn]
    asio::co_spawn(c->socket.get_executor(), serve_connection(c, id),
                   fail_on_exception(config_.console, "connection"));
    //! [spawn]
  } catch (...) {  // out of memory: this connection ends, the server goes on
    drop(*c, id);
  }
}

void async_driver::park(const std::shared_ptr<connection>& c, std::uint64_t id) {
  if (live_.stop_requested()) {  // too late to wait: stop() may have passed it by
    c->session.on_shutdown();
    return connection_closed(*c, id);  // idle: closing cuts nothing short
  }
  c->awaiting_request = true;  // stop() may cut this wait short
  // The wait's memory is its own size (net::exact_allocator), not a block Asio recycles: a
  // parked wait keeps it for as long as the client stays idle.
  const auto kind = c->session.responses() == 0 ? async::park_queue::first_request : async::park_queue::idle;
  parked_.park(*c, c->session.deadline(), kind);  // (throws only when it has not parked it)
  const auto woken = [this, c, id](const std::error_code& ec) { turn(c, id, ec); };
  try {
    c->socket.async_wait_readable(asio::bind_allocator(net::exact_allocator<void>(), woken));
  } catch (...) {  // out of memory: the caller closes it, parked nowhere
    parked_.unpark(*c);
    throw;
  }
}

void async_driver::take(connection& c, std::string_view bytes, clock::time_point now) {
  // Bytes read once stop() has begun meet a session that knows it, though the handler stop()
  // posted to this connection may not have run yet: what is answered then says
  // `Connection: close`, on every system, whatever the order the loop runs things in.
  if (live_.stop_requested()) c.session.on_shutdown();
  c.session.on_bytes(bytes, now);
}

asio::awaitable<void> async_driver::serve_connection(std::shared_ptr<connection> c, std::uint64_t id) {
  // However this coroutine ends, an exception (bad_alloc, say) included, the connection is closed
  // and counted out, unless it was parked: its watchdog stops, its --max-connections place is
  // free, a stop can finish. (http_server::run() returns only once every connection has, so this
  // never outlives *this.)
  async::unless_parked closing([this, &c = *c, id] { connection_closed(c, id); });
  async::start_watchdog(c);  // here, on the connection's strand, like everything else that touches it
  auto& session = c->session;
  for (;;) {
    assert(c->on_its_strand() && "a connection is touched on its strand only");
    if (!co_await async::write_output(*c)) break;  // peer gone or too slow to read: nothing more to do for it
    if (session.should_close()) break;

    c->watchdog->set_deadline(session.deadline());
    c->awaiting_request = true;
    // What has arrived is read at once; only when nothing has does the coroutine wait, and it
    // waits for readability, holding no buffer (async_connection.hpp). An idle connection is
    // parked instead: this coroutine ends, and the wait holds the connection.
    const auto take_bytes = [this, &c](std::string_view bytes) { take(*c, bytes, clock::now()); };
    auto ec = async::read_arrived(*c, take_bytes);
    while (ec == asio::error::would_block) {
      if (session.idle()) {
        closing.parked();
        c->watchdog->stop();  // parked_ keeps the deadline now
        park(c, id);
        co_return;
      }
      std::tie(ec) = co_await c->socket.async_wait_readable(use_nothrow);
      if (!ec) ec = async::read_arrived(*c, take_bytes);  // (cancelled: the watchdog, or stop())
    }
    c->awaiting_request = false;
    // The watchdog may have fired after the read completed, in the same turn: then the read
    // counts, and the flag must not make a later end of stream look like a timeout.
    const bool timed_out = std::exchange(c->timed_out, false);
    if (!ec) continue;
    if (timed_out) {
      session.on_timeout(clock::now());  // a 408 if a request was under way, written like any response
    } else if (ec != asio::error::operation_aborted) {
      session.on_eof();  // end of stream or a reset: nothing more will come
    }                    // else: stop() cancelled an idle read, and the session has decided to close
  }
  // A peer that stopped reading (the last write timed out) is not waited for again.
  if (session.should_close() && session.linger() && !c->timed_out) co_await async::linger(*c);
}

void async_driver::connection_closed(connection& c, std::uint64_t id) noexcept {
  assert(c.list < 0 && "a connection is not closed while parked");
  if (c.watchdog) c.watchdog->stop();
  c.socket.close();
  live_.remove(c, id);
}

void async_driver::stop() {
  const auto open = live_.stop();
  if (!open) return;  // stopped before
  for (auto& [executor, listener] : listeners_)
    asio::post(executor, [l = listener] { l->close(); });
  parked_.stop();  // its timer would hold the loop: stop() closes the parked connections below
  for (const auto& c : *open)
    asio::post(c->socket.get_executor(), [c] { async::on_stop(*c); });
}

}  // namespace

std::unique_ptr<driver> make_async_driver(asio::io_context& io, const server_config& config) {
  return std::make_unique<async_driver>(io, config);
}

}  // namespace socketlab::server
