#include "server/blocking_connection.hpp"

#include <array>
#include <exception>
#include <string>

#include <asio/buffer.hpp>

namespace socketlab::server {
namespace {

using asio::ip::tcp;
using clock = http_session::clock;

constexpr std::size_t max_refusing = 64;  // 503s being closed at once; past that, closed at once
/// How long a pool's connection stays idle before it is handed back to others waiting.
constexpr auto hand_back_grace = std::chrono::milliseconds(100);

/// Writes all of @p data before @p deadline: write what the socket takes, wait for room, again.
/// @return false when the peer is gone or too slow
bool write_all(tcp::socket& socket, std::string_view data, clock::time_point deadline) {
  while (!data.empty()) {
    std::error_code ec;
    const std::size_t n = socket.write_some(asio::buffer(data), ec);
    if (ec == asio::error::would_block) {
      const net::wait_entry room[] = {{socket.native_handle(), true}};
      if (net::wait_any(room, deadline, ec) != 0 || ec) return false;  // the deadline passed
      continue;
    }
    if (ec) return false;
    data.remove_prefix(n);
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

/// The loop of serve_blocking(): read, hand to the session, write, until the session closes.
void serve_until_closed(tcp::socket& socket, http_session session, const server_config& config,
                        net::wake_signal& stop, net::wake_signal* hand_back) {
  std::error_code ec;
  socket.non_blocking(true, ec);       // every wait happens in wait_any(), where a deadline applies
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

    if (!session.output().empty()) {
      // Simulated work (--work-ms): this thread waits, and so does every connection queued
      // behind it. Stopping cuts it short.
      if (const auto work = session.pending_work(); work.count() > 0 && !stop_seen) {
        const net::wait_entry stopping[] = {stop.entry()};
        (void)net::wait_any(stopping, clock::now() + work, ec);
        if (stop.raised()) {
          stop_seen = true;
          session.on_shutdown();
        }
        session.on_work_done();  // a stop meanwhile: Connection: close
      }
      if (!write_all(socket, session.output(), clock::now() + config.timeouts.send)) break;
      session.on_sent(clock::now());
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
    serve_until_closed(c.socket, std::move(session), config, stop, hand_back);
  } catch (const std::exception& e) {  // out of memory, a bug: this connection ends, the server goes on
    if (config.console) config.console(std::string("socketlab-server: connection: ") + e.what() + "\n");
  }
  std::error_code ignored;
  c.socket.close(ignored);
}

blocking_driver::blocking_driver(const server_config& config) : config_(config) {}

blocking_driver::~blocking_driver() {
  // http_server has called stop() and join() already (the accepting thread calls a model's
  // on_accepted(), which must not outlive the model); this is only a safety net.
  stop();
  if (acceptor_.joinable()) acceptor_.join();
}

void blocking_driver::serve(const served_port& port) {
  ports_.push_back(port);
  std::error_code ignored;
  port.listener->acceptor().non_blocking(true, ignored);  // accept() after a wait never blocks
}

void blocking_driver::start() {
  acceptor_ = std::thread([this] { accept_loop(); });
}

void blocking_driver::stop() {
  stop_.raise();
}

void blocking_driver::join() {
  if (acceptor_.joinable()) acceptor_.join();  // (join() may be called again: it then returns at once)
  finish();
  std::unique_lock lock(mutex_);
  closed_.wait(lock, [this] { return open_ == 0; });
}

void blocking_driver::serve_connection(accepted_connection c, net::wake_signal* hand_back) {
  serve_blocking(std::move(c), config_, stop_, hand_back);
  connection_closed();
}

void blocking_driver::connection_closed() {
  std::lock_guard lock(mutex_);
  if (--open_ == 0) closed_.notify_all();
}

void blocking_driver::refuse(accepted_connection c) {
  std::error_code ec;
  c.socket.non_blocking(true, ec);
  auto session = http_session::for_peer(*c.port->served, config_, c.peer, clock::now(), {});
  session.on_overload();
  // A 503 fits in any send buffer: written at once, or the client is gone.
  if (c.socket.write_some(asio::buffer(session.output()), ec) == session.output().size() &&
      refusing_.size() < max_refusing) {
    c.socket.shutdown(tcp::socket::shutdown_send, ec);
    refusing_.push_back({std::move(c.socket), clock::now() + http_session::linger_time});
    return;
  }
  c.socket.close(ec);
}

void blocking_driver::drain_refusals(clock::time_point now) {
  std::array<char, 4096> sink;
  std::erase_if(refusing_, [&](refusal& r) {
    std::error_code ec;
    std::size_t drained = 0;
    while (!ec && drained < http_session::linger_max_bytes)
      drained += r.socket.read_some(asio::buffer(sink), ec);
    if (ec == asio::error::would_block && now < r.until) return false;  // the client has not closed yet
    r.socket.close(ec);
    return true;
  });
}

void blocking_driver::accept_loop() {
  // One thread waits on every port at once, on the stop signal and on the 503s being closed:
  // the same wait_any() a connection uses, so one poll() call covers them all.
  std::vector<net::wait_entry> entries;
  std::size_t first = 0;  // the port tried first, in turn, so a busy port cannot starve the others
  while (!stop_.raised()) {
    entries.clear();
    auto deadline = clock::time_point::max();
    for (const auto& p : ports_)
      entries.push_back({p.listener->acceptor().native_handle()});
    entries.push_back(stop_.entry());
    for (auto& r : refusing_) {
      entries.push_back({r.socket.native_handle()});
      deadline = std::min(deadline, r.until);
    }
    std::error_code ec;
    (void)net::wait_any(entries, deadline, ec);
    if (ec) {
      if (config_.console)
        config_.console("socketlab-server: waiting for connections: " + ec.message() + "\n");
      break;
    }
    drain_refusals(clock::now());
    for (std::size_t k = 0; k < ports_.size() && !stop_.raised(); ++k)
      accept_from(ports_[(first + k) % ports_.size()]);
    first = (first + 1) % ports_.size();
  }
  for (const auto& p : ports_)
    p.listener->close();  // refuse new clients now, not when the process ends
  for (auto& r : refusing_) {
    std::error_code ignored;
    r.socket.close(ignored);
  }
  refusing_.clear();
}

void blocking_driver::accept_from(const served_port& port) {
  accepted_connection c{tcp::socket(io_), {}, &port};
  std::error_code ec;
  port.listener->acceptor().accept(c.socket, c.peer, ec);
  if (ec == asio::error::would_block || ec == asio::error::connection_aborted) return;  // none waiting
  if (ec) {
    // Out of file descriptors, say: report, pause briefly instead of spinning, go on.
    if (config_.console) config_.console("socketlab-server: accept: " + ec.message() + "\n");
    const net::wait_entry stopping[] = {stop_.entry()};
    (void)net::wait_any(stopping, clock::now() + accept_retry_pause, ec);
    return;
  }
  bool full = false;
  {
    std::lock_guard lock(mutex_);
    full = open_ >= config_.max_connections;
    if (!full) ++open_;
  }
  if (full) {
    refuse(std::move(c));
    return;
  }
  try {
    on_accepted(std::move(c));
  } catch (const std::exception& e) {  // out of memory, say
    if (config_.console) config_.console(std::string("socketlab-server: connection: ") + e.what() + "\n");
    connection_closed();
  }
}

}  // namespace socketlab::server
