// `socketlab-client udp-echo`, `tcp-echo` and `compare` over real loopback sockets, port 0:
// against the echo servers in this process (sizes up to the largest datagram, truncation, the
// simulated loss, duplicates and reordering counted on both sides, a TCP burst larger than the
// connection's buffers, IPv6), against a TCP server that answers a burst in one write, a UDP
// socket that never answers, and nothing at all.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <fstream>
#include <future>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <asio/buffer.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include "client/echo/echo_client.hpp"
#include "client/format.hpp"
#include "server/echo/impairment.hpp"
#include "support/catch.hpp"
#include "support/client_run.hpp"
#include "support/running_echo.hpp"
#include "support/scripted_server.hpp"
#include "support/unused_port.hpp"

using namespace socketlab;
using namespace std::chrono_literals;
using test::contains;
using test::run_client;
using test::running_tcp_echo;
using test::running_udp_echo;

namespace {

/// "127.0.0.1:PORT", as the echo commands take a server.
std::string loopback(std::uint16_t port) {
  return "127.0.0.1:" + std::to_string(port);
}

/// @p text with the characters a regular expression gives a meaning to escaped.
std::string escaped(std::string_view text) {
  static const std::string special = R"(\^$.|?*+()[]{})";
  std::string out;
  for (const char c : text) {
    if (special.find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

/// One -v line: "64 bytes from 127.0.0.1:7007: seq=3 time=0.052 ms" and what follows the time.
struct echo_line {
  std::size_t bytes = 0;       ///< the count at the start
  std::uint64_t sequence = 0;  ///< seq=
  std::string remark;          ///< after " ms": " TRUNCATED: ...", " (DUP!)", or nothing
};

/// The -v lines of @p out that name @p server, in order.
std::vector<echo_line> echo_lines(const std::string& out, const std::string& server) {
  const std::regex line("^(\\d+) bytes from " + escaped(server) + ": seq=(\\d+) time=\\d+\\.\\d{3} ms(.*)$");
  std::vector<echo_line> lines;
  std::istringstream in(out);
  for (std::string text; std::getline(in, text);) {
    std::smatch m;
    if (std::regex_match(text, m, line))
      lines.push_back({std::stoul(m[1].str()), std::stoull(m[2].str()), m[3].str()});
  }
  return lines;
}

/// The cells of each line of compare's table, split where two or more spaces separate them:
/// {"loss", "0 of 50 (TCP resends)", "0 of 50"}. The heading line and the one above it are left out.
std::vector<std::vector<std::string>> table_rows(const std::string& out) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(out);
  bool in_table = false;
  const std::regex gap(" {2,}");
  for (std::string text; std::getline(in, text);) {
    if (!in_table) {
      in_table = std::regex_match(text, std::regex(" +TCP +UDP"));
      continue;
    }
    rows.emplace_back(std::sregex_token_iterator(text.begin(), text.end(), gap, -1),
                      std::sregex_token_iterator());
  }
  return rows;
}

/// The most bytes one TCP connection can hold unread: the send and the receive buffer of each
/// end, each at the largest the system lets it grow to (Linux: the last of tcp_wmem's and of
/// tcp_rmem's three numbers). More than that cannot all be written before an echo is read.
std::uint64_t most_bytes_in_flight() {
#if defined(__linux__)
  const auto largest = [](const char* path) {
    std::ifstream in(path);
    std::uint64_t least = 0;
    std::uint64_t initial = 0;
    std::uint64_t most = 0;
    in >> least >> initial >> most;
    return most;
  };
  const auto both = largest("/proc/sys/net/ipv4/tcp_wmem") + largest("/proc/sys/net/ipv4/tcp_rmem");
  if (both > 0) return 2 * both;
#endif
  return std::uint64_t{64} << 20;  // elsewhere a guess: more than macOS's and Windows's default autotuning
}

/// The workload most tests send: @p count messages of @p size bytes, one at a time.
client::echo_options one_at_a_time(std::uint16_t port, std::uint64_t count, std::size_t size = 64) {
  client::echo_options o;
  o.port = port;
  o.count = count;
  o.size = size;
  o.interval = 0ms;
  o.timeout = 2s;
  return o;
}

/// What the server's simulation, seeded as @p config says, will do with the first @p count
/// datagrams it receives: it decides one after the other, in the order they arrive, which on
/// loopback is the order they were sent.
std::vector<server::echo_plan> plans(const server::impairment_config& config, std::size_t count) {
  server::impairment simulation(config);
  std::vector<server::echo_plan> out;
  for (std::size_t i = 0; i < count; ++i)
    out.push_back(simulation.decide());
  return out;
}

}  // namespace

// ---- udp-echo against the UDP echo server -------------------------------------------------------

TEST_CASE("udp-echo: 0, 1, 1472 and 65,507-byte messages come back whole, a -v line each",
          "[integration][client][echo][udp]") {
  running_udp_echo server({});
  const std::string where = loopback(server.port());
  struct sized {
    std::size_t size;
    const char* said;  // as the first line says it
  };
  for (const auto [size, said] :
       {sized{0, "0 bytes"}, sized{1, "1 byte"}, sized{1472, "1,472 bytes"}, sized{65'507, "65,507 bytes"}}) {
    CAPTURE(size);
    const auto r = run_client(
        {"udp-echo", where, "--count", "3", "--size", std::to_string(size), "--interval", "5", "-v"});
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    // Numbered messages go one every --interval; shorter ones cannot, and wait for each echo.
    CHECK(r.out.starts_with("UDP echo to " + where + ": 3 messages of " + said + ", " +
                            (size < 8 ? "one at a time\n" : "one every 5 ms\n")));
    CHECK((r.out.find("(a message under 8 bytes has no room for its number") != std::string::npos) ==
          (size < 8));
    CHECK((r.out.find("(empty datagrams: UDP delivers them") != std::string::npos) == (size == 0));
    const auto lines = echo_lines(r.out, where);
    REQUIRE(lines.size() == 3);
    for (std::uint64_t i = 0; i < 3; ++i) {
      CHECK(lines[i].bytes == size);
      CHECK(lines[i].sequence == i);
      CHECK(lines[i].remark.empty());  // not truncated, not a duplicate, the bytes sent
    }
    CHECK_THAT(r.out, contains("--- " + where + " UDP echo statistics ---\nsent from 127.0.0.1:"));
    CHECK_THAT(
        r.out,
        contains("\n3 sent, 3 received, 0.0% loss, 0 duplicates, 0 reordered, rtt min/avg/max/p99 = "));
    CHECK_THAT(r.out, contains("\n3 round trips in "));
  }
  // (Not stats().echoed: the server counts an echo once its send completes, which may be after
  // the client got it.)
  CHECK(server.on_server([](auto& s) { return s.stats().received; }) == 12);
}

TEST_CASE("udp-echo --size 65508: one byte too many for an IPv4 datagram, a usage mistake (2)",
          "[integration][client][echo][udp]") {
  running_udp_echo server({});
  const auto r = run_client({"udp-echo", loopback(server.port()), "--size", "65508"});
  CHECK(r.status == 2);
  CHECK(r.err ==
        "socketlab-client: --size 65508: message too long for one UDP datagram over IPv4 (max 65,507 bytes); "
        "use --size 65507 or less, or tcp-echo, which carries any size\n");
  CHECK(r.out.find("statistics") == std::string::npos);
  CHECK(server.on_server([](auto& s) { return s.stats().received; }) == 0);  // send() refused it
}

TEST_CASE("udp-echo --buffer smaller than the echo: each is TRUNCATED, and counted",
          "[integration][client][echo][udp]") {
  running_udp_echo server({});
  const std::string where = loopback(server.port());
  const auto r = run_client(
      {"udp-echo", where, "--count", "3", "--size", "1000", "--buffer", "100", "--interval", "0", "-v"});
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  const auto lines = echo_lines(r.out, where);
  REQUIRE(lines.size() == 3);
  for (const auto& line : lines) {
    CHECK(line.bytes == 100);
#if defined(__linux__)
    CHECK(line.remark ==
          " TRUNCATED: the datagram was 1,000 bytes; the 100-byte receive buffer kept 100 and the system "
          "discarded the rest");
#else
    CHECK(line.remark.starts_with(" TRUNCATED: the datagram was "));  // its size may be unknown here
    CHECK_THAT(line.remark,
               contains("; the 100-byte receive buffer kept 100 and the system discarded the rest"));
#endif
  }
  CHECK_THAT(r.out, contains("\n3 sent, 3 received, 0.0% loss"));
  CHECK_THAT(r.out, contains("\n3 echoes truncated: larger than the 100-byte receive buffer (--buffer); the "
                             "system discarded the rest of each\n"));
  CHECK(r.out.find("differed from what was sent") == std::string::npos);
}

// ---- the client's statistics against the server's simulation ----------------------------------

TEST_CASE("udp-echo counts as lost exactly the datagrams the server's simulation dropped",
          "[integration][client][echo][udp]") {
  server::udp_echo_config config;
  config.impair.drop = 0.3;
  config.impair.seed = 42;
  std::vector<std::uint64_t> dropped;
  const auto decided = plans(config.impair, 200);
  for (std::uint64_t i = 0; i < decided.size(); ++i) {
    if (decided[i].drop) dropped.push_back(i);
  }
  REQUIRE(!dropped.empty());
  running_udp_echo server(config);
  const std::string where = loopback(server.port());
  const auto r =
      run_client({"udp-echo", where, "--count", "200", "--interval", "1", "--timeout", "500", "-v"});
  CHECK(r.status == 0);
  const auto stats = server.on_server([](auto& s) { return s.stats(); });
  CHECK(stats.received == 200);
  REQUIRE(stats.dropped == dropped.size());
  // 200 sent; each drop is half a percent.
  const auto lost = dropped.size();
  const std::string percent = std::to_string(lost / 2) + (lost % 2 ? ".5" : ".0");
  CHECK_THAT(r.out, contains("\n200 sent, " + std::to_string(stats.received - stats.dropped) + " received, " +
                             percent + "% loss, 0 duplicates, 0 reordered, rtt "));
  CHECK(echo_lines(r.out, where).size() == 200 - lost);
  // -v names the first 20 numbers that got no echo: the very ones the simulation dropped.
  std::string missing = "no echo for seq=";
  for (std::size_t i = 0; i < lost && i < 20; ++i)
    missing += (i ? " " : "") + std::to_string(dropped[i]);
  CHECK_THAT(r.out, contains("\n" + missing + (lost > 20 ? " ...\n" : "\n")));
}

TEST_CASE("run_echo counts as duplicates exactly the echoes the server's simulation doubled",
          "[integration][client][echo][udp]") {
  server::udp_echo_config config;
  config.impair.duplicate = 0.2;
  config.impair.seed = 7;
  // The client stops listening once the last message's echo is in: a second copy of the last one
  // could come after that, so the run ends on a message the simulation sends once.
  const auto decided = plans(config.impair, 200);
  std::uint64_t count = decided.size();
  while (count > 1 && decided[count - 1].copies > 1)
    --count;
  running_udp_echo server(config);
  auto options = one_at_a_time(server.port(), count);
  options.interval = 1ms;
  options.timeout = 500ms;
  const auto result = client::run_echo(client::echo_transport::udp, options);
  CHECK_FALSE(result.failure);
  const auto stats = server.on_server([](auto& s) { return s.stats(); });
  REQUIRE(stats.duplicated > 0);
  CHECK(result.stats.duplicates() == stats.duplicated);
  CHECK(result.stats.received() == count);
  CHECK(result.stats.lost() == 0);
  CHECK(result.stats.reordered() == 0);
}

TEST_CASE("run_echo sees reordering where the server's simulation held echoes back",
          "[integration][client][echo][udp]") {
  server::udp_echo_config config;
  config.impair.reorder = 0.2;
  config.impair.seed = 3;
  running_udp_echo server(config);
  auto options = one_at_a_time(server.port(), 200);
  options.interval = 1ms;
  options.timeout = 500ms;  // more than the 200 ms a held echo waits for a successor
  const auto result = client::run_echo(client::echo_transport::udp, options);
  CHECK_FALSE(result.failure);
  const auto stats = server.on_server([](auto& s) { return s.stats(); });
  REQUIRE(stats.held_back > 0);
  CHECK(result.stats.reordered() > 0);
  // A held echo comes after its successor's, unless it was the last (then it goes alone, in order).
  CHECK(result.stats.reordered() <= stats.held_back);
  CHECK(result.stats.lost() == 0);
  CHECK(result.stats.duplicates() == 0);
}

// ---- tcp-echo: the byte stream -----------------------------------------------------------------

TEST_CASE("tcp-echo shows a burst of writes coming back in one read", "[integration][client][echo][tcp]") {
  constexpr std::size_t count = 3;
  constexpr std::size_t size = 64;
  constexpr std::size_t burst = 10;
  // An echo server that does what the stream allows: it echoes each numbered message (the client
  // waits for each), then takes the whole burst before it answers, in one write.
  test::scripted_server server([](asio::ip::tcp::socket& s) {
    std::error_code ec;
    std::string message(size, '\0');
    for (std::size_t i = 0; i < count && !ec; ++i) {
      asio::read(s, asio::buffer(message), ec);
      if (!ec) asio::write(s, asio::buffer(message), ec);
    }
    std::string all(burst * size, '\0');
    if (!ec) asio::read(s, asio::buffer(all), ec);
    if (!ec) test::scripted_server::write(s, all);
    test::scripted_server::drain_until_close(s);
  });
  const auto r = run_client({"tcp-echo", loopback(server.port()), "--count", std::to_string(count), "--size",
                             std::to_string(size), "--interval", "0", "--burst", std::to_string(burst)});
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, contains("\n3 sent, 3 received, 0.0% loss"));
  CHECK_THAT(r.out,
             contains("\nbyte stream: 10 writes of 64 bytes came back in 1 read (640 bytes); TCP keeps "
                      "the bytes and their order, not the boundaries between writes\n"));
}

TEST_CASE("tcp-echo against the TCP echo server: the burst's bytes, in no more reads than writes",
          "[integration][client][echo][tcp]") {
  running_tcp_echo server({});
  auto options = one_at_a_time(server.port(), 3);
  options.burst = 10;
  const auto result = client::run_echo(client::echo_transport::tcp, options);
  REQUIRE_FALSE(result.failure);
  CHECK(result.stats.received() == 3);
  CHECK(result.burst.messages == 10);
  CHECK(result.burst.reads.size() >= 1);
  CHECK(result.burst.reads.size() <= 10);
  CHECK(result.burst.received() == 10 * 64);
  CHECK(result.burst.complete());
}

TEST_CASE("tcp-echo: a burst larger than both ends' socket buffers together comes back whole",
          "[integration][client][echo][tcp]") {
  // Issue 15: written in blocking writes on the event loop, such a burst filled the client's send
  // buffer, the server's receive and send buffers, and the client's receive buffer, which nobody
  // read: the server waited for the client to read, the client for the server, for ever.
  constexpr std::size_t size = 65'536;
  const std::size_t burst = static_cast<std::size_t>(most_bytes_in_flight() / size) + 1;
  REQUIRE(burst <= 10'000);  // --burst's limit
  running_tcp_echo server({});
  const auto r = test::run_client_within(
      {"tcp-echo", loopback(server.port()), "--count", "1", "--size", std::to_string(size), "--burst",
       std::to_string(burst), "--interval", "0", "--timeout", "10000"},
      60s);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, contains("\n1 sent, 1 received, 0.0% loss"));
  // The line comes only when every byte of the burst came back (else the run fails: timed out).
  CHECK_THAT(r.out, contains("\nbyte stream: " + client::counted(burst, "write") +
                             " of 65,536 bytes came back in "));
}

// ---- compare -----------------------------------------------------------------------------------

TEST_CASE("compare puts TCP and UDP side by side, a row per difference", "[integration][client][echo]") {
  running_tcp_echo tcp({});
  running_udp_echo udp({});
  const auto r = run_client({"compare", "--tcp", loopback(tcp.port()), "--udp", loopback(udp.port()),
                             "--count", "50", "--timeout", "2000"});
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out.starts_with("TCP " + loopback(tcp.port()) + " vs UDP " + loopback(udp.port()) +
                          ": 50 messages of 64 bytes each, one at a time\n"));
  const auto rows = table_rows(r.out);
  REQUIRE(rows.size() == 9);
  for (const auto& row : rows)
    REQUIRE(row.size() == 3);
  const auto matches = [](const std::string& cell, const char* pattern) {
    return std::regex_match(cell, std::regex(pattern));
  };
  CHECK(rows[0][0] == "connection setup");
  CHECK(matches(rows[0][1], R"(\d+\.\d{3} ms handshake)"));
  CHECK(rows[0][2] == "none: no connection");
  CHECK(rows[1][0] == "round trip p50 / p99");
  CHECK(matches(rows[1][1], R"(\d+\.\d{3} / \d+\.\d{3} ms)"));
  CHECK(matches(rows[1][2], R"(\d+\.\d{3} / \d+\.\d{3} ms)"));
  CHECK(rows[2][0] == "messages/s");
  CHECK(matches(rows[2][1], R"([1-9][\d,]*)"));
  CHECK(matches(rows[2][2], R"([1-9][\d,]*)"));
  CHECK(rows[3][0] == "MB/s");
  CHECK(matches(rows[3][1], R"(\d+\.\d\d)"));
  CHECK(matches(rows[3][2], R"(\d+\.\d\d)"));
  CHECK(rows[4] == std::vector<std::string>{"loss", "0 of 50 (TCP resends)", "0 of 50"});
  CHECK(rows[5] == std::vector<std::string>{"reordering", "0 of 50 (TCP keeps order)", "0 of 50"});
  CHECK(rows[6][0] == "message boundaries");
  CHECK(matches(rows[6][1], R"((not kept|kept this time): 10 writes, \d+ reads?)"));
  CHECK(rows[6][2] == "kept: 10 datagrams, 10 receives");
  CHECK(rows[7] == std::vector<std::string>{"largest message", "no limit: a byte stream",
                                            "65,507 bytes (IPv4), echoed whole"});
  CHECK(rows[8][0] == "70,000-byte message");
  CHECK(matches(rows[8][1], R"(delivered in \d+ reads?)"));
  CHECK(rows[8][2] == "refused: too long for one datagram");
}

TEST_CASE("compare --interval paces both; a lost datagram is counted, not waited for one by one",
          "[integration][client][echo]") {
  running_tcp_echo tcp({});
  server::udp_echo_config config;
  config.impair.drop = 0.3;
  config.impair.seed = 7;
  std::uint64_t dropped = 0;
  for (const auto& plan : plans(config.impair, 40))
    dropped += plan.drop ? 1 : 0;
  REQUIRE(dropped > 0);
  running_udp_echo udp(config);
  const auto r = run_client({"compare", "--tcp", loopback(tcp.port()), "--udp", loopback(udp.port()),
                             "--count", "40", "--interval", "2", "--timeout", "2000"});
  CHECK(r.status == 0);
  CHECK(r.out.starts_with("TCP " + loopback(tcp.port()) + " vs UDP " + loopback(udp.port()) +
                          ": 40 messages of 64 bytes each, one every 2 ms\n"));
  const auto rows = table_rows(r.out);
  REQUIRE(rows.size() == 9);
  CHECK(rows[4] ==
        std::vector<std::string>{"loss", "0 of 40 (TCP resends)", std::to_string(dropped) + " of 40"});
}

TEST_CASE("compare with nothing listening says which servers to start (7)", "[integration][client][echo]") {
  const test::unused_port tcp;
  const auto udp = test::closed_udp_port();
  const auto r = run_client({"compare", "--tcp", loopback(tcp.port()), "--udp", loopback(udp), "--count", "5",
                             "--timeout", "1000"});
  CHECK(r.status == 7);
  CHECK(r.out.empty());
  const std::string tcp_line =
      "socketlab-client: nothing is listening on TCP " + loopback(tcp.port()) +
      " (the connection was refused); start one with: socketlab-server tcp-echo --port " +
      std::to_string(tcp.port()) + "\n";
#if defined(_WIN32)
  CHECK(r.err.starts_with(tcp_line));  // the UDP line may be "no echo came back" instead
  CHECK_THAT(r.err, contains("socketlab-server udp-echo --port " + std::to_string(udp)));
#else
  CHECK(r.err == tcp_line + "socketlab-client: nothing is listening on UDP " + loopback(udp) +
                     " (its system answered \"port unreachable\"); start one with: "
                     "socketlab-server udp-echo --port " +
                     std::to_string(udp) + "\n");
#endif
}

// ---- nobody there, nobody answering ------------------------------------------------------------

TEST_CASE("tcp-echo to a port where nothing listens: refused (7), and how to start a server",
          "[integration][client][echo][tcp]") {
  const test::unused_port port;
  const auto r = run_client({"tcp-echo", loopback(port.port())});
  CHECK(r.status == 7);
  CHECK(r.err == "socketlab-client: nothing is listening on TCP " + loopback(port.port()) +
                     " (the connection was refused); start one with: socketlab-server tcp-echo --port " +
                     std::to_string(port.port()) + "\n");
  CHECK(r.out.find("statistics") == std::string::npos);
}

TEST_CASE("udp-echo to a closed port: the system's port unreachable ends it (7)",
          "[integration][client][echo][udp]") {
  const auto port = test::closed_udp_port();
  const auto r = run_client({"udp-echo", loopback(port), "--count", "2", "--interval", "0"});
#if defined(_WIN32)
  if (r.status == 28) {  // a system that does not report the ICMP message looks like silence
    CHECK_THAT(r.err, contains("no echo came back from UDP " + loopback(port)));
    return;
  }
#endif
  CHECK(r.status == 7);
  CHECK(r.err == "socketlab-client: nothing is listening on UDP " + loopback(port) +
                     " (its system answered \"port unreachable\"); start one with: "
                     "socketlab-server udp-echo --port " +
                     std::to_string(port) + "\n");
}

TEST_CASE("udp-echo to a socket that never answers: 100% loss, and a timeout (28)",
          "[integration][client][echo][udp]") {
  asio::io_context io;
  asio::ip::udp::socket silent(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const std::uint16_t port = silent.local_endpoint().port();
  const auto r = run_client({"udp-echo", loopback(port), "--count", "2", "--timeout", "200"});
  CHECK(r.status == 28);
  CHECK(r.err ==
        "socketlab-client: no echo came back from UDP " + loopback(port) +
            " within 0.2 s; UDP has no connection, so a missing server and lost datagrams look alike: is "
            "socketlab-server udp-echo --port " +
            std::to_string(port) + " running?\n");
  CHECK_THAT(r.out, contains("\n2 sent, 0 received, 100.0% loss, 0 duplicates, 0 reordered\n"));
  CHECK(silent.available() > 0);  // the datagrams did arrive; nobody read them
}

// ---- IPv6 --------------------------------------------------------------------------------------

TEST_CASE("udp-echo and tcp-echo over IPv6 loopback", "[integration][client][echo][ipv6]") {
  const auto udp = running_udp_echo::on_ipv6_loopback();
  const auto tcp = running_tcp_echo::on_ipv6_loopback();
  if (!udp || !tcp) return;
  const std::string udp_where = "[::1]:" + std::to_string(udp->port());
  const auto u = run_client({"udp-echo", udp_where, "--count", "3", "--interval", "0", "-v"});
  CHECK(u.status == 0);
  CHECK(u.err.empty());
  CHECK(echo_lines(u.out, udp_where).size() == 3);
  CHECK_THAT(u.out, contains("\nsent from [::1]:"));
  CHECK_THAT(u.out, contains("\n3 sent, 3 received, 0.0% loss"));

  const std::string tcp_where = "[::1]:" + std::to_string(tcp->port());
  const auto t = run_client({"tcp-echo", tcp_where, "--count", "3", "--interval", "0", "-v"});
  CHECK(t.status == 0);
  CHECK(t.err.empty());
  CHECK(echo_lines(t.out, tcp_where).size() == 3);
  CHECK_THAT(t.out, contains("\nconnected from [::1]:"));
  CHECK_THAT(t.out, contains("\n3 sent, 3 received, 0.0% loss"));
  CHECK_THAT(t.out, contains("\nbyte stream: 10 writes of 64 bytes came back in "));
}

TEST_CASE("udp-echo over IPv6 carries up to 65,527 bytes in a datagram, not one more",
          "[integration][client][echo][ipv6]") {
  const auto server = running_udp_echo::on_ipv6_loopback();
  if (!server) return;
  const std::string where = "[::1]:" + std::to_string(server->port());
  for (const std::size_t size : {65'508U, 65'527U}) {  // too long over IPv4; the largest over IPv6
    CAPTURE(size);
    const auto r = run_client({"udp-echo", where, "--count", "1", "--size", std::to_string(size), "-v"});
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    const auto lines = echo_lines(r.out, where);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].bytes == size);
    CHECK(lines[0].remark.empty());
  }
  const auto r = run_client({"udp-echo", where, "--count", "1", "--size", "65528"});
  CHECK(r.status == 2);
  CHECK(r.err ==
        "socketlab-client: --size 65528: message too long for one UDP datagram over IPv6 (max 65,527 bytes); "
        "use --size 65527 or less, or tcp-echo, which carries any size\n");
}
