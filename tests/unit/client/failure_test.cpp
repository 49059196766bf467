// Network failures as socketlab-client says them: the one line for each way connecting, sending
// and receiving can fail, and the exit status (curl's number) that goes with it. No sockets: the
// errors are made up and a response_reader is fed bytes to put it where a real exchange would.
#include "client/failure.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <asio/error.hpp>
#include <asio/ip/address.hpp>

#include "client/http/response_reader.hpp"
#include "socketlab/http/error.hpp"
#include "support/catch.hpp"

namespace client = socketlab::client;
namespace exit_status = socketlab::client::exit_status;
using socketlab::test::contains;
using namespace std::chrono_literals;
using tcp = asio::ip::tcp;

namespace {

/// @p address : @p port as an endpoint.
tcp::endpoint ep(std::string_view address, std::uint16_t port) {
  return {asio::ip::make_address(address), port};
}

/// A reader that has been fed @p bytes of a response to a GET (and then the close, when @p eof).
client::response_reader fed(std::string_view bytes, bool eof = false) {
  client::response_reader reader;
  reader.start(false);
  (void)reader.feed(bytes);
  if (eof) (void)reader.feed_eof();
  return reader;
}

const tcp::endpoint server = ep("127.0.0.1", 8888);

}  // namespace

TEST_CASE("format_seconds writes a duration as the user gave it", "[unit][client]") {
  CHECK(client::format_seconds(2s) == "2 s");
  CHECK(client::format_seconds(30s) == "30 s");
  CHECK(client::format_seconds(std::chrono::duration<double>(0.3)) == "0.3 s");
  CHECK(client::format_seconds(500ms) == "0.5 s");
  CHECK(client::format_seconds(2min) == "120 s");
  CHECK(client::format_seconds(std::chrono::duration<double>(1.23456)) == "1.235 s");  // to the millisecond
}

TEST_CASE("explain_open: no address to try means the name did not resolve (6)", "[unit][client]") {
  const auto f = client::explain_open("nosuch.invalid", 80, {}, asio::error::host_not_found, 30s);
  CHECK(f.status == exit_status::resolve);
  CHECK(f.status == 6);
  CHECK_THAT(f.message, contains("could not resolve host 'nosuch.invalid' ("));
  CHECK_THAT(f.message, contains("); check the name, or give an address such as 127.0.0.1"));
}

TEST_CASE("explain_open: refused means nothing is listening (7)", "[unit][client]") {
  SECTION("one address: named alone") {
    const auto f = client::explain_open("127.0.0.1", 8888, {server}, asio::error::connection_refused, 30s);
    CHECK(f.status == exit_status::connect);
    CHECK(f.status == 7);
    CHECK(f.message == "nothing is listening on 127.0.0.1:8888 \xe2\x80\x94 is the server running?");
  }
  SECTION("several addresses of one name: every one tried is named") {
    const auto f = client::explain_open("localhost", 8888, {ep("::1", 8888), server},
                                        asio::error::connection_refused, 30s);
    CHECK(f.status == exit_status::connect);
    CHECK(f.message ==
          "nothing is listening on localhost port 8888 ([::1]:8888, 127.0.0.1:8888) \xe2\x80\x94 is the "
          "server running?");
  }
}

TEST_CASE("explain_open: a timeout says how long it waited (28); other errors are 7", "[unit][client]") {
  const auto timed_out = client::explain_open("10.255.255.1", 80, {ep("10.255.255.1", 80)},
                                              asio::error::timed_out, std::chrono::duration<double>(0.3));
  CHECK(timed_out.status == exit_status::timeout);
  CHECK(timed_out.status == 28);
  CHECK(timed_out.message ==
        "timed out after 0.3 s connecting to 10.255.255.1:80 (no answer at all: is the address right, or a "
        "firewall "
        "dropping it?)");

  const auto unreachable =
      client::explain_open("10.0.0.1", 80, {ep("10.0.0.1", 80)}, asio::error::network_unreachable, 30s);
  CHECK(unreachable.status == exit_status::connect);
  CHECK_THAT(unreachable.message, contains("could not connect to 10.0.0.1:80: "));
}

