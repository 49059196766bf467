// net::accept_next() on real loopback sockets, on loops run by one thread and by several: it takes
// every client of a burst, at either pace, though epoll reported the burst once (on Linux a loop
// one thread runs keeps the listener level-triggered, so a wait needs no epoll_ctl MOD: lesson
// 10's strace shows the calls); it waits when none is there; and a listener nothing waits on
// any more (after an error, or accepting_ended()) does not keep the loop busy while a client is
// queued.
#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <system_error>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

#include "socketlab/net/accepted_socket.hpp"
#include "support/accepting.hpp"
#include "support/catch.hpp"

namespace net = socketlab::net;
using namespace std::chrono_literals;
using asio::ip::tcp;

using socketlab::test::accepting;
using socketlab::test::readable;

TEST_CASE("accept_next: either pace takes every client of a burst in order, and waits when none is there",
          "[integration][net][accept-next]") {
  const auto pace = GENERATE(net::accept_pace::one_per_wait, net::accept_pace::all_waiting);
  accepting l(ANY_HINT);
  std::array<tcp::socket, 4> clients{tcp::socket(l.io), tcp::socket(l.io), tcp::socket(l.io),
                                     tcp::socket(l.io)};
  // A burst, queued before the loop runs: epoll reports the listener once for the three, and one
  // accept per wait must still take the second and the third.
  for (std::size_t i = 0; i < 3; ++i)
    clients.at(i).connect(l.listener.local_endpoint());

  std::vector<tcp::endpoint> accepted;
  asio::co_spawn(
      l.io,
      [&]() -> asio::awaitable<void> {
        for (std::size_t i = 0; i < clients.size(); ++i) {
          if (i == 3) {  // the queue is empty now: accept_next() waits until the last client comes
            clients.at(3).async_connect(l.listener.local_endpoint(),
                                        [](const std::error_code& ec) { CHECK_FALSE(ec); });
          }
          tcp::endpoint peer;
          auto [ec, socket] =
              co_await net::accept_next(l.listener.acceptor(), l.io.get_executor(), peer, pace);
          CHECK_FALSE(ec);
          CHECK(socket.is_open());
          accepted.push_back(peer);
        }
      },
      asio::detached);
  l.io.run_for(10s);
  REQUIRE(accepted.size() == clients.size());
  for (std::size_t i = 0; i < clients.size(); ++i)
    CHECK(accepted.at(i) == clients.at(i).local_endpoint());
}

TEST_CASE("accept_next: a listener its loop stopped waiting on, a client queued, does not keep the loop busy",
          "[integration][net][accept-next]") {
  // The caller of an accept_next() that failed may pause (out of descriptors) before it waits
  // again, and one whose loop ended (an exception) waits no more: a registration that reported the
  // queued client at every turn of the loop would spin it.
  const auto how = GENERATE(as<std::string>{}, "after an error", "ended after an accept");
  accepting l(ANY_HINT);
  auto busy = asio::make_work_guard(l.io);  // (a loop with nothing to do would not even look)
  std::error_code ended = asio::error::timed_out;
  bool done = false;  // the coroutine has returned, and its completion has run
  if (how == "ended after an accept") l.client.connect(l.listener.local_endpoint());
  asio::co_spawn(
      l.io,
      [&]() -> asio::awaitable<void> {
        tcp::endpoint peer;
        auto [ec, socket] = co_await net::accept_next(l.listener.acceptor(), l.io.get_executor(), peer,
                                                      net::accept_pace::one_per_wait);
        ended = ec;
      },
      [&](const std::exception_ptr&) { done = true; });
  if (how == "after an error") {
    l.io.poll();  // the wait is queued
    l.listener.acceptor().cancel();
  }
  for (int turn = 0; turn < 100 && !done; ++turn)
    l.io.run_one_for(100ms);
  REQUIRE(done);
  if (how == "after an error") {
    REQUIRE(ended == asio::error::operation_aborted);
  } else {
    REQUIRE_FALSE(ended);  // a client taken: the listener stays level-triggered, for the next wait
    net::accepting_ended(l.listener.acceptor());  // but the loop that called accept_next() ends here
  }

  for (int turn = 0; turn < 10 && l.io.poll_one() > 0; ++turn) {
  }  // what is left of the coroutine's end: the listener has no client queued, so no report
  tcp::socket queued(l.io);  // queued, and nothing waits for it
  queued.connect(l.listener.local_endpoint());
  REQUIRE(readable(l.listener.acceptor().native_handle()));
  std::size_t handlers = 0;  // what the loop finds to do in 10 turns (poll() would never return)
  for (int turn = 0; turn < 10; ++turn)
    handlers += l.io.poll_one();
  CHECK(handlers <= 1);  // at most the report of its arrival, if the loop's system sends one

  tcp::endpoint peer;  // the client is still there for the next accept
  std::error_code ec;
  const auto handle = net::accept_ready(l.listener.acceptor(), peer, ec);
  CHECK_FALSE(ec);
  net::accepted_socket taken(l.io.get_executor(), peer.protocol(), handle);
  CHECK(peer == queued.local_endpoint());
}
