#include "client/bench.hpp"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <asio/buffer.hpp>
#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include "client/response_reader.hpp"
#include "socketlab/http/serializer.hpp"

namespace socketlab::client {
namespace {

using clock = std::chrono::steady_clock;
using asio::ip::tcp;

class bench_connection;

/// One thread's share of the benchmark: an event loop, its connections and its own counters,
/// merged into the result once the thread has finished (so the hot path shares nothing).
struct worker {
  worker(const bench_options& o, const tcp::endpoint& ep, const std::string& req, bool head_request)
      : options(o), server(ep), request(req), head(head_request) {}

  const bench_options& options;  ///< the run's settings
  const tcp::endpoint server;    ///< where to connect
  const std::string request;     ///< the request's bytes, serialized once
  const bool head;               ///< the request is HEAD (its responses have no body)
  clock::duration timeout = std::chrono::duration_cast<clock::duration>(options.timeout);

  asio::io_context ioc{1};                                     ///< this thread's event loop
  asio::steady_timer stop_timer{ioc};                          ///< ends the run
  asio::steady_timer sweep_timer{ioc};                         ///< looks for requests past --timeout
  std::vector<std::unique_ptr<bench_connection>> connections;  ///< this thread's connections
  bool stopping = false;                                       ///< the duration is over
  clock::time_point stopped_at;                                ///< when it was over
  std::array<char, 16384> buffer{};                            ///< every read of this thread's connections
  std::size_t active = 0;                                      ///< connections not finished yet

  std::atomic<std::uint64_t> requests{0};  ///< responses, read by the progress line's thread
  bench_result result;                     ///< everything else this thread measured

  void start(clock::time_point end);
  void stop();
  void sweep();
  void finished_one();
};

/// One connection of the benchmark, as a chain of callbacks (Beast's do_x / on_x):
/// connect -> write request -> wait until readable -> read -> ... -> response complete -> write.
class bench_connection {
 public:
  explicit bench_connection(worker& w) : w_(w), socket_(w.ioc) {}

  /// Starts connecting.
  void start() { do_connect(); }

  /// Called once the duration is over: a connection that is still connecting gives up now;
  /// one with a request under way finishes that request first.
  void stop() {
    if (phase_ != phase::connecting) return;
    cancelled_ = true;
    close_socket();
  }

  /// Counts a timeout and closes the socket when the current step is older than --timeout.
  void check_timeout(clock::time_point now) {
    if (phase_ == phase::finished || now - since_ < w_.timeout) return;
    ++w_.result.errors.timeout;
    cancelled_ = true;
    close_socket();  // the pending operation completes with an error, counted here already
  }

 private:
  enum class phase { connecting, requesting, finished };

  void do_connect() {
    if (w_.stopping) return finish();
    phase_ = phase::connecting;
    since_ = clock::now();
    socket_.async_connect(w_.server, [this](const std::error_code& ec) { on_connect(ec); });
  }

  void on_connect(const std::error_code& ec) {
    if (ec) return on_error(w_.result.errors.connect);
    std::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    socket_.non_blocking(true, ignored);  // read_some() below must never block the event loop
    ++w_.result.connections_opened;
    do_write();
  }

  void do_write() {
    if (w_.stopping) return finish();
    phase_ = phase::requesting;
    since_ = clock::now();
    reader_.start(w_.head);
    asio::async_write(socket_, asio::buffer(w_.request),
                      [this](const std::error_code& ec, std::size_t) { on_write(ec); });
  }

  void on_write(const std::error_code& ec) {
    if (ec) return on_error(w_.result.errors.write);
    do_read();
  }

  // Waits until the socket is readable, then reads what is there (wrk's way). A plain
  // async_read_some would first try a read that, right after the write, almost always finds
  // nothing: one wasted system call per request.
  void do_read() {
    socket_.async_wait(tcp::socket::wait_read, [this](const std::error_code& ec) { on_readable(ec); });
  }

