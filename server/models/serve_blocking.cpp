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

/// The stop as this connection has seen it: the signal is watched (in every wait) until seen, and
/// the moment it is, stop_watch::on_seen runs. (The caller tells the session, when it may.)
class stop_seen_here {
 public:
  /// @param watch the server's stop signal, and what to do when it is first seen
  explicit stop_seen_here(const stop_watch& watch) : watch_(watch) {}
  /// Whether the stop has been seen: looks at the signal (once seen, it is not looked at again).
  /// @return true once the server is stopping
  bool check() {
    if (!seen_ && watch_.signal.raised()) {
      seen_ = true;
      if (watch_.on_seen) watch_.on_seen();
    }
    return seen_;
  }
  /// Adds the signal to @p entries, at @p count, unless it has been seen (a raised signal stays
  /// ready: waiting on it again would not wait).
  /// @return where it was added; entries.size() when it was not
  template <std::size_t N>
  std::size_t add_to(std::array<net::wait_entry, N>& entries, std::size_t& count) const {
    if (seen_) return N;
    entries[count] = watch_.signal.entry();
    return count++;
  }

 private:
  const stop_watch& watch_;  ///< the signal and the action
  bool seen_ = false;        ///< check() has seen the signal raised
};

/// Writes what the session has to send: what the socket takes, then wait for room, again. Each
/// write is due within the send timeout of the previous one that made progress
/// (http_session::deadline()), so a slow reader of a large file is served while it reads.
/// @return false when the peer is gone or stopped reading
bool write_output(tcp::socket& socket, http_session& session, send_tuning& tuning, stop_seen_here& stop) {
  while (session.has_output()) {
    auto ec = send_some(socket.native_handle(), session, tuning, clock::now());
    if (ec == asio::error::would_block) {
      std::array<net::wait_entry, 2> entries{{{socket.native_handle(), true}}};
      std::size_t count = 1;
      const auto stop_at = stop.add_to(entries, count);
      const auto ready = net::wait_any({entries.data(), count}, session.deadline(), ec);
      if (ec || ready == count) return false;  // the deadline passed
      // A stop: this response goes on, whole, and is the connection's last.
      if (ready == stop_at && stop.check()) session.on_shutdown();
      continue;
    }
    if (ec) return false;
  }
  return true;
}

/// Closes gracefully when the peer may still be sending: stop sending (FIN), then read and
/// discard until the peer closes, for a bounded time (see http_session::linger()).
void linger(tcp::socket& socket, std::span<char> buffer, stop_seen_here& stop) {
  std::error_code ec;
  socket.shutdown(tcp::socket::shutdown_send, ec);
  const auto deadline = clock::now() + http_session::linger_time;
  std::size_t drained = 0;
  while (drained < http_session::linger_max_bytes) {
    std::array<net::wait_entry, 2> entries{{{socket.native_handle()}}};
    std::size_t count = 1;
    const auto stop_at = stop.add_to(entries, count);
    const auto ready = net::wait_any({entries.data(), count}, deadline, ec);
    if (ec || ready == count) return;
    if (ready == stop_at) {
      stop.check();
      continue;
    }
    const std::size_t n = socket.read_some(asio::buffer(buffer.data(), buffer.size()), ec);
    if (ec == asio::error::would_block) continue;
    if (ec) return;  // the peer closed (or reset): done
    drained += n;
  }
}

/// Simulated work (--work-ms), if the response has any: this thread waits, and so does every
/// connection queued behind it. Stopping cuts it short.
void simulate_work(http_session& session, stop_seen_here& stop) {
  const auto work = session.pending_work();
  if (work.count() <= 0) return;
  std::error_code ec;
  std::array<net::wait_entry, 1> entries;
  std::size_t count = 0;
  stop.add_to(entries, count);
  (void)net::wait_any({entries.data(), count}, clock::now() + work, ec);
  if (stop.check()) session.on_shutdown();
  session.on_work_done(clock::now());  // a stop meanwhile: Connection: close
}

/// The loop of serve_blocking(): read, hand to the session, write, until the session closes.
void serve_until_closed(tcp::socket& socket, http_session session, const stop_watch& watch,
                        net::wake_signal* hand_back) {
  std::error_code ec;
  socket.non_blocking(true, ec);       // every wait happens in wait_any(), where a deadline applies
  send_tuning tuning;                  // what send_some() sets on the socket, when first needed
  std::array<char, 16 * 1024> buffer;  // bytes read (not zeroed: only read into)
  stop_seen_here stop(watch);

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
    stop.add_to(entries, count);
    const std::size_t hand_back_at = may_hand_back ? count++ : entries.size();
    if (hand_back_at < entries.size()) entries[hand_back_at] = hand_back->entry();

    const std::size_t ready = net::wait_any({entries.data(), count}, deadline, ec);
    if (ec) break;
    auto now = clock::now();
    const bool stop_seen = stop.check();
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
      if (!stop.check()) simulate_work(session, stop);
      if (!write_output(socket, session, tuning, stop)) break;
      idle_since = clock::now();
    }
  }
  if (session.should_close() && session.linger()) linger(socket, buffer, stop);
}

}  // namespace

void serve_blocking(accepted_connection c, const server_config& config, const stop_watch& stop,
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
