#include "server/models/async_connection.hpp"

#include <array>
#include <tuple>

#include <asio/post.hpp>

#include "server/models/send_some.hpp"

namespace socketlab::server::async {

using net::use_nothrow;

/// Where reads land: one buffer per thread, none per connection. A connection waits for bytes
/// holding no buffer (as nginx's do), and what a read brings is handed to its session before
/// the coroutine waits again, so the buffer is never held across a wait: ten thousand idle
/// keep-alive connections do not hold ten thousand buffers.
/// @return this thread's buffer
std::span<char> read_buffer() {
  thread_local std::array<char, 16 * 1024> buffer;  // not zeroed: only read into
  return buffer;
}

void start_watchdog(const std::shared_ptr<connection>& c) {
  if (!c->watchdog) c->watchdog = std::make_unique<net::watchdog>(c->socket.get_executor());
  c->watchdog->set_deadline(c->session.deadline());
  c->watchdog->start(c, [&c = *c] {
    c.timed_out = true;
    c.socket.cancel();  // the pending wait ends: operation_aborted
  });
}

void time_out_parked(park_node& n) {
  auto& c = static_cast<connection&>(n);
  asio::post(c.socket.get_executor(), [c = c.shared_from_this(), serial = c.serial] {
    if (c->serial != serial) return;  // woken meanwhile (turn() unparked it), maybe parked again
    c->timed_out = true;
    c->socket.cancel();  // the parked wait ends: operation_aborted, then a turn
  });
}

void on_stop(connection& c) {
  c.session.on_shutdown();
  if (c.work_timer) c.work_timer->cancel();  // a response being "worked on" goes out now
  // Only a wait for a request is cut short: a response being written (its last, with
  // `Connection: close`, say) goes out whole, and then the connection closes.
  if (c.session.should_close() && c.awaiting_request) {
    c.socket.cancel();  // wakes the idle read; the connection then closes
  }
}

/// Closes gracefully when the peer may still be sending: stop sending (FIN), then read and
/// discard until the peer closes, for a bounded time. Closing with unread bytes would make
/// the system send a reset, which can destroy our last response before the peer reads it.
asio::awaitable<void> linger(connection& c) {
  c.socket.shutdown_send();
  c.watchdog->set_deadline(clock::now() + http_session::linger_time);
  std::size_t drained = 0;
  while (drained < http_session::linger_max_bytes) {
    auto ec = read_arrived(c, [&drained](std::string_view bytes) { drained += bytes.size(); });
    if (ec == asio::error::would_block) std::tie(ec) = co_await c.socket.async_wait_readable(use_nothrow);
    if (ec) break;
  }
}

/// Writes what the session has to send as the peer takes it: each write is due within the send
/// timeout of the previous one that made progress (http_session::deadline()), so a slow reader
/// of a large file is served for as long as it keeps reading.
/// @return false when the peer is gone or stopped reading
asio::awaitable<bool> write_output(connection& c) {
  auto& session = c.session;
  while (session.has_output()) {
    // Simulated work (--work-ms): this coroutine waits on a timer; the thread serves others.
    if (const auto work = session.pending_work(); work.count() > 0) {
      c.watchdog->set_deadline(clock::time_point::max());
      if (!c.work_timer) c.work_timer = std::make_unique<asio::steady_timer>(c.socket.get_executor());
      c.work_timer->expires_after(work);
      co_await c.work_timer->async_wait(use_nothrow);
      session.on_work_done(clock::now());  // a stop meanwhile (stop() cancels the timer): Connection: close
    }
    // What the socket takes goes at once; only when it has no room does the coroutine wait, for
    // writability, as it waits for bytes to read (no write operation is kept pending).
    auto ec = send_some(c.socket.native_handle(), session, c.tuning, clock::now());
    if (ec == asio::error::would_block) {
      c.watchdog->set_deadline(session.deadline());
      std::tie(ec) = co_await c.socket.waitable().async_wait(tcp::socket::wait_write, use_nothrow);
    }
    if (ec) co_return false;  // c.timed_out says whether the watchdog ended it
    c.timed_out = false;      // it fired too late to matter: the socket had room
  }
  co_return true;
}

}  // namespace socketlab::server::async
