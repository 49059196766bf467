// net::accept_next() on real loopback sockets, on loops run by one thread and by several: it takes
// every client of a burst, at either pace, though epoll reported the burst once (on Linux a loop
// one thread runs keeps the listener level-triggered, so a wait needs no epoll_ctl MOD: lesson
// 10's strace shows the calls); it waits when none is there; and a listener it has stopped
// waiting on, after an error, does not keep the loop busy while a client is queued.
#include <array>
#include <chrono>
#include <cstddef>
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

TEST_CASE("accept_next: a listener left with a client queued after an error does not keep the loop busy",
          "[integration][net][accept-next]") {
  // The caller of an accept_next() that failed may pause (out of descriptors) before it waits
  // again: a registration that reported the queued client at every turn of the loop would spin it.
  accepting l(ANY_HINT);
  auto busy = asio::make_work_guard(l.io);  // (a loop with nothing to do would not even look)
  std::error_code ended = asio::error::timed_out;
  asio::co_spawn(
      l.io,
      [&]() -> asio::awaitable<void> {
        tcp::endpoint peer;
        auto [ec, socket] = co_await net::accept_next(l.listener.acceptor(), l.io.get_executor(), peer,
                                                      net::accept_pace::one_per_wait);
        ended = ec;
      },
      asio::detached);
  l.io.poll();  // the wait is queued
  l.listener.acceptor().cancel();
  l.io.poll();
  REQUIRE(ended == asio::error::operation_aborted);

  l.client.connect(l.listener.local_endpoint());  // queued, and nothing waits for it
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
  CHECK(peer == l.client.local_endpoint());
}
