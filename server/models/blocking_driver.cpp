#include "server/models/blocking_driver.hpp"

#include <array>
#include <cassert>
#include <exception>

#include <asio/buffer.hpp>

#include "server/messages.hpp"
#include "server/models/admission.hpp"
#include "socketlab/net/wait.hpp"

namespace socketlab::server {
namespace {

using asio::ip::tcp;
using clock = http_session::clock;

}  // namespace

blocking_driver::blocking_driver(const server_config& config) : config_(config) {}

blocking_driver::~blocking_driver() {
  // http_server has called stop() and join() already; this is the safety net for a driver left
  // without (an exception on the way): the accepting thread and every connection's thread use
  // this object and its io_context, so they end first. (A model with threads of its own joins
  // them in its own destructor: here, finish() is no longer the model's.)
  stop();
  join();
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
  const closed_on_exit counted(*this);
  // Served on the accepting thread (the iterative model), the connection is what sees a stop
  // first: it closes the listeners then, so that new clients are refused at once, not accepted
  // by the kernel into a queue nobody will serve, while a slow reader's file goes on.
  stop_watch stop{stop_, {}};
  if (on_accepting_thread()) stop.on_seen = [this] { stop_accepting(); };
  serve_blocking(std::move(c), config_, stop, hand_back);
}

void blocking_driver::connection_closed() {
  std::lock_guard lock(mutex_);
  if (--open_ == 0) closed_.notify_all();
}

void blocking_driver::refuse(accepted_connection c) {
  assert(on_accepting_thread() && "refusals are the accepting thread's only");
  std::error_code ec;
  c.socket.non_blocking(true, ec);
  auto session = http_session::for_peer(*c.port->served, config_, c.peer, clock::now(), {});
  session.on_overload();
  // A 503 fits in any send buffer: written at once, or the client is gone. (A model may refuse
  // outside admit(), when the system has no thread to give: the bound holds there too.)
  if (c.socket.write_some(asio::buffer(session.output()), ec) == session.output().size() &&
      refusing_.size() < max_refusing) {
    c.socket.shutdown(tcp::socket::shutdown_send, ec);
    refusing_.push_back({std::move(c.socket), clock::now() + http_session::linger_time});
    return;
  }
  c.socket.close(ec);
}

void blocking_driver::drain_refusals(clock::time_point now) {
  assert(on_accepting_thread() && "refusals are the accepting thread's only");
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
  accepting_thread_ = std::this_thread::get_id();
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
      fail(config_.console, "waiting for connections", ec);
      break;
    }
    drain_refusals(clock::now());
    for (std::size_t k = 0; k < ports_.size() && !stop_.raised(); ++k)
      accept_from(ports_[(first + k) % ports_.size()]);
    first = (first + 1) % ports_.size();
  }
  stop_accepting();
}

void blocking_driver::stop_accepting() {
  assert(on_accepting_thread() && "the listeners are the accepting thread's");
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
  if (ec) {
    if (net::classify_accept_error(ec) == net::after_accept_error::pause) {
      // Out of file descriptors, say: report, pause briefly instead of spinning, go on.
      fail(config_.console, "accept", ec);
      const net::wait_entry stopping[] = {stop_.entry()};
      (void)net::wait_any(stopping, clock::now() + net::accept_retry_pause, ec);
    }
    return;  // else nobody was waiting after all
  }
  admission verdict = admission::drop;
  {
    std::lock_guard lock(mutex_);
    verdict = admit(static_cast<std::size_t>(open_), refusing_.size(), config_.max_connections);
    if (verdict == admission::serve) ++open_;
  }
  if (verdict == admission::refuse) return refuse(std::move(c));
  if (verdict == admission::drop) return;  // a flood: closed at once (c's socket closes here)
  try {
    on_accepted(std::move(c));
  } catch (const std::exception& e) {  // out of memory, say
    fail(config_.console, "connection", e);
    connection_closed();
  }
}

}  // namespace socketlab::server
