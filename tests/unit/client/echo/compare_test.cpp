// compare's table without a network: echo_results made up here (statistics fed through
// echo_stats with fixed times, deliveries filled in by hand), so every figure in a row is known.
#include "client/echo/compare.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <asio/error.hpp>

#include "support/catch.hpp"
#include "unit/client/echo/made_up_stats.hpp"

namespace client = socketlab::client;
using namespace std::chrono_literals;
using client::echo_transport;
using client::test::echo;
using client::test::send;
using client::test::t0;

namespace {

/// @p messages messages of @p size bytes, and receives of these sizes.
client::delivery delivered(std::size_t messages, std::size_t size, std::vector<std::size_t> reads) {
  return {messages, size, {}, std::move(reads)};
}

/// TCP, 1,000 messages of 1,000 bytes in 0.5 s, all back: 980 after 100 us, the last 20 after
/// 2 ms; a 250 us handshake; the burst of 10 came back in one read, the 70,000 bytes in two.
client::echo_result made_up_tcp() {
  client::echo_result r;
  r.transport = echo_transport::tcp;
  r.size = 1000;
  r.setup = 250us;
  send(r.stats, 1000);
  for (std::uint64_t i = 0; i < 1000; ++i)
    echo(r.stats, i, i < 980 ? std::chrono::nanoseconds(100us) : std::chrono::nanoseconds(2ms));
  r.elapsed = 500ms;
  r.burst = delivered(10, 1000, {10'000});
  r.large = {delivered(1, 70'000, {65'483, 4'517})};
  return r;
}

/// UDP, the same workload: 990 back after 100 us (5 and 6 swapped, 990..999 lost); the burst
/// as 10 datagrams; the largest IPv4 datagram echoed whole; 70,000 bytes refused by send().
client::echo_result made_up_udp() {
  client::echo_result r;
  r.transport = echo_transport::udp;
  r.size = 1000;
  send(r.stats, 1000);
  for (const std::uint64_t i : {0U, 1U, 2U, 3U, 4U, 6U, 5U})
    echo(r.stats, i, 100us);
  for (std::uint64_t i = 7; i < 990; ++i)
    echo(r.stats, i, 100us);
  r.elapsed = 500ms;
  r.burst = delivered(10, 1000, std::vector<std::size_t>(10, 1000));
  r.large = {delivered(1, 65'507, {65'507}), delivered(1, 70'000, {})};
  r.large[1].send_error = asio::error::message_size;
  return r;
}

/// Checks @p rows against @p expected, naming the row that differs.
void check_rows(const std::vector<client::compare_row>& rows,
                const std::vector<client::compare_row>& expected) {
  REQUIRE(rows.size() == expected.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CAPTURE(i, expected[i].measure);
    CHECK(rows[i].measure == expected[i].measure);
    CHECK(rows[i].tcp == expected[i].tcp);
    CHECK(rows[i].udp == expected[i].udp);
  }
}

}  // namespace

TEST_CASE("compare_rows: each row's text for a TCP and a UDP run", "[unit][client][echo]") {
  check_rows(client::compare_rows(made_up_tcp(), made_up_udp()),
             {
                 {"connection setup", "0.250 ms handshake", "none: no connection"},
                 {"round trip p50 / p99", "0.100 / 2.000 ms", "0.100 / 0.100 ms"},
                 {"messages/s", "2,000", "1,980"},
                 {"MB/s", "2.00", "1.98"},
                 {"loss", "0 of 1,000 (TCP resends)", "10 of 1,000"},
                 {"reordering", "0 of 1,000 (TCP keeps order)", "1 of 1,000"},
                 {"message boundaries", "not kept: 10 writes, 1 read", "kept: 10 datagrams, 10 receives"},
                 {"largest message", "no limit: a byte stream", "65,507 bytes (IPv4), echoed whole"},
                 {"70,000-byte message", "delivered in 2 reads", "refused: too long for one datagram"},
             });
}

TEST_CASE("compare_rows: kept writes, lost datagrams, IPv6, nothing back", "[unit][client][echo]") {
  auto tcp = made_up_tcp();
  tcp.burst = delivered(10, 1000, std::vector<std::size_t>(10, 1000));  // each write read on its own
  tcp.large = {delivered(1, 70'000, {70'000})};
  auto udp = made_up_udp();
  udp.ipv6 = true;
  udp.burst = delivered(10, 1000, std::vector<std::size_t>(9, 1000));  // one datagram lost
  udp.large = {delivered(1, 65'527, {65'527}), delivered(1, 70'000, {})};
  udp.large[1].send_error = asio::error::no_buffer_space;
  SECTION("boundaries and large messages") {
    const auto rows = client::compare_rows(tcp, udp);
    REQUIRE(rows.size() == 9);
    CHECK(rows[6].tcp == "kept this time: 10 writes, 10 reads");
    CHECK(rows[6].udp == "see the datagrams: 10 datagrams, 9 receives");
    CHECK(rows[7].udp == "65,527 bytes (IPv6), echoed whole");
    CHECK(rows[8].tcp == "delivered in 1 read");
    CHECK(rows[8].udp == "not sent: " + std::error_code(asio::error::no_buffer_space).message());
  }
  SECTION("a large datagram that came back cut") {
    udp.large[0].reads = {1000};
    CHECK(client::compare_rows(tcp, udp)[7].udp == "1,000 of 65,527 bytes came back");
  }
  SECTION("no echo at all: no round trips, no rate") {
    udp.stats = {};
    send(udp.stats, 1000);
    udp.elapsed = 0ns;
    const auto rows = client::compare_rows(tcp, udp);
    CHECK(rows[1].udp == "-");
    CHECK(rows[2].udp == "0");
    CHECK(rows[3].udp == "0.00");
    CHECK(rows[4].udp == "1,000 of 1,000");
  }
}
