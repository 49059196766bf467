#include "server/blocking_connection.hpp"

#include <array>
#include <exception>
#include <string>
#include <thread>

#include <asio/buffer.hpp>

#include "server/http_session.hpp"
#include "socketlab/net/endpoint.hpp"

namespace socketlab::server {
namespace {

using asio::ip::tcp;
using clock = http_session::clock;

constexpr auto refusal_send_time = std::chrono::milliseconds(200);  // a 503 fits in any send buffer
constexpr std::size_t refusal_max_drain = 64 * 1024;                // what a refused client may have sent

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

/// A session for @p c; the peer's address is only formatted when something logs it.
http_session make_session(const accepted_connection& c, const server_config& config) {
  const bool named = config.access_log || config.verbose;
  return {*c.port->served,
          config,
          named ? c.peer.address().to_string() : "",
          named ? net::to_string(c.peer) : "",
          clock::now(),
          c.port->work};
}

/// The loop of serve_blocking(): read, hand to the session, write, until the session closes.
void serve_until_closed(tcp::socket& socket, http_session session, const server_config& config,
                        net::wake_signal& stop, const std::function<bool()>& others_waiting) {
  std::error_code ec;
  socket.non_blocking(true, ec);       // every wait happens in wait_any(), where a deadline applies
  std::array<char, 16 * 1024> buffer;  // bytes read (not zeroed: only read into)
  bool stop_seen = false;

  while (!session.should_close()) {
    // Wait for bytes, the session's deadline, or the stop signal (until it has been seen).
    const net::wait_entry entries[] = {{socket.native_handle()}, stop.entry()};
    const std::size_t waited_on = stop_seen ? 1 : 2;
    const std::size_t ready = net::wait_any({entries, waited_on}, session.deadline(), ec);
    if (ec) break;
    auto now = clock::now();
    stop_seen = stop_seen || stop.raised();  // (both may be ready: the socket's entry comes first)
    if (ready == waited_on) {
      session.on_timeout(now);
    } else {
      // Read even when woken by the stop signal: what has arrived may be a whole request.
      const std::size_t n = socket.read_some(asio::buffer(buffer), ec);
      if (!ec) {
        if (stop_seen || (others_waiting && others_waiting())) session.close_after_response();
        session.on_bytes({buffer.data(), n}, now);
      } else if (ec != asio::error::would_block) {
        session.on_eof();  // end of stream or a reset: nothing more will come
      }
      if (stop_seen) session.on_shutdown();
    }

    if (!session.output().empty()) {
      // Simulated work (--work-ms): this thread waits, and so does every connection queued behind it.
      if (const auto work = session.pending_work(); work.count() > 0) std::this_thread::sleep_for(work);
      now = clock::now();
      if (!write_all(socket, session.output(), now + config.timeouts.send)) break;
      session.clear_output();
    }
  }
  if (session.should_close() && session.linger()) linger(socket, buffer);
}

}  // namespace

void serve_blocking(accepted_connection c, const server_config& config, net::wake_signal& stop,
                    const std::function<bool()>& others_waiting) {
  try {
    serve_until_closed(c.socket, make_session(c, config), config, stop, others_waiting);
  } catch (const std::exception& e) {  // out of memory, a bug: this connection ends, the server goes on
    if (config.console) config.console(std::string("socketlab-server: connection: ") + e.what() + "\n");
  }
  std::error_code ignored;
  c.socket.close(ignored);
}

void refuse_overloaded(accepted_connection c, const server_config& config) {
  auto& socket = c.socket;
  std::error_code ec;
  socket.non_blocking(true, ec);
  auto session = make_session(c, config);
  session.on_overload();
  if (write_all(socket, session.output(), clock::now() + refusal_send_time)) {
    // Stop sending, read what the client has sent so far (closing with unread bytes would
    // reset the connection and could destroy the 503 on its way), then close without waiting.
    socket.shutdown(tcp::socket::shutdown_send, ec);
    std::array<char, 4096> sink;
    std::size_t drained = 0;
    while (!ec && drained < refusal_max_drain)
      drained += socket.read_some(asio::buffer(sink), ec);
  }
  socket.close(ec);
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

void blocking_driver::serve_connection(accepted_connection c, const std::function<bool()>& others_waiting) {
  serve_blocking(std::move(c), config_, stop_, others_waiting);
  connection_closed();
}

void blocking_driver::connection_closed() {
  std::lock_guard lock(mutex_);
  if (--open_ == 0) closed_.notify_all();
}

void blocking_driver::accept_loop() {
  // One thread waits on every port at once, and on the stop signal: the same wait_any() a
  // connection uses, so one poll() call covers them all.
  std::vector<net::wait_entry> entries;
  for (const auto& p : ports_)
    entries.push_back({p.listener->acceptor().native_handle()});
  entries.push_back(stop_.entry());

  while (!stop_.raised()) {
    std::error_code ec;
    const std::size_t ready = net::wait_any(entries, clock::time_point::max(), ec);
    if (ec && config_.console)
      config_.console("socketlab-server: waiting for connections: " + ec.message() + "\n");
    if (ec || ready >= ports_.size()) break;  // stopping (or the wait failed: nothing to serve)
    const served_port& port = ports_[ready];
    accepted_connection c{tcp::socket(port.listener->acceptor().get_executor()), {}, &port};
    port.listener->acceptor().accept(c.socket, c.peer, ec);
    if (ec == asio::error::would_block || ec == asio::error::connection_aborted) continue;  // gone meanwhile
    if (ec) {
      // Out of file descriptors, say: report, pause briefly instead of spinning, go on.
      if (config_.console) config_.console("socketlab-server: accept: " + ec.message() + "\n");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    bool full = false;
    {
      std::lock_guard lock(mutex_);
      full = open_ >= config_.max_connections;
      if (!full) ++open_;
    }
    if (full) {
      refuse_overloaded(std::move(c), config_);
      continue;
    }
    try {
      on_accepted(std::move(c));
    } catch (const std::exception& e) {  // no thread to be had, say
      if (config_.console) config_.console(std::string("socketlab-server: connection: ") + e.what() + "\n");
      connection_closed();
    }
  }
  for (const auto& p : ports_)
    p.listener->close();  // refuse new clients now, not when the process ends
}

}  // namespace socketlab::server
