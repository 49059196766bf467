// The connection protocol without sockets: bytes in, bytes out, deadlines on a fake clock.
#include "server/http_session.hpp"

#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/wire_bytes.hpp"

using namespace socketlab;
using namespace std::chrono_literals;
using clock_type = server::http_session::clock;

namespace {

/// A session on an English site with short, round timeouts, and what it logged.
struct fixture {
  fixture() {
    config.timeouts = {.header = 10s, .idle = 15s, .body = 5s, .send = 10s};
    config.access_log = [this](std::string_view line) { log.emplace_back(line); };
    config.console = [this](std::string_view text) { console += text; };
  }
  /// A session for a client at 127.0.0.1:5000, accepted at t0.
  server::http_session session() { return {*site, config, "127.0.0.1", "127.0.0.1:5000", t0}; }

  server::server_config config;
  std::unique_ptr<server::site> site = server::make_site("en");
  std::vector<std::string> log;
  std::string console;
  clock_type::time_point t0 = clock_type::now();
};

constexpr std::string_view get_root = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

}  // namespace

TEST_CASE("session: one request, one response with the fields the server adds", "[unit][server][session]") {
  fixture f;
  auto s = f.session();
  s.on_bytes(get_root, f.t0);
  const auto rs = test::parse_responses(s.output());
  REQUIRE(rs.size() == 1);
  const auto& r = rs[0];
  CHECK(r.status == 200);
  CHECK(r.body == "Hello, World!\n");
  CHECK(r.headers.get("Content-Length") == "14");
  CHECK(r.headers.get("Content-Type") == "text/plain; charset=utf-8");
  CHECK(r.headers.get("Server")->starts_with("socketlab/"));
  CHECK(r.headers.get("Date")->ends_with(" GMT"));
  CHECK_FALSE(r.headers.contains("Connection"));
  CHECK_FALSE(s.should_close());
  s.on_sent(f.t0);
  CHECK(s.idle());
  REQUIRE(f.log.size() == 1);
  CHECK_THAT(f.log[0], socketlab::test::contains("\"GET / HTTP/1.1\" 200 14"));
}

TEST_CASE("session: any split of a pipelined stream gives the same responses", "[unit][server][session]") {
  const std::string stream = std::string(get_root) + "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n" +
                             "GET /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" +
                             "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    CAPTURE(cut);
    fixture f;
    auto s = f.session();
    s.on_bytes(std::string_view(stream).substr(0, cut), f.t0);
    s.on_bytes(std::string_view(stream).substr(cut), f.t0);
    const auto rs = test::parse_responses(s.output(), {false, true, false, false});
    REQUIRE(rs.size() == 4);
    CHECK(rs[0].status == 200);
    CHECK(rs[1].status == 200);
    CHECK(rs[1].body.empty());
    CHECK(rs[1].headers.get("Content-Length") == "14");  // HEAD: the length GET would have sent
    CHECK(rs[2].status == 404);
    CHECK(rs[3].headers.get("Connection") == "close");
    CHECK(s.should_close());
    CHECK_FALSE(s.linger());
  }
}

