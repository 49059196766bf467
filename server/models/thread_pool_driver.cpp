// The thread-pool model: N threads, started once, take accepted connections from a queue.
//
//     queue = Queue(maxsize=...)
//     for _ in range(N): threading.Thread(target=worker, daemon=True).start()
//     while True:
//         connection, address = server.accept()
//         queue.put(connection)       # a worker serves it when one is free
//
// No thread is created per connection, and at most N connections are served at once, so a
// flood of clients cannot exhaust the machine; past N they wait in the queue. The catch: a
// kept-alive connection holds its thread while it is idle. So while others wait and no worker
// is free (a signal raised for it), a worker answers its current request with
// `Connection: close`, or closes its connection once idle for 100 ms, and takes the next one.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "server/models/blocking_driver.hpp"

namespace socketlab::server {
namespace {

class thread_pool_driver final : public blocking_driver {
 public:
  using blocking_driver::blocking_driver;

  // A driver left without join() (an exception on the way, say) joins its threads here:
  // destroying a joinable std::thread would end the process.
  ~thread_pool_driver() override {
    stop();
    join();
  }

  // The workers, then the accepting thread. A worker the system will not start (a thread limit)
  // is a start-up failure in one line; the workers already started are joined (see above).
  void start() override {
    const int wanted = worker_threads(config());
    for (int i = 0; i < wanted; ++i) {
      try {
        workers_.emplace_back([this] { work(); });
      } catch (const std::system_error& e) {
        throw std::runtime_error("cannot start thread-pool worker " + std::to_string(i + 1) + " of " +
                                 std::to_string(wanted) + ": " + e.what() + "; use --threads " +
                                 std::to_string(std::max(1, i)) + " or fewer");
      }
    }
    blocking_driver::start();
  }

 private:
  // Queue it for a worker and go back to accept() at once. The queue is bounded by
  // --max-connections: blocking_driver refuses connections past it with a 503.
  void on_accepted(accepted_connection c) override {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(c));
      if (queue_.size() > idle_) waiting_.raise();  // more waiting than free workers to take them
    }
    ready_.notify_one();
  }

  // The accepting thread has ended: workers serve what is queued, then stop.
  void finish() override {
    {
      std::lock_guard lock(mutex_);
      accepting_ = false;
    }
    ready_.notify_all();
    for (auto& w : workers_) {
      if (w.joinable()) w.join();
    }
  }

  // A worker: take a connection, serve it to the end, take the next.
  void work() {
    for (;;) {
      std::unique_lock lock(mutex_);
      ++idle_;
      ready_.wait(lock, [this] { return !queue_.empty() || !accepting_; });
      --idle_;
      if (queue_.empty()) return;
      accepted_connection c = std::move(queue_.front());
      queue_.pop_front();
      if (queue_.size() <= idle_) waiting_.lower();  // the free workers take the rest
      lock.unlock();
      serve_connection(std::move(c), &waiting_);
    }
  }

  std::vector<std::thread> workers_;       ///< the pool
  std::mutex mutex_;                       ///< guards queue_, idle_ and accepting_
  std::condition_variable ready_;          ///< a connection was queued, or accepting ended
  std::deque<accepted_connection> queue_;  ///< accepted, waiting for a worker
  net::wake_signal waiting_;               ///< raised while queue_ is not empty
  std::size_t idle_ = 0;                   ///< workers waiting for a connection
  bool accepting_ = true;                  ///< the accepting thread still runs
};

}  // namespace

std::unique_ptr<driver> make_thread_pool_driver(asio::io_context&, const server_config& config) {
  return std::make_unique<thread_pool_driver>(config);
}

}  // namespace socketlab::server
