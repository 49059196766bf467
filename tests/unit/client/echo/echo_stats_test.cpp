// What the echo clients will count, with made-up arrivals: loss, duplicates, reordering and
// round trips by sequence number, and the probe format that carries the numbers.
#include "client/echo/echo_stats.hpp"

#include <string>

#include "support/catch.hpp"

namespace client = socketlab::client;
using namespace std::chrono_literals;
using socketlab::test::contains;
using arrival = client::echo_stats::arrival;

TEST_CASE("a probe carries its sequence number in its first 8 bytes, big-endian", "[unit][client][echo]") {
  const auto probe = client::encode_probe(0x0102030405060708, 12);
  CHECK(probe == std::string("\x01\x02\x03\x04\x05\x06\x07\x08....", 12));
  CHECK(client::decode_probe(probe) == std::optional<std::uint64_t>(0x0102030405060708));
  for (const std::uint64_t n :
       {std::uint64_t{0}, std::uint64_t{255}, std::uint64_t{256}, ~std::uint64_t{0}}) {
    CHECK(client::decode_probe(client::encode_probe(n, 8)) == std::optional<std::uint64_t>(n));
    CHECK(client::decode_probe(client::encode_probe(n, 1472)) == std::optional<std::uint64_t>(n));
  }
  CHECK(client::encode_probe(7, 0).empty());
  CHECK(client::encode_probe(7, 3).size() == 3);
  CHECK_FALSE(client::decode_probe(client::encode_probe(7, 7)).has_value());  // too short to carry it
}

TEST_CASE("echo_stats counts loss, duplicates and reordering like ping", "[unit][client][echo]") {
  client::echo_stats stats;
  const client::echo_stats::clock::time_point t0{};
  for (int i = 0; i < 10; ++i)
    CHECK(stats.on_sent(t0 + i * 10ms) == static_cast<std::uint64_t>(i));
  // 0..9 sent; back come 0, 1, 3, 2 (reordered), 3 again (duplicate), 5..8; 4 and 9 are lost.
  CHECK(stats.on_received(0, t0 + 1ms) == arrival::first);
  CHECK(stats.on_received(1, t0 + 12ms) == arrival::first);
  CHECK(stats.on_received(3, t0 + 31ms) == arrival::first);
  CHECK(stats.on_received(2, t0 + 32ms) == arrival::reordered);
  CHECK(stats.on_received(3, t0 + 33ms) == arrival::duplicate);
  for (int i = 5; i <= 8; ++i)
    CHECK(stats.on_received(static_cast<std::uint64_t>(i), t0 + i * 10ms + 1ms) == arrival::first);
  CHECK(stats.on_received(42, t0 + 99ms) == arrival::unknown);
  CHECK(stats.sent() == 10);
  CHECK(stats.received() == 8);
  CHECK(stats.lost() == 2);
  CHECK(stats.loss_percent() == 20.0);
  CHECK(stats.duplicates() == 1);
  CHECK(stats.reordered() == 1);
  CHECK(stats.rtt().count() == 8);  // first echoes only
  CHECK(stats.rtt().min() == 1ms);
  CHECK(stats.rtt().max() == 12ms);  // probe 2: sent at 20 ms, back at 32 ms
  CHECK_THAT(stats.summary(), contains("10 sent, 8 received, 20.0% loss, 1 duplicates, 1 reordered, rtt "
                                       "min/avg/max/p99 = 1.000/"));
}

TEST_CASE("echo_stats with nothing back: all lost, no round-trip figures", "[unit][client][echo]") {
  client::echo_stats stats;
  CHECK(stats.loss_percent() == 0.0);
  CHECK(stats.summary() == "0 sent, 0 received, 0.0% loss, 0 duplicates, 0 reordered");
  (void)stats.on_sent({});
  (void)stats.on_sent({});
  CHECK(stats.loss_percent() == 100.0);
  CHECK(stats.summary() == "2 sent, 0 received, 100.0% loss, 0 duplicates, 0 reordered");
}
