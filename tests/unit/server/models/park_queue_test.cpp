// async::park_queue: parked nodes handed to the action at their deadlines, in order, none early
// and none once unparked; one timer for all, re-armed when a node is due sooner; stop() lets the
// event loop return. A real io_context and steady clock; deadlines of tens of milliseconds.
#include "server/models/park_queue.hpp"

#include <chrono>
#include <cstdint>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include "support/catch.hpp"

using namespace std::chrono_literals;
using socketlab::server::async::park_node;
using socketlab::server::async::park_queue;
using clock_type = park_queue::clock;

namespace {

/// A node that remembers when the sweep handed it over, with its serial then.
struct node : park_node {
  int name = 0;                   ///< which node, for the order
  clock_type::time_point due_at;  ///< when the action got it
  std::uint32_t serial_then = 0;  ///< its serial then
};

/// A queue on @p io whose action records each node due, in @p order; @p threaded as the driver
/// makes it for several threads (a lock, the sweep on a strand).
struct recorder {
  explicit recorder(asio::io_context& io, bool threaded = false)
      : queue(
            io,
            [this](park_node& n) {
              auto& mine = static_cast<node&>(n);
              mine.due_at = clock_type::now();
              mine.serial_then = mine.serial;
              order.push_back(mine.name);
            },
            threaded) {}
  std::vector<int> order;  ///< names, in the order they fell due
  park_queue queue;        ///< under test
};

}  // namespace

TEST_CASE("park_queue: nodes fall due at their deadlines, in deadline order, none early",
          "[unit][server][park_queue]") {
  const bool threaded = GENERATE(false, true);
  asio::io_context io;
  recorder r(io, threaded);
  node a, b, c, d;
  a.name = 1, b.name = 2, c.name = 3, d.name = 4;
  const auto t0 = clock_type::now();
  r.queue.park(b, t0 + 60ms, park_queue::idle);
  r.queue.park(a, t0 + 20ms, park_queue::idle);  // out of order: walks back before b
  r.queue.park(d, t0 + 100ms, park_queue::idle);
  r.queue.park(c, t0 + 40ms, park_queue::first_request);  // the other list, due between
  io.run();  // returns once the sweep has nothing left to wait for
  CHECK(r.order == std::vector<int>{1, 3, 2, 4});
  CHECK(a.due_at >= t0 + 20ms);
  CHECK(c.due_at >= t0 + 40ms);
  CHECK(b.due_at >= t0 + 60ms);
  CHECK(d.due_at >= t0 + 100ms);
  CHECK(d.due_at < t0 + 2s);
  CHECK(a.list < 0);  // out of the queue: it may be parked again
  r.queue.park(a, clock_type::now() + 10ms, park_queue::first_request);
  io.restart();
  io.run();
  CHECK(r.order.size() == 5);
}

TEST_CASE("park_queue: an unparked node never falls due, and its serial says a timeout is stale",
          "[unit][server][park_queue]") {
  asio::io_context io;
  recorder r(io);
  node kept, woken;
  kept.name = 1, woken.name = 2;
  const auto t0 = clock_type::now();
  r.queue.park(woken, t0 + 20ms, park_queue::idle);
  r.queue.park(kept, t0 + 40ms, park_queue::idle);
  const auto parked_serial = woken.serial;
  r.queue.unpark(woken);  // its wait ended: it left the queue
  CHECK(woken.serial != parked_serial);
  CHECK(woken.list < 0);
  io.run();
  CHECK(r.order == std::vector<int>{1});
  CHECK(kept.serial_then == kept.serial);  // a timeout taken for this parking: still current
  r.queue.unpark(kept);                    // the connection woke just after the sweep took it
  CHECK(kept.serial_then != kept.serial);  // the timeout posted meanwhile is now seen as stale
}

TEST_CASE("park_queue: a node due sooner than the sweep wakes it sooner", "[unit][server][park_queue]") {
  asio::io_context io;
  recorder r(io);
  node late, soon;
  late.name = 1, soon.name = 2;
  const auto t0 = clock_type::now();
  r.queue.park(late, t0 + 30s, park_queue::idle);
  // Parked once the sweep sleeps for 30 s: it must be re-armed for this one.
  asio::post(io, [&] { r.queue.park(soon, clock_type::now() + 20ms, park_queue::first_request); });
  asio::steady_timer guard(io, 5s);  // the test's own bound, should the sweep oversleep
  guard.async_wait([&](const std::error_code&) { r.queue.stop(); });
  io.run_one_for(5s);  // the post
  while (r.order.empty() && clock_type::now() < t0 + 5s)
    io.run_one_for(5s);
  CHECK(r.order == std::vector<int>{2});
  CHECK(clock_type::now() < t0 + 2s);
  r.queue.unpark(late);
  guard.cancel();
}

TEST_CASE("park_queue: stop() lets the event loop return though a node is parked for long",
          "[unit][server][park_queue]") {
  asio::io_context io;
  recorder r(io);
  node n;
  r.queue.park(n, clock_type::now() + 1h, park_queue::idle);
  r.queue.stop();
  const auto start = clock_type::now();
  io.run();  // would sleep an hour with the sweep's timer pending
  CHECK(clock_type::now() - start < 5s);
  CHECK(r.order.empty());
  r.queue.unpark(n);
}
