// compare's table and the echo commands' failure lines without a network: echo_results made up
// here (statistics fed through echo_stats with fixed times, deliveries filled in by hand), so
// every figure in a row, and every word of a message, is known.
#include "client/echo_commands.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <asio/error.hpp>
#include <asio/ip/address.hpp>

#include "support/catch.hpp"

namespace client = socketlab::client;
namespace exit_status = socketlab::client::exit_status;
using namespace std::chrono_literals;
using client::echo_transport;

namespace {

const client::echo_stats::clock::time_point t0{};  ///< when the made-up runs start

/// Notes @p count messages sent 1 ms apart.
void send(client::echo_stats& stats, std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i)
    (void)stats.on_sent(t0 + i * 1ms);
}

/// Notes the echo of message @p sequence, @p rtt after it left.
void echo(client::echo_stats& stats, std::uint64_t sequence, std::chrono::nanoseconds rtt) {
  (void)stats.on_received(sequence, stats.sent_at(sequence) + rtt);
}

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

/// A run of @p t that stopped at @p step with @p failure after @p received of @p sent echoes.
client::echo_result failed(echo_transport t, const char* step, std::error_code failure,
                           std::uint64_t sent = 0, std::uint64_t received = 0) {
  client::echo_result r;
  r.transport = t;
  r.failure = failure;
  r.failed_step = step;
  send(r.stats, sent);
  for (std::uint64_t i = 0; i < received; ++i)
    echo(r.stats, i, 100us);
  return r;
}

/// Options naming @p host and @p port.
client::echo_options server(std::string host, std::uint16_t port) {
  client::echo_options o;
  o.host = std::move(host);
  o.port = port;
  return o;
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

TEST_CASE("explain_echo: a run that did not fail is ok", "[unit][client][echo]") {
  const auto f = client::explain_echo(made_up_udp(), {});
  CHECK(f.status == exit_status::ok);
  CHECK(f.message.empty());
}

TEST_CASE("explain_echo: refused means nothing listens, and says how to start one (7)",
          "[unit][client][echo]") {
  const asio::ip::tcp::endpoint tried(asio::ip::make_address("127.0.0.1"), 7007);
  SECTION("TCP: the connection was refused, on the default port") {
    auto r = failed(echo_transport::tcp, "connect", asio::error::connection_refused);
    r.tried = {tried};
    const auto f = client::explain_echo(r, server("127.0.0.1", 7007));
    CHECK(f.status == exit_status::connect);
    CHECK(f.message ==
          "nothing is listening on TCP 127.0.0.1:7007 (the connection was refused); start one with: "
          "socketlab-server tcp-echo");
  }
  SECTION("UDP: port unreachable, on another port") {
    const auto r = failed(echo_transport::udp, "receive", asio::error::connection_refused, 1);
    const auto f = client::explain_echo(r, server("127.0.0.1", 9000));
    CHECK(f.status == exit_status::connect);
    CHECK(f.message ==
          "nothing is listening on UDP 127.0.0.1:9000 (its system answered \"port unreachable\"); start one "
          "with: socketlab-server udp-echo --port 9000");
  }
  SECTION("--host only for a host other than 127.0.0.1 and localhost") {
    const auto r = failed(echo_transport::udp, "receive", asio::error::connection_refused, 1);
    const auto start = [&](const client::echo_options& o) {  // the command after "start one with: "
      const std::string message = client::explain_echo(r, o).message;
      const std::string_view lead = "; start one with: ";
      const auto at = message.find(lead);
      return at == std::string::npos ? "(no command in: " + message + ")" : message.substr(at + lead.size());
    };
    CHECK(start(server("localhost", 7007)) == "socketlab-server udp-echo");
    CHECK(start(server("localhost", 7008)) == "socketlab-server udp-echo --port 7008");
    CHECK(start(server("192.168.1.5", 7007)) == "socketlab-server udp-echo --host 192.168.1.5");
    CHECK(
        client::explain_echo(r, server("::1", 9000)).message ==
        "nothing is listening on UDP [::1]:9000 (its system answered \"port unreachable\"); start one with: "
        "socketlab-server udp-echo --host ::1 --port 9000");
  }
}

TEST_CASE("explain_echo: a message too long for a datagram is a usage mistake (2)", "[unit][client][echo]") {
  auto r = failed(echo_transport::udp, "send", asio::error::message_size, 1);
  SECTION("IPv4") {
    auto o = server("127.0.0.1", 7007);
    o.size = 65'508;
    const auto f = client::explain_echo(r, o);
    CHECK(f.status == exit_status::usage);
    CHECK(
        f.message ==
        "--size 65508: message too long for one UDP datagram over IPv4 (max 65,507 bytes); use --size 65507 "
        "or less, or tcp-echo, which carries any size");
  }
  SECTION("IPv6") {
    r.ipv6 = true;
    auto o = server("::1", 7007);
    o.size = 65'528;
    const auto f = client::explain_echo(r, o);
    CHECK(f.status == exit_status::usage);
    CHECK(
        f.message ==
        "--size 65528: message too long for one UDP datagram over IPv6 (max 65,527 bytes); use --size 65527 "
        "or less, or tcp-echo, which carries any size");
  }
}

TEST_CASE("explain_echo: a timeout (28), a close (18), a reset (56)", "[unit][client][echo]") {
  auto o = server("127.0.0.1", 7007);
  o.timeout = 1500ms;
  SECTION("timed out, with the echoes counted") {
    const auto f =
        client::explain_echo(failed(echo_transport::tcp, "receive", asio::error::timed_out, 3, 2), o);
    CHECK(f.status == exit_status::timeout);
    CHECK(
        f.message ==
        "timed out after 1.5 s waiting for an echo from TCP 127.0.0.1:7007 (2 of 3 echoes came back); is it "
        "an echo server?");
    CHECK_THAT(
        client::explain_echo(failed(echo_transport::tcp, "receive", asio::error::timed_out, 1), o).message,
        socketlab::test::contains("(0 of 1 echo came back)"));
  }
  SECTION("end of stream: the server closed") {
    const auto f = client::explain_echo(failed(echo_transport::tcp, "receive", asio::error::eof, 10, 5), o);
    CHECK(f.status == exit_status::partial);
    CHECK(f.message == "TCP 127.0.0.1:7007 closed the connection after 5 of 10 echoes");
  }
  SECTION("reset") {
    const auto f =
        client::explain_echo(failed(echo_transport::tcp, "receive", asio::error::connection_reset, 4, 4), o);
    CHECK(f.status == exit_status::receive);
    CHECK(f.message == "TCP 127.0.0.1:7007 reset the connection after 4 of 4 echoes");
  }
  SECTION("another error names the step") {
    const std::error_code unreachable = asio::error::network_unreachable;
    const auto f = client::explain_echo(failed(echo_transport::udp, "send", unreachable, 1), o);
    CHECK(f.status == exit_status::send);
    CHECK(f.message == "could not send to UDP 127.0.0.1:7007: " + unreachable.message());
  }
}
