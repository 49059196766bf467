// The echo commands' failure lines without a network: echo_results made up here, so every word
// of a message is known.
#include "client/echo/echo_failure.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <asio/error.hpp>
#include <asio/ip/address.hpp>

#include "support/catch.hpp"
#include "unit/client/echo/made_up_stats.hpp"

namespace client = socketlab::client;
namespace exit_status = socketlab::client::exit_status;
using namespace std::chrono_literals;
using client::echo_transport;
using client::test::echo;
using client::test::send;
using client::test::t0;

namespace {

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

TEST_CASE("explain_echo: a run that did not fail is ok", "[unit][client][echo]") {
  const auto f = client::explain_echo(failed(echo_transport::udp, "", {}, 1000, 990), {});
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
