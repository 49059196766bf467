#include "server/models/serve_blocking.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <span>
#include <string_view>

#include <asio/buffer.hpp>

#include "server/http_session.hpp"
#include "server/messages.hpp"
#include "server/models/send_some.hpp"
#include "socketlab/net/wait.hpp"

namespace socketlab::server {
namespace {

using asio::ip::tcp;
using clock = http_session::clock;

/// How long a pool's connection stays idle before it is handed back to others waiting.
constexpr auto hand_back_grace = std::chrono::milliseconds(100);

/// Writes what the session has to send: what the socket takes, then wait for room, again. Each
/// write is due within the send timeout of the previous one that made progress
/// (http_session::deadline()), so a slow reader of a large file is served while it reads.
/// @return false when the peer is gone or stopped reading
bool write_output(tcp::socket& socket, http_session& session, bool& unsent_limited) {
  while (session.has_output()) {
    auto ec = send_some(socket, session, unsent_limited);
    if (ec == asio::error::would_block) {
      const net::wait_entry room[] = {{socket.native_handle(), true}};
      if (net::wait_any(room, session.deadline(), ec) != 0 || ec) return false;  // the deadline passed
      continue;
    }
    if (ec) return false;
  }
  return true;
}

/// Closes gracefully when the peer may still be sending: stop sending (FIN), then read and
/// discard until the peer closes, for a bounded time (see http_session::linger()).
void linger(tcp::socket& socket, std::span<char> buffer) {
  std::error_code ec;
  socket.shutdown(tcp::socket::shutdown_send, ec);
  const auto deadline = clock::now() + http_session::linger_time;
  std::size_t drained = 0;
  while (drained < http_session::linger_max_bytes) {
    const net::wait_entry peer[] = {{socket.native_handle()}};
    if (net::wait_any(peer, deadline, ec) != 0 || ec) return;
    const std::size_t n = socket.read_some(asio::buffer(buffer.data(), buffer.size()), ec);
    if (ec == asio::error::would_block) continue;
    if (ec) return;  // the peer closed (or reset): done
    drained += n;
  }
}

/// Simulated work (--work-ms), if the response has any: this thread waits, and so does every
/// connection queued behind it. Stopping cuts it short.
/// @return whether the stop signal was raised meanwhile
bool simulate_work(http_session& session, net::wake_signal& stop) {
  const auto work = session.pending_work();
  if (work.count() <= 0) return false;
  std::error_code ec;
  const net::wait_entry stopping[] = {stop.entry()};
  (void)net::wait_any(stopping, clock::now() + work, ec);
  const bool stopped = stop.raised();
  if (stopped) session.on_shutdown();
  session.on_work_done(clock::now());  // a stop meanwhile: Connection: close
  return stopped;
}

/// The loop of serve_blocking(): read, hand to the session, write, until the session closes.
void serve_until_closed(tcp::socket& socket, http_session session, net::wake_signal& stop,
                        net::wake_signal* hand_back) {
  std::error_code ec;
  socket.non_blocking(true, ec);  // every wait happens in wait_any(), where a deadline applies
  bool unsent_limited = false;    // net::limit_unsent() is set before the first wait for room (send_some())
  std::array<char, 16 * 1024> buffer;  // bytes read (not zeroed: only read into)
  bool stop_seen = false;

  auto idle_since = clock::now();  // when the connection last became idle (between requests)

  while (!session.should_close()) {
    // Wait for bytes (first: they win when both are ready), the session's deadline, the stop
    // signal until it has been seen, and others waiting for this thread once the connection
    // has been idle for a moment (a client that sends its next request at once keeps it).
    const bool idle = hand_back && session.idle();
    const auto grace_end = idle_since + hand_back_grace;
    const bool may_hand_back = idle && clock::now() >= grace_end;
    auto deadline = session.deadline();
    if (idle && !may_hand_back) deadline = std::min(deadline, grace_end);

    std::array<net::wait_entry, 3> entries{{{socket.native_handle()}}};
    std::size_t count = 1;
    if (!stop_seen) entries[count++] = stop.entry();
    const std::size_t hand_back_at = may_hand_back ? count++ : entries.size();
    if (hand_back_at < entries.size()) entries[hand_back_at] = hand_back->entry();

    const std::size_t ready = net::wait_any({entries.data(), count}, deadline, ec);
    if (ec) break;
    auto now = clock::now();
    stop_seen = stop_seen || stop.raised();
    if (ready == hand_back_at) {
      if (hand_back->raised()) break;  // idle, and somebody waits for this thread: close
      hand_back->clear_stale();
      continue;
    }
    if (ready == count && now < session.deadline()) continue;  // the grace has ended: watch hand_back now
    if (ready == count) {
      session.on_timeout(now);
    } else {
      // Read even when woken by the stop signal: what has arrived may be a whole request.
      const std::size_t n = socket.read_some(asio::buffer(buffer), ec);
      if (!ec) {
        if (stop_seen || (hand_back && hand_back->raised())) session.close_after_response();
        session.on_bytes({buffer.data(), n}, now);
      } else if (ec != asio::error::would_block) {
        session.on_eof();  // end of stream or a reset: nothing more will come
      }
      if (stop_seen) session.on_shutdown();
    }

    if (session.has_output()) {
      if (!stop_seen) stop_seen = simulate_work(session, stop);
      if (!write_output(socket, session, unsent_limited)) break;
      idle_since = clock::now();
    }
  }
  if (session.should_close() && session.linger()) linger(socket, buffer);
}

}  // namespace

void serve_blocking(accepted_connection c, const server_config& config, net::wake_signal& stop,
                    net::wake_signal* hand_back) {
  try {
    auto session = http_session::for_peer(*c.port->served, config, c.peer, clock::now(), c.port->work);
    serve_until_closed(c.socket, std::move(session), stop, hand_back);
  } catch (...) {  // out of memory, a bug: this connection ends, the server goes on
    fail_on_exception(config.console, "connection")(std::current_exception());
  }
  std::error_code ignored;
  c.socket.close(ignored);
}

}  // namespace socketlab::server
