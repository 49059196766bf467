#include "client/bench/bench_worker.hpp"

#include <algorithm>

#include <asio/buffer.hpp>
#include <asio/error.hpp>
#include <asio/write.hpp>

namespace socketlab::client {

using asio::ip::tcp;

bench_worker::bench_worker(const bench_options& o, const tcp::endpoint& ep, const std::string& req,
                           bool head_request)
    : options(o),
      server(ep),
      request(req),
      head(head_request),
      timeout(std::chrono::duration_cast<clock::duration>(o.timeout)) {}

bench_worker::~bench_worker() = default;

void bench_worker::start(clock::time_point end) {
  stop_timer.expires_at(end);
  stop_timer.async_wait([this](const std::error_code& ec) {
    if (!ec) stop();
  });
  sweep();
  active = connections.size();
  for (auto& c : connections)
    c->start();
}

void bench_worker::stop() {
  stopping = true;
  stopped_at = clock::now();
  for (auto& c : connections)
    c->stop();
}

void bench_worker::sweep() {
  // Often enough to catch a timeout within a tenth of --timeout, and at least every 100 ms.
  const auto period = std::min<clock::duration>(timeout / 10, std::chrono::milliseconds(100));
  sweep_timer.expires_after(period);
  sweep_timer.async_wait([this](const std::error_code& ec) {
    // active == 0: the last connection finished after this wait had already expired, too late
    // for finished_one()'s cancel() to stop it; re-arming now would keep run() from returning.
    if (ec || active == 0) return;
    const auto now = clock::now();
    for (auto& c : connections)
      c->check_timeout(now);
    sweep();
  });
}

void bench_worker::finished_one() {
  if (--active == 0) {
    stop_timer.cancel();
    sweep_timer.cancel();  // nothing left to wait for: run() returns
  }
}

bench_connection::bench_connection(bench_worker& w) : w_(w), socket_(w.ioc) {}

void bench_connection::stop() {
  if (phase_ != phase::connecting) return;
  cancelled_ = true;
  close_socket();
}

void bench_connection::check_timeout(clock::time_point now) {
  if (phase_ == phase::finished || now - since_ < w_.timeout) return;
  ++w_.result.errors.timeout;
  cancelled_ = true;
  close_socket();  // the pending operation completes with an error, counted here already
}

void bench_connection::do_connect() {
  if (w_.stopping) return finish();
  phase_ = phase::connecting;
  since_ = clock::now();
  socket_.async_connect(w_.server, [this](const std::error_code& ec) { on_connect(ec); });
}

void bench_connection::on_connect(const std::error_code& ec) {
  if (ec) return on_error(w_.result.errors.connect);
  std::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  socket_.non_blocking(true, ignored);  // read_some() below must never block the event loop
  ++w_.result.connections_opened;
  do_write();
}

void bench_connection::do_write() {
  if (w_.stopping) return finish();
  phase_ = phase::requesting;
  since_ = clock::now();
  reader_.start(w_.head);
  asio::async_write(socket_, asio::buffer(w_.request),
                    [this](const std::error_code& ec, std::size_t) { on_write(ec); });
}

void bench_connection::on_write(const std::error_code& ec) {
  if (ec) return on_error(w_.result.errors.write);
  do_read();
}

// Waits until the socket is readable, then reads what is there (wrk's way). A plain
// async_read_some would first try a read that, right after the write, almost always finds
// nothing: one wasted system call per request.
void bench_connection::do_read() {
  socket_.async_wait(tcp::socket::wait_read, [this](const std::error_code& ec) { on_readable(ec); });
}

void bench_connection::on_readable(std::error_code ec) {
  if (ec) return on_error(w_.result.errors.read);
  while (true) {
    const std::size_t n = socket_.read_some(asio::buffer(w_.buffer), ec);
    if (ec == asio::error::would_block) return do_read();
    if (ec == asio::error::eof) {
      if (reader_.feed_eof().status == http::parse_status::done) return complete(true);
      return on_error(w_.result.errors.read);
    }
    if (ec) return on_error(w_.result.errors.read);
    w_.result.bytes_read += n;
    if (w_.stopping) w_.result.late_bytes += n;
    const auto r = reader_.feed(std::string_view(w_.buffer.data(), n));
    if (r.status == http::parse_status::done) return complete(false);
    if (r.status == http::parse_status::error) return on_error(w_.result.errors.read);
    if (n < w_.buffer.size()) return do_read();  // took all there was: wait rather than read EAGAIN
  }
}

void bench_connection::complete(bool closed) {
  w_.result.latency.record(clock::now() - since_);
  w_.requests.fetch_add(1, std::memory_order_relaxed);
  if (w_.stopping) ++w_.result.late;
  const int status = reader_.response().status;
  if (status >= 100 && status < 600) ++w_.result.status_classes[static_cast<std::size_t>(status / 100 - 1)];
  if (status < 200 || status >= 400) ++w_.result.non_2xx_3xx;
  if (closed || !reader_.keep_alive() || !w_.options.request.keep_alive) {
    close_socket();
    return do_connect();
  }
  do_write();
}

// Counts @p counter unless the error is our own doing (a timeout, already counted, or the end
// of the run), then starts over on a new connection. Which error a closed socket's pending
// operation reports differs between systems (operation_aborted on Linux; on Windows it can be
// another), hence the flag rather than a test of the error.
void bench_connection::on_error(std::uint64_t& counter) {
  if (!cancelled_) ++counter;
  cancelled_ = false;
  close_socket();
  do_connect();
}

void bench_connection::finish() {
  close_socket();
  phase_ = phase::finished;
  w_.finished_one();
}

void bench_connection::close_socket() {
  std::error_code ignored;
  socket_.close(ignored);
}

}  // namespace socketlab::client
