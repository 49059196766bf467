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

#include "server/blocking_connection.hpp"

namespace socketlab::server {
namespace {

class thread_per_connection_driver final : public blocking_driver {
 public:
  using blocking_driver::blocking_driver;

 private:
  // Start a thread for it and go back to accept() at once.
  void on_accepted(accepted_connection c) override {
    auto owned = std::make_unique<accepted_connection>(std::move(c));
    std::thread serving;
    try {
      serving = std::thread([this, mine = owned.get()] {
        // Everything of the connection is destroyed before it is counted closed: after that
        // the server may be gone, and a detached thread must hold nothing of it.
        serve_blocking(std::move(*std::unique_ptr<accepted_connection>(mine)), config(), stop_signal());
        connection_closed();
      });
    } catch (const std::system_error&) {
      // The system has no thread to give (a ulimit, memory): that is overload too.
      refuse_overloaded(std::move(*owned), config());
      connection_closed();
      return;
    }
    owned.release();  // the thread has it now
    serving.detach();
  }
};

}  // namespace

std::unique_ptr<driver> make_thread_per_connection_driver(asio::io_context&, const server_config& config) {
  return std::make_unique<thread_per_connection_driver>(config);
}

}  // namespace socketlab::server