  void on_readable(std::error_code ec) {
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

  void complete(bool closed) {
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
  void on_error(std::uint64_t& counter) {
    if (!cancelled_) ++counter;
    cancelled_ = false;
    close_socket();
    do_connect();
  }

  void finish() {
    close_socket();
    phase_ = phase::finished;
    w_.finished_one();
  }

  void close_socket() {
    std::error_code ignored;
    socket_.close(ignored);
  }

  worker& w_;                        ///< the thread this connection runs on
  tcp::socket socket_;               ///< the connection (reopened after each close)
  response_reader reader_;           ///< frames the responses
  phase phase_ = phase::connecting;  ///< what the connection is doing
  clock::time_point since_;          ///< when the current connect or request started
  bool cancelled_ = false;           ///< check_timeout() or stop() closed the socket on purpose
};

void worker::start(clock::time_point end) {
  stop_timer.expires_at(end);
  stop_timer.async_wait([this](const std::error_code& ec) {
    if (!ec) stop();
  });
  sweep();
  active = connections.size();
  for (auto& c : connections)
    c->start();
}

void worker::stop() {
  stopping = true;
  stopped_at = clock::now();
  for (auto& c : connections)
    c->stop();
}

void worker::sweep() {
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

void worker::finished_one() {
  if (--active == 0) {
    stop_timer.cancel();
    sweep_timer.cancel();  // nothing left to wait for: run() returns
  }
}

}  // namespace

bench_result run_bench(const bench_options& options, const tcp::endpoint& server,
                       const std::function<void(const bench_progress&)>& progress) {
  const http::request req = make_request(options.target, options.request);
  const std::string bytes = http::to_string(req);
  const int threads = std::max(1, options.threads);

  std::vector<std::unique_ptr<worker>> workers;
  for (int t = 0; t < threads; ++t) {
    auto w = std::make_unique<worker>(options, server, bytes, req.method == "HEAD");
    // Connections spread as evenly as they go: 10 over 4 threads is 3, 3, 2, 2.
    const int share = options.connections / threads + (t < options.connections % threads ? 1 : 0);
    for (int c = 0; c < share; ++c)
      w->connections.push_back(std::make_unique<bench_connection>(*w));
    workers.push_back(std::move(w));
  }

  std::mutex mutex;
  std::condition_variable all_done;
  int running = threads;
  clock::time_point finished;  // when the last thread ran out of work
  const auto start = clock::now();
  const auto end = start + std::chrono::duration_cast<clock::duration>(options.duration);
  {
    std::vector<std::jthread> pool;
    for (auto& w : workers) {
      pool.emplace_back([&, w = w.get()] {
        w->start(end);
        w->ioc.run();
        const std::scoped_lock lock(mutex);
        if (--running == 0) {
          finished = clock::now();
          all_done.notify_one();
        }
      });
    }
    if (progress) {
      std::unique_lock lock(mutex);
      while (!all_done.wait_for(lock, std::chrono::seconds(1), [&] { return running == 0; })) {
        bench_progress p{clock::now() - start, 0};
        for (auto& w : workers)
          p.requests += w->requests.load(std::memory_order_relaxed);
        lock.unlock();
        progress(p);
        lock.lock();
      }
    }
  }  // the jthreads join here

  bench_result total;

  for (auto& w : workers) {
    const bench_result& r = w->result;
    total.requests += w->requests.load();
    total.bytes_read += r.bytes_read;
    total.late += r.late;
    total.late_bytes += r.late_bytes;
    total.elapsed = std::max<std::chrono::duration<double>>(total.elapsed, w->stopped_at - start);
    for (std::size_t i = 0; i < total.status_classes.size(); ++i)
      total.status_classes[i] += r.status_classes[i];
    total.non_2xx_3xx += r.non_2xx_3xx;
    total.connections_opened += r.connections_opened;
    total.errors.connect += r.errors.connect;
    total.errors.read += r.errors.read;
    total.errors.write += r.errors.write;
    total.errors.timeout += r.errors.timeout;
    total.latency.merge(r.latency);
  }
  total.drained = finished - start - total.elapsed;
  return total;
}

}  // namespace socketlab::client
