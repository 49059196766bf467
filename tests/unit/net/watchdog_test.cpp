// net::watchdog: the action at the deadline, once per deadline; a deadline moved later is waited
// for; stop() ends the watching; and a watchdog started again right after stop(), before the wait
// stop() cancelled has ended, watches with one wait, not two. A real io_context and clock.
#include "socketlab/net/watchdog.hpp"

#include <chrono>
#include <memory>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "support/catch.hpp"

using namespace std::chrono_literals;
namespace net = socketlab::net;
using clock_type = net::watchdog::clock;

namespace {

/// What the watchdog lives in, as a connection would: held by its pending wait.
struct watched {
  explicit watched(asio::io_context& io) : dog(io.get_executor()) {}
  net::watchdog dog;          ///< under test
  int fired = 0;              ///< how many times the action ran
  clock_type::time_point at;  ///< when it last ran
};

/// Starts @p w's watchdog with an action that counts.
void start(const std::shared_ptr<watched>& w) {
  w->dog.start(w, [&w = *w] {
    ++w.fired;
    w.at = clock_type::now();
  });
}

}  // namespace

TEST_CASE("watchdog: the action runs once at the deadline, a moved deadline is waited for",
          "[unit][net][watchdog]") {
  asio::io_context io;
  auto w = std::make_shared<watched>(io);
  const auto t0 = clock_type::now();
  w->dog.set_deadline(t0 + 20ms);
  start(w);
  w->dog.set_deadline(t0 + 60ms);  // moved later: an assignment; the timer wakes at 20 ms and sleeps on
  io.run_for(200ms);
  CHECK(w->fired == 1);
  CHECK(w->at >= t0 + 60ms);
  w->dog.stop();
  io.restart();
  io.run();  // the stopped watchdog's wait ends, and holds nothing more
  CHECK(w.use_count() == 1);
}

TEST_CASE("watchdog: started again before the stopped wait has ended, it watches once",
          "[unit][net][watchdog]") {
  asio::io_context io;
  auto w = std::make_shared<watched>(io);
  const auto t0 = clock_type::now();
  w->dog.set_deadline(t0 + 30ms);
  start(w);
  // Stop and start again in one handler: the cancelled wait has not run yet when start() comes.
  asio::post(io, [&] {
    w->dog.stop();
    w->dog.set_deadline(clock_type::now() + 40ms);
    start(w);
  });
  io.run_for(150ms);
  CHECK(w->fired == 1);  // two waits watching would each have run the action
  CHECK(w->at >= t0 + 40ms);
  w->dog.set_deadline(clock_type::now() + 20ms);  // the one wait sleeps on: a new deadline is seen
  io.restart();
  io.run_for(150ms);
  CHECK(w->fired == 2);
  w->dog.stop();
  io.restart();
  io.run();
  CHECK(w.use_count() == 1);  // no wait left holding it
}
