// The thread-per-connection model: the original exercise's daemon threads.
//
//     while True:
//         connection, address = server.accept()
//         threading.Thread(target=serve, args=(connection,), daemon=True).start()
//
// Each connection gets a thread of its own, so a slow one holds up nobody else, and blocking
// calls are fine. The price is one thread (a stack, a scheduler entry) per connection: a
// thousand idle keep-alive clients are a thousand sleeping threads. The original had no limit;
// here `--max-connections` is the guard: past it, a client gets 503 and is closed.
//
// The threads are detached, like daemon threads, but counted: a graceful stop waits for the
// requests under way to be answered instead of killing them with the process.
#include <memory>
#include <system_error>
#include <thread>

#include "server/models/blocking_driver.hpp"

namespace socketlab::server {
namespace {

class thread_per_connection_driver final : public blocking_driver {
 public:
  using blocking_driver::blocking_driver;

 private:
  // Start a thread for it and go back to accept() at once.
  void on_accepted(accepted_connection c) override {
    // The thread gets the connection through a raw pointer rather than a capture, so that it
    // can destroy every bit of it before counting it closed: a detached thread must hold
    // nothing of the server once the server may be gone.
    auto owned = std::make_unique<accepted_connection>(std::move(c));
    try {
      std::thread([this, mine = owned.get()] { serve_and_count(mine); }).detach();
      owned.release();  // the thread has it now
    } catch (const std::system_error&) {
      // The system has no thread to give (a ulimit, memory): that is overload too.
      refuse(std::move(*owned));
      connection_closed();
    }
  }

  void serve_and_count(accepted_connection* mine) {
    const closed_on_exit counted(*this);  // last: after every bit of the connection is destroyed
    serve_blocking(std::move(*std::unique_ptr<accepted_connection>(mine)), config(), {stop_signal(), {}});
  }
};

}  // namespace

std::unique_ptr<driver> make_thread_per_connection_driver(asio::io_context&, const server_config& config) {
  return std::make_unique<thread_per_connection_driver>(config);
}

}  // namespace socketlab::server
