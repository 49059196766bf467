// net::wait_any() and net::wake_signal on real loopback sockets: what a blocking server waits
// with. Deadlines are short, and only their lower bound is checked (never how fast a wait was).
#include <array>
#include <chrono>
#include <thread>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include "socketlab/net/wake_signal.hpp"
#include "support/catch.hpp"
#include "support/connected_pair.hpp"

namespace net = socketlab::net;
using namespace std::chrono_literals;
using asio::ip::tcp;
using socketlab::test::connected_pair;
using clock_type = std::chrono::steady_clock;

TEST_CASE("wait_any: the deadline passes when nothing is ready", "[unit][net][readiness]") {
  connected_pair p;
  const std::array<net::wait_entry, 1> entries{{{p.server.native_handle()}}};
  std::error_code ec;
  const auto start = clock_type::now();
  CHECK(net::wait_any(entries, start + 100ms, ec) == entries.size());
  CHECK_FALSE(ec);
  CHECK(clock_type::now() - start >= 100ms);  // never wakes before its deadline
}

TEST_CASE("wait_any: bytes to read, a peer's close, room to write", "[unit][net][readiness]") {
  connected_pair p;
  std::error_code ec;
  const auto later = clock_type::now() + 5s;

  const std::array<net::wait_entry, 2> writable{
      {{p.client.native_handle()}, {p.server.native_handle(), true}}};
  CHECK(net::wait_any(writable, later, ec) == 1);  // nothing to read on the client; room on the server

  asio::write(p.client, asio::buffer("x", 1));
  const std::array<net::wait_entry, 2> readable{{{p.client.native_handle()}, {p.server.native_handle()}}};
  CHECK(net::wait_any(readable, later, ec) == 1);
  std::array<char, 4> got{};
  CHECK(p.server.read_some(asio::buffer(got)) == 1);

  p.client.shutdown(tcp::socket::shutdown_send);  // end of stream counts as ready: read() tells it
  CHECK(net::wait_any(readable, later, ec) == 1);
  p.server.read_some(asio::buffer(got), ec);
  CHECK(ec == asio::error::eof);
}

TEST_CASE("wait_any: a listener is ready when a connection waits to be accepted", "[unit][net][readiness]") {
  asio::io_context io;
  tcp::acceptor listener(io, {asio::ip::address_v4::loopback(), 0});
  const std::array<net::wait_entry, 1> entries{{{listener.native_handle()}}};
  std::error_code ec;
  CHECK(net::wait_any(entries, clock_type::now() + 50ms, ec) == 1);  // nobody yet: the deadline
  tcp::socket client(io);
  client.connect(listener.local_endpoint());
  CHECK(net::wait_any(entries, clock_type::now() + 5s, ec) == 0);
  CHECK_FALSE(ec);
}

TEST_CASE("wake_signal: raising it wakes every thread waiting on it, for good", "[unit][net][readiness]") {
  net::wake_signal stop;
  CHECK_FALSE(stop.raised());
  connected_pair p;  // a socket that stays silent, waited on beside the signal

  std::array<std::size_t, 3> woke{};
  std::array<std::thread, 3> waiters;
  for (std::size_t i = 0; i < waiters.size(); ++i) {
    waiters[i] = std::thread([&, i] {
      const std::array<net::wait_entry, 2> entries{{{p.server.native_handle()}, stop.entry()}};
      std::error_code ec;
      woke[i] = net::wait_any(entries, clock_type::now() + 30s, ec);
    });
  }
  stop.raise();
  stop.raise();  // a second raise changes nothing
  for (auto& w : waiters)
    w.join();
  CHECK(woke == std::array<std::size_t, 3>{1, 1, 1});
  CHECK(stop.raised());

  // Raised for good: a wait that starts later returns at once too.
  const std::array<net::wait_entry, 1> later{{stop.entry()}};
  std::error_code ec;
  CHECK(net::wait_any(later, clock_type::now() + 30s, ec) == 0);
}

TEST_CASE("wake_signal: lowered, it is no longer ready; raised again, it is", "[unit][net][readiness]") {
  net::wake_signal waiting;
  const std::array<net::wait_entry, 1> entries{{waiting.entry()}};
  std::error_code ec;
  waiting.raise();
  CHECK(net::wait_any(entries, clock_type::now() + 5s, ec) == 0);
  waiting.lower();
  CHECK_FALSE(waiting.raised());
  CHECK(net::wait_any(entries, clock_type::now() + 50ms, ec) == entries.size());  // not ready
  waiting.clear_stale();  // nothing stale: changes nothing
  waiting.raise();
  CHECK(waiting.raised());
  CHECK(net::wait_any(entries, clock_type::now() + 5s, ec) == 0);
  waiting.clear_stale();  // raised: not stale, kept
  CHECK(net::wait_any(entries, clock_type::now() + 5s, ec) == 0);
}
