#include "client/bench/bench.hpp"

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/bench/bench_worker.hpp"
#include "socketlab/http/serializer.hpp"

namespace socketlab::client {
namespace {

using clock = bench_worker::clock;
using workers = std::vector<std::unique_ptr<bench_worker>>;

/// The threads' workers, the connections spread over them as evenly as they go: 10 over 4
/// threads is 3, 3, 2, 2.
workers make_workers(const bench_options& options, const asio::ip::tcp::endpoint& server) {
  const http::request req = make_request(options.target, options.request);
  const std::string bytes = http::to_string(req);
  const int threads = std::max(1, options.threads);
  workers all;
  for (int t = 0; t < threads; ++t) {
    auto w = std::make_unique<bench_worker>(options, server, bytes, req.method == "HEAD");
    const int share = options.connections / threads + (t < options.connections % threads ? 1 : 0);
    for (int c = 0; c < share; ++c)
      w->connections.push_back(std::make_unique<bench_connection>(*w));
    all.push_back(std::move(w));
  }
  return all;
}

/// Runs each worker on a thread of its own until @p end and the requests under way then are over,
/// calling @p progress about once a second meanwhile.
/// @return when the last thread ran out of work
clock::time_point run_workers(workers& all, clock::time_point start, clock::time_point end,
                              const std::function<void(const bench_progress&)>& progress) {
  std::mutex mutex;
  std::condition_variable all_done;
  auto running = all.size();
  clock::time_point finished;
  std::vector<std::jthread> pool;
  for (auto& w : all) {
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
      for (auto& w : all)
        p.requests += w->requests.load(std::memory_order_relaxed);
      lock.unlock();
      progress(p);
      lock.lock();
    }
  }
  pool.clear();  // joins the threads
  return finished;
}

/// Adds what one thread measured to @p total.
void add(bench_result& total, const bench_result& r) {
  total.bytes_read += r.bytes_read;
  total.late += r.late;
  total.late_bytes += r.late_bytes;
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

}  // namespace

bench_result run_bench(const bench_options& options, const asio::ip::tcp::endpoint& server,
                       const std::function<void(const bench_progress&)>& progress) {
  workers all = make_workers(options, server);
  const auto start = clock::now();
  const auto end = start + std::chrono::duration_cast<clock::duration>(options.duration);
  const auto finished = run_workers(all, start, end, progress);

  bench_result total;
  for (auto& w : all) {
    add(total, w->result);
    total.requests += w->requests.load();
    total.elapsed = std::max<std::chrono::duration<double>>(total.elapsed, w->stopped_at - start);
  }
  total.drained = finished - start - total.elapsed;
  return total;
}

}  // namespace socketlab::client