TEST_CASE("explain_send: a timeout is 28, anything else 55", "[unit][client]") {
  const auto timed_out = client::explain_send(server, asio::error::timed_out, 2s);
  CHECK(timed_out.status == exit_status::timeout);
  CHECK(timed_out.message ==
        "timed out after 2 s sending the request to 127.0.0.1:8888 (the server is not reading it)");
  const auto broken = client::explain_send(server, asio::error::broken_pipe, 2s);
  CHECK(broken.status == exit_status::send);
  CHECK(broken.status == 55);
  CHECK_THAT(broken.message, contains("could not send the request to 127.0.0.1:8888: "));
}

TEST_CASE("explain_receive: timed out before or during the response (28)", "[unit][client]") {
  const auto silent = client::explain_receive(server, asio::error::timed_out, fed(""), 2s);
  CHECK(silent.status == exit_status::timeout);
  CHECK(silent.message ==
        "timed out after 2 s waiting for a response from 127.0.0.1:8888; is the server stuck? "
        "(raise --timeout to wait longer)");
  const auto slow = client::explain_receive(server, asio::error::timed_out, fed("HTTP/1.1 200 OK\r\n"), 2s);
  CHECK(slow.status == exit_status::timeout);
  CHECK(slow.message ==
        "timed out after 2 s receiving the response from 127.0.0.1:8888 (17 bytes arrived; raise --timeout "
        "to wait "
        "longer)");
}

TEST_CASE("explain_receive: a close before any byte is an empty reply (52)", "[unit][client]") {
  const auto eof = client::explain_receive(server, asio::error::eof, fed(""), 2s);
  CHECK(eof.status == exit_status::empty_reply);
  CHECK(eof.status == 52);
  CHECK(eof.message == "127.0.0.1:8888 closed the connection without sending a response");
  // The reader's own error after feed_eof() says the same.
  const auto reader = fed("", true);
  CHECK(reader.error() == socketlab::http::error::unexpected_eof);
  CHECK(client::explain_receive(server, reader.error(), reader, 2s).status == exit_status::empty_reply);
}

TEST_CASE("explain_receive: a close in the middle of the response is partial (18)", "[unit][client]") {
  const auto reader = fed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", true);
  REQUIRE(reader.error() == socketlab::http::error::unexpected_eof);
  const auto f = client::explain_receive(server, reader.error(), reader, 2s);
  CHECK(f.status == exit_status::partial);
  CHECK(f.status == 18);
  CHECK(f.message == "127.0.0.1:8888 closed the connection after 44 bytes, before the response ended");
  CHECK(client::explain_receive(server, asio::error::eof, fed("H"), 2s).message ==
        "127.0.0.1:8888 closed the connection after 1 byte, before the response ended");
}

TEST_CASE("explain_receive: a malformed response says at which byte (8)", "[unit][client]") {
  SECTION("the status line") {
    const auto reader = fed("HTTP/1.1 2OO OK\r\n\r\n");
    REQUIRE(reader.error() == socketlab::http::error::bad_status_line);
    const auto f = client::explain_receive(server, reader.error(), reader, 2s);
    CHECK(f.status == exit_status::bad_response);
    CHECK(f.status == 8);
    CHECK(f.message ==
          "malformed response from 127.0.0.1:8888: malformed status line (expected: HTTP/1.1 SP 3DIGIT SP "
          "reason) (parsing stopped at byte 17); is that port an HTTP server? --trace shows every byte");
  }
  SECTION("a field line after a 100 Continue: parsing stopped past it, at byte 25 + 17 + 12") {
    const auto reader = fed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nBad Header\r\n\r\n");
    const auto f = client::explain_receive(server, reader.error(), reader, 2s);
    CHECK(f.status == exit_status::bad_response);
    CHECK_THAT(f.message, contains("(parsing stopped at byte 54)"));
  }
}

TEST_CASE("explain_receive: a reset is 56, and so is any other receive error", "[unit][client]") {
  const auto reset = client::explain_receive(server, asio::error::connection_reset,
                                             fed("HTTP/1.1 200 OK\r\nContent-Le"), 2s);
  CHECK(reset.status == exit_status::receive);
  CHECK(reset.status == 56);
  CHECK(reset.message == "127.0.0.1:8888 reset the connection after 27 bytes of the response");
  const auto other = client::explain_receive(server, asio::error::network_down, fed(""), 2s);
  CHECK(other.status == exit_status::receive);
  CHECK_THAT(other.message, contains("could not receive the response from 127.0.0.1:8888: "));
}