TEST_CASE("session: nothing after a Connection: close request is answered", "[unit][server][session]") {
  fixture f;
  auto s = f.session();
  s.on_bytes("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + std::string(get_root), f.t0);
  REQUIRE(test::parse_responses(s.output()).size() == 1);
  CHECK(s.should_close());
  CHECK(s.linger());  // the unanswered request is still in the peer's pipe
}

TEST_CASE("session: HTTP/1.0 closes unless keep-alive is asked", "[unit][server][session]") {
  fixture f;
  auto plain = f.session();
  plain.on_bytes("GET / HTTP/1.0\r\n\r\n", f.t0);
  CHECK(test::parse_responses(plain.output())[0].headers.get("Connection") == "close");
  CHECK(plain.should_close());

  auto kept = f.session();
  kept.on_bytes("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", f.t0);
  CHECK(test::parse_responses(kept.output())[0].headers.get("Connection") == "keep-alive");
  CHECK_FALSE(kept.should_close());
}

TEST_CASE("session: a parse error gets its status, Connection: close, and the connection closes",
          "[unit][server][session]") {
  struct example {
    std::string request;
    int status;
  };
  const std::vector<example> examples{
      {"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\n\r\n", 400},  // no Host
      {"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505},
      {"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n", 413},
      {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n", 414},
  };
  for (const auto& e : examples) {
    CAPTURE(e.request.substr(0, 60));
    fixture f;
    auto s = f.session();
    s.on_bytes(e.request + std::string(get_root), f.t0);
    const auto rs = test::parse_responses(s.output());
    REQUIRE(rs.size() == 1);  // and the request after it is never answered
    CHECK(rs[0].status == e.status);
    CHECK(rs[0].headers.get("Connection") == "close");
    CHECK(rs[0].body.starts_with(std::to_string(e.status)));
    CHECK(s.should_close());
    CHECK(s.linger());
    REQUIRE(f.log.size() == 1);
    CHECK_THAT(f.log[0], socketlab::test::contains("\" " + std::to_string(e.status) + " "));
  }
}

TEST_CASE("session: Expect: 100-continue gets 100 before the body, 413 instead when too big",
          "[unit][server][session]") {
  fixture f;
  auto s = f.session();
  s.on_bytes("GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n", f.t0);
  CHECK(s.output() == "HTTP/1.1 100 Continue\r\n\r\n");
  s.on_sent(f.t0);
  s.on_bytes("da", f.t0);
  CHECK(s.output().empty());  // only one 100 per request
  s.on_bytes("ta", f.t0);
  CHECK(test::parse_responses(s.output())[0].status == 200);

  auto big = f.session();
  big.on_bytes("GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2000000\r\n\r\n", f.t0);
  const auto rs = test::parse_responses(big.output());
  REQUIRE(rs.size() == 1);
  CHECK(rs[0].status == 413);
  CHECK(big.should_close());
}

TEST_CASE("session: deadlines follow what the connection is doing", "[unit][server][session]") {
  fixture f;
  auto s = f.session();
  CHECK(s.deadline() == f.t0 + 10s);  // the first header must come within the header timeout

  s.on_bytes("GET / HT", f.t0 + 3s);
  CHECK(s.deadline() == f.t0 + 13s);  // ... counted from its first byte
  s.on_bytes("TP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n", f.t0 + 4s);
  CHECK(s.deadline() == f.t0 + 9s);  // body: every read within the body timeout
  s.on_bytes("ab", f.t0 + 6s);
  CHECK(s.deadline() == f.t0 + 11s);
  s.on_bytes("cde", f.t0 + 7s);
  s.on_sent(f.t0 + 8s);
  CHECK(s.deadline() == f.t0 + 23s);  // kept alive: the idle timeout from when the response was sent
}

TEST_CASE("session: a timeout mid-request answers 408, an idle timeout just closes",
          "[unit][server][session]") {
  fixture f;
  auto partial = f.session();
  partial.on_bytes("GET / HTTP/1.1\r\nHo", f.t0);
  partial.on_timeout(f.t0 + 10s);
  const auto rs = test::parse_responses(partial.output());
  REQUIRE(rs.size() == 1);
  CHECK(rs[0].status == 408);
  CHECK(rs[0].headers.get("Connection") == "close");
  CHECK(partial.should_close());

  auto idle = f.session();
  idle.on_timeout(f.t0 + 10s);
  CHECK(idle.output().empty());
  CHECK(idle.should_close());
}

TEST_CASE("session: shutdown closes an idle connection, lets a request under way finish",
          "[unit][server][session]") {
  fixture f;
  auto idle = f.session();
  idle.on_shutdown();
  CHECK(idle.should_close());

  auto busy = f.session();
  busy.on_bytes("GET / HTTP/1.1\r\n", f.t0);
  busy.on_shutdown();
  CHECK_FALSE(busy.should_close());
  busy.on_bytes("Host: x\r\n\r\n", f.t0);
  const auto rs = test::parse_responses(busy.output());
  REQUIRE(rs.size() == 1);
  CHECK(rs[0].status == 200);
  CHECK(rs[0].headers.get("Connection") == "close");
  CHECK(busy.should_close());
}

TEST_CASE("session: -v shows each raw request", "[unit][server][session]") {
  fixture f;
  f.config.verbose = true;
  auto s = f.session();
  s.on_bytes(std::string(get_root) + "GET /x HTTP/1.1\r\nHost: y\r\n\r\n", f.t0);
  CHECK(f.console == "--- request from 127.0.0.1:5000 ---\n" + std::string(get_root) +
                         "--- request from 127.0.0.1:5000 ---\nGET /x HTTP/1.1\r\nHost: y\r\n\r\n");
}

TEST_CASE("session: -v shows a peer's control characters instead of sending them to the terminal",
          "[unit][server][session]") {
  fixture f;
  f.config.verbose = true;
  auto s = f.session();
  // A field value may hold no control character: the request is refused (400) at that line,
  // and -v shows what came up to it, escapes made visible.
  s.on_bytes("GET / HTTP/1.1\r\nHost: y\r\nX-T: \x1b]0;owned\x07\x1b[2J\r\n\r\n", f.t0);
  CHECK(f.console ==
        "--- request from 127.0.0.1:5000 ---\nGET / HTTP/1.1\r\nHost: y\r\nX-T: "
        "\\x1b]0;owned\\x07\\x1b[2J\r\n");
  CHECK(f.console.find('\x1b') == std::string::npos);
  CHECK(f.console.find('\x07') == std::string::npos);
}

TEST_CASE("session: end of stream closes; a half-received request is dropped", "[unit][server][session]") {
  fixture f;
  auto s = f.session();
  s.on_bytes("GET / HTTP/1.1\r\n", f.t0);
  s.on_eof();
  CHECK(s.should_close());
  CHECK(s.output().empty());
}

TEST_CASE("session: on_overload answers 503 with Retry-After, then closes after a lingering read",
          "[unit][server][session]") {
  fixture f;
  f.config.max_connections = 7;
  auto s = f.session();
  s.on_overload();
  const auto rs = test::parse_responses(s.output());
  REQUIRE(rs.size() == 1);
  CHECK(rs[0].status == 503);
  CHECK(rs[0].headers.get("Retry-After") == "1");
  CHECK(rs[0].headers.get("Connection") == "close");
  CHECK_THAT(rs[0].body, socketlab::test::contains("maximum of 7 connections"));
  CHECK(s.should_close());
  CHECK(s.linger());  // the client's request may be on its way: let it arrive before closing
  REQUIRE(f.log.size() == 1);
  CHECK_THAT(f.log[0], socketlab::test::contains("\"-\" 503 "));
}

TEST_CASE("session: pending_work is the site's work for each site response waiting to be sent",
          "[unit][server][session]") {
  fixture f;
  server::http_session s(*f.site, f.config, "127.0.0.1", "127.0.0.1:5000", f.t0, 50ms);
  CHECK(s.pending_work() == 0ms);
  s.on_bytes(std::string(get_root) + std::string(get_root), f.t0);  // two pipelined requests
  CHECK(s.pending_work() == 100ms);
  s.on_sent(f.t0);
  CHECK(s.pending_work() == 0ms);
  s.on_bytes("GET / HTTP/1.1\r\n\r\n", f.t0);  // no Host: a 400, which costs no work
  CHECK(test::parse_responses(s.output())[0].status == 400);
  CHECK(s.pending_work() == 0ms);
}

TEST_CASE("session: stopped during the work, the waiting response says Connection: close",
          "[unit][server][session]") {
  fixture f;
  server::http_session s(*f.site, f.config, "127.0.0.1", "127.0.0.1:5000", f.t0, 50ms);
  SECTION("HTTP/1.1: the field is added, two pipelined responses keep their order") {
    s.on_bytes(std::string(get_root) + std::string(get_root), f.t0);
    s.on_shutdown();       // while the driver waits for the work
    s.on_work_done(f.t0);  // then it writes
    const auto rs = test::parse_responses(s.output());
    REQUIRE(rs.size() == 2);
    CHECK_FALSE(rs[0].headers.get("Connection"));  // the first was not the last
    CHECK(rs[1].headers.get("Connection") == "close");
    CHECK(rs[1].body == rs[0].body);
    CHECK(s.should_close());
  }
  SECTION("HTTP/1.0 with keep-alive: keep-alive becomes close") {
    s.on_bytes("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", f.t0);
    REQUIRE(test::parse_responses(s.output())[0].headers.get("Connection") == "keep-alive");
    s.on_shutdown();
    s.on_work_done(f.t0);
    const auto rs = test::parse_responses(s.output());
    REQUIRE(rs.size() == 1);
    CHECK(rs[0].headers.get("Connection") == "close");
    CHECK(s.output().find("keep-alive") == std::string::npos);
    CHECK(s.should_close());
  }
  SECTION("no stop: the work changes nothing") {
    s.on_bytes(get_root, f.t0);
    const std::string before(s.output());
    s.on_work_done(f.t0);
    CHECK(s.output() == before);
    CHECK_FALSE(s.should_close());
  }
}

TEST_CASE("session: close_after_response makes the next response the last", "[unit][server][session]") {
  fixture f;
  auto s = f.session();
  s.close_after_response();
  CHECK_FALSE(s.should_close());  // nothing asked yet: the connection waits for its request
  s.on_bytes(get_root, f.t0);
  CHECK(test::parse_responses(s.output())[0].headers.get("Connection") == "close");
  CHECK(s.should_close());
}

TEST_CASE("session: stopped while a response is being written, it closes once the response is sent",
          "[unit][server][session]") {
  fixture f;
  auto s = f.session();
  s.on_bytes(get_root, f.t0);  // answered, not yet written
  s.on_shutdown();
  CHECK_FALSE(s.should_close());  // the answer goes out first
  s.on_sent(f.t0);
  CHECK(s.should_close());
}

TEST_CASE("session: a parser kept from another connection parses with this one's limits",
          "[unit][server][session]") {
  // Between requests a session gives its parser back to the thread's spares, and the next
  // request, on any connection, takes it: the limits must be the taker's, not the giver's.
  fixture strict;
  strict.config.limits.max_start_line = 40;
  fixture lenient;
  const std::string long_line = "GET /" + std::string(100, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int round = 0; round < 2; ++round) {
    auto a = lenient.session();
    a.on_bytes(long_line, lenient.t0);
    CHECK(test::parse_responses(a.output()).at(0).status == 404);  // parsed: no such page
    a.on_sent(lenient.t0);
    REQUIRE(a.idle());
    auto b = strict.session();
    b.on_bytes(long_line, strict.t0);
    CHECK(test::parse_responses(b.output()).at(0).status == 414);  // URI Too Long
    b.on_sent(strict.t0);
  }
}
