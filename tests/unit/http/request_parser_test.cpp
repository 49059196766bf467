// The request parser on valid input: every split of each input gives the same requests
// and the same message ends; pipelining; header_done / expects_continue / started.
#include "socketlab/http/request_parser.hpp"

#include <span>
#include <string>
#include <string_view>

#include "grind.hpp"
#include "support/catch.hpp"

using namespace std::string_literals;
using namespace std::string_view_literals;
using socketlab::http::parse_status;
using socketlab::http::request_parser;
using socketlab::http::test::grind;

namespace {

/// One valid input and what parsing it must give.
struct valid_case {
  std::string_view name;    ///< what the case shows
  std::string_view input;   ///< the bytes
  std::string_view result;  ///< test::drive() of it; "@N" are message ends
};

const valid_case valid_cases[] = {
    {"simple GET", "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
     "GET / v11\n[Host]=[example.com]\nbody(0)=\n@37\nend"},
    {"fields: OWS trimmed, name case kept, empty value, obs-text, order kept",
     "GET /search?q=a+b HTTP/1.1\r\nhost: h\r\nUser-Agent: \t curl/8.0 \t\r\nAccept:*/*\r\nX-Empty:\r\n"
     "X-Latin1-Obs: caf\xc3\xa9 \xff\r\nAccept: text/html\r\n\r\n",
     "GET /search?q=a+b v11\n[host]=[h]\n[User-Agent]=[curl/8.0]\n[Accept]=[*/*]\n[X-Empty]=[]\n"
     "[X-Latin1-Obs]=[caf\xc3\xa9 \xff]\n[Accept]=[text/html]\nbody(0)=\n@129\nend"},
    {"Content-Length body", "POST /form HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world",
     "POST /form v11\n[Host]=[h]\n[Content-Length]=[11]\nbody(11)=hello world\n@63\nend"},
    {"Content-Length 0", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
     "POST / v11\n[Host]=[h]\n[Content-Length]=[0]\nbody(0)=\n@47\nend"},
    {"chunked with extensions and trailers",
     "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
     "5;name=value\r\nhello\r\n6 ; a = \"q;\\\"x\" ;b\r\n world\r\nA\r\n0123456789\r\n"
     "0;last\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n",
     "POST /up v11\n[Host]=[h]\n[Transfer-Encoding]=[chunked]\nbody(21)=hello world0123456789\n@158\nend"},
    {"chunked, case-insensitive, TE split over two lines, no trailer",
     "PUT /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\nTransfer-Encoding:  ChunKed \r\n\r\n"
     "3\r\nabc\r\n0\r\n\r\n",
     "PUT /x v11\n[Host]=[h]\n[Transfer-Encoding]=[]\n[Transfer-Encoding]=[ChunKed]\nbody(3)=abc\n@91\nend"},
    {"pipelined pair",
     "GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
     "GET /a v11\n[Host]=[h]\nbody(0)=\n@28\n"
     "POST /b v11\n[Host]=[h]\n[Content-Length]=[3]\nbody(3)=abc\n@79\nend"},
    {"leading empty lines, HTTP/1.0 without Host", "\r\n\r\nGET /old HTTP/1.0\r\n\r\n",
     "GET /old v10\nbody(0)=\n@25\nend"},
    {"absolute-form target, HTTP/1.2 taken as 1.x",
     "OPTIONS http://example.com:8080/a?b=c#d HTTP/1.2\r\nHost: example.com:8080\r\n\r\n",
     "OPTIONS http://example.com:8080/a?b=c#d v12\n[Host]=[example.com:8080]\nbody(0)=\n@76\nend"},
    {"a request left incomplete", "\r\nGET / HTTP/1.1\r\nHost: h\r\n", "need_more(started)"},
    {"empty lines only, and the CR of another", "\r\n\r\n\r", "need_more"},
    {"a complete request and half of the next", "GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /next HT",
     "GET / v11\n[Host]=[h]\nbody(0)=\n@27\nneed_more(started)"},
};

/// Request-target forms, each with the method it is for, and Host values that must still be
/// accepted (RFC 9112 §3.2, RFC 9110 §7.2).
const valid_case target_and_host_cases[] = {
    {"OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n",
     "OPTIONS * v11\n[Host]=[example.com]\nbody(0)=\n@41\nend"},
    {"CONNECT host:port", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
     "CONNECT example.com:443 v11\n[Host]=[example.com:443]\nbody(0)=\n@59\nend"},
    {"CONNECT [IPv6]:port, port with leading zeros",
     "CONNECT [2001:db8::1]:08443 HTTP/1.1\r\nHost: [2001:db8::1]:08443\r\n\r\n",
     "CONNECT [2001:db8::1]:08443 v11\n[Host]=[[2001:db8::1]:08443]\nbody(0)=\n@67\nend"},
    {"CONNECT to port 65535", "CONNECT 192.0.2.1:65535 HTTP/1.1\r\nHost: 192.0.2.1:65535\r\n\r\n",
     "CONNECT 192.0.2.1:65535 v11\n[Host]=[192.0.2.1:65535]\nbody(0)=\n@59\nend"},
    {"OPTIONS with the origin-form", "OPTIONS /a HTTP/1.1\r\nHost: h\r\n\r\n",
     "OPTIONS /a v11\n[Host]=[h]\nbody(0)=\n@32\nend"},
    {"Host [::1]:8080", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
     "GET / v11\n[Host]=[[::1]:8080]\nbody(0)=\n@36\nend"},
    {"Host xn--bcher-kva.example", "GET / HTTP/1.1\r\nHost: xn--bcher-kva.example\r\n\r\n",
     "GET / v11\n[Host]=[xn--bcher-kva.example]\nbody(0)=\n@47\nend"},
    {"Host with a port, OWS around it", "GET / HTTP/1.1\r\nHost: \t example.com:8080 \r\n\r\n",
     "GET / v11\n[Host]=[example.com:8080]\nbody(0)=\n@45\nend"},
    {"Host with an empty port (port = *DIGIT)", "GET / HTTP/1.1\r\nHost: example.com:\r\n\r\n",
     "GET / v11\n[Host]=[example.com:]\nbody(0)=\n@38\nend"},
    {"Host 127.0.0.1:8888", "GET / HTTP/1.1\r\nHost: 127.0.0.1:8888\r\n\r\n",
     "GET / v11\n[Host]=[127.0.0.1:8888]\nbody(0)=\n@40\nend"},
    {"Host [::ffff:192.0.2.1], an IPv4 tail", "GET / HTTP/1.1\r\nHost: [::ffff:192.0.2.1]\r\n\r\n",
     "GET / v11\n[Host]=[[::ffff:192.0.2.1]]\nbody(0)=\n@44\nend"},
    {"Host [v1.fe80::a+en1], an IPvFuture", "GET / HTTP/1.1\r\nHost: [v1.fe80::a+en1]\r\n\r\n",
     "GET / v11\n[Host]=[[v1.fe80::a+en1]]\nbody(0)=\n@42\nend"},
    {"Host with pct-encoded bytes, sub-delims and a final dot",
     "GET / HTTP/1.1\r\nHost: A%2Db!$&'()*+;=~_.-.\r\n\r\n",
     "GET / v11\n[Host]=[A%2Db!$&'()*+;=~_.-.]\nbody(0)=\n@46\nend"},
    {"absolute-form with Host", "GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n",
     "GET http://example.com/a?b v11\n[Host]=[example.com]\nbody(0)=\n@58\nend"},
    {"absolute-form with another Host (the server uses the target's, RFC 9112 §3.2.2)",
     "GET HTTPS://[::1]:8443 HTTP/1.1\r\nHost: other.example\r\n\r\n",
     "GET HTTPS://[::1]:8443 v11\n[Host]=[other.example]\nbody(0)=\n@56\nend"},
    {"absolute-form without an authority, and the empty Host that goes with it",
     "GET urn:isbn:0451450523 HTTP/1.1\r\nHost:\r\n\r\n",
     "GET urn:isbn:0451450523 v11\n[Host]=[]\nbody(0)=\n@43\nend"},
    {"HTTP/1.0 with a valid Host", "GET / HTTP/1.0\r\nHost: example.com\r\n\r\n",
     "GET / v10\n[Host]=[example.com]\nbody(0)=\n@37\nend"},
    {"an origin-form with every visible ASCII class the parser leaves to the handler",
     "GET //a/%C3%A9;p=1?q=a/b?c&d=%20#f HTTP/1.1\r\nHost: h\r\n\r\n",
     "GET //a/%C3%A9;p=1?q=a/b?c&d=%20#f v11\n[Host]=[h]\nbody(0)=\n@56\nend"},
};

/// Checks that every split of each case gives its result.
void check_parsed(std::span<const valid_case> cases) {
  for (const valid_case& c : cases) {
    INFO(c.name);
    const auto g = grind(request_parser{}, c.input);
    CHECK(g.one_shot == c.result);
    CHECK(g.runs >= c.input.size());
    CHECK(g.first_mismatch == "");
  }
}

}  // namespace

TEST_CASE("request parser: every split of a valid input gives the same requests",
          "[unit][http][parser][grind]") {
  check_parsed(valid_cases);
}

TEST_CASE("request parser: each target form with its method, and valid Host values, at every split",
          "[unit][http][parser][grind][target][host]") {
  check_parsed(target_and_host_cases);
}

TEST_CASE("request parser: the documented example", "[unit][http][parser]") {
  request_parser p;
  auto r = p.feed("GET / HTTP/1.1\r\nHo");
  CHECK(r.status == parse_status::need_more);
  CHECK(r.consumed == 18);
  r = p.feed("st: a\r\n\r\nGET / HTTP/1.1");
  CHECK(r.status == parse_status::done);
  CHECK(r.consumed == 9);
  CHECK(p.get().headers.get("host") == "a");
  // Fed again before reset(), a done parser takes nothing.
  r = p.feed("GET");
  CHECK(r.status == parse_status::done);
  CHECK(r.consumed == 0);
}

TEST_CASE("request parser: pipelined requests end exactly where the next begins",
          "[unit][http][parser][pipeline]") {
  const std::string first = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string second = "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello";
  const std::string third =
      "POST /3 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n";

  SECTION("two in one buffer") {
    const std::string buffer = first + second;
    request_parser p;
    auto r = p.feed(buffer);
    REQUIRE(r.status == parse_status::done);
    CHECK(r.consumed == first.size());
    CHECK(p.get().target == "/1");
    p.reset();
    r = p.feed(std::string_view(buffer).substr(first.size()));
    REQUIRE(r.status == parse_status::done);
    CHECK(r.consumed == second.size());
    CHECK(p.get().target == "/2");
    CHECK(p.get().body == "hello");
  }

  SECTION("three in one buffer, the parser reused") {
    const std::string buffer = first + second + third;
    request_parser p;
    std::string_view rest = buffer;
    for (const auto& [size, target, body] :
         {std::tuple{first.size(), "/1", ""}, std::tuple{second.size(), "/2", "hello"},
          std::tuple{third.size(), "/3", "x"}}) {
      const auto r = p.feed(rest);
      REQUIRE(r.status == parse_status::done);
      CHECK(r.consumed == size);
      CHECK(p.get().target == target);
      CHECK(p.get().body == body);
      CHECK(p.get().headers.size() == (std::string_view(body).empty() ? 1u : 2u));
      rest.remove_prefix(r.consumed);
      p.reset();
      CHECK_FALSE(p.started());
      CHECK_FALSE(p.header_done());
      CHECK(p.get().headers.empty());
      CHECK(p.get().body.empty());
    }
    CHECK(rest.empty());
  }

  SECTION("the request moved out, then the parser reset and reused") {
    request_parser p;
    REQUIRE(p.feed(second).status == parse_status::done);
    const auto req = std::move(p.get());
    CHECK(req.body == "hello");
    p.reset();
    REQUIRE(p.feed(third).status == parse_status::done);
    CHECK(p.get().method == "POST");
    CHECK(p.get().target == "/3");
    CHECK(p.get().body == "x");
  }
}

TEST_CASE("request parser: header_done, expects_continue and started", "[unit][http][parser][continue]") {
  request_parser p;
  CHECK_FALSE(p.started());
  CHECK_FALSE(p.header_done());
  CHECK_FALSE(p.error());

  SECTION("empty lines before a request do not start it, its first byte does") {
    CHECK(p.feed("\r\n\r").status == parse_status::need_more);
    CHECK_FALSE(p.started());
    CHECK(p.feed("\nG").status == parse_status::need_more);
    CHECK(p.started());
  }

  SECTION("Expect: 100-continue with a Content-Length body") {
    const std::string head =
        "PUT /f HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n";
    auto r = p.feed(std::string_view(head).substr(0, head.size() - 1));
    CHECK(r.status == parse_status::need_more);
    CHECK(p.started());
    CHECK_FALSE(p.header_done());
    CHECK_FALSE(p.expects_continue());  // not before the header is complete
    r = p.feed("\n");
    CHECK(r.status == parse_status::need_more);
    CHECK(p.header_done());
    CHECK(p.expects_continue());
    CHECK(p.feed("hel").status == parse_status::need_more);
    CHECK(p.expects_continue());  // the client sent part of the body anyway: still a body to come
    CHECK(p.feed("lo").status == parse_status::done);
    CHECK_FALSE(p.expects_continue());
    CHECK(p.header_done());
    p.reset();
    CHECK_FALSE(p.header_done());
    CHECK_FALSE(p.expects_continue());
  }

  SECTION("Expect: 100-continue with a chunked body") {
    CHECK(p.feed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n")
              .status == parse_status::need_more);
    CHECK(p.expects_continue());
    CHECK(p.feed("0\r\n\r\n").status == parse_status::done);
    CHECK_FALSE(p.expects_continue());
  }

  SECTION("no body to come, HTTP/1.0, or another expectation: no 100 Continue") {
    CHECK(p.feed("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n").status ==
          parse_status::done);
    CHECK_FALSE(p.expects_continue());
    p.reset();
    CHECK(p.feed("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n").status ==
          parse_status::need_more);
    CHECK(p.header_done());
    CHECK_FALSE(p.expects_continue());
    p.reset();
    CHECK(p.feed("POST / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 3\r\n\r\n").status ==
          parse_status::need_more);
    CHECK_FALSE(p.expects_continue());
  }
}

TEST_CASE("request parser: reset() keeps the limits", "[unit][http][parser][limits]") {
  socketlab::http::limits lim;
  lim.max_fields = 1;
  request_parser p(lim);
  CHECK(p.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status == parse_status::done);
  p.reset();
  CHECK(p.feed("GET / HTTP/1.1\r\nHost: h\r\nA: b\r\n\r\n").status == parse_status::error);
  CHECK(p.error() == socketlab::http::error::too_many_fields);
  p.reset();
  CHECK_FALSE(p.error());
  CHECK(p.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status == parse_status::done);
}

TEST_CASE("request: keep_alive follows the version and Connection", "[unit][http][message]") {
  const auto keep_alive = [](std::string_view input) {
    request_parser p;
    REQUIRE(p.feed(input).status == parse_status::done);
    return p.get().keep_alive();
  };
  CHECK(keep_alive("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  CHECK_FALSE(keep_alive("GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n"));
  CHECK_FALSE(keep_alive("GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade ,close\r\n\r\n"));
  CHECK(keep_alive("GET / HTTP/1.1\r\nHost: h\r\nConnection: closed\r\n\r\n"));
  CHECK_FALSE(keep_alive("GET / HTTP/1.0\r\n\r\n"));
  CHECK(keep_alive("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
  CHECK(keep_alive("GET / HTTP/1.0\r\nConnection: foo\r\nConnection: , keep-alive\r\n\r\n"));
  CHECK_FALSE(keep_alive("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"));
  // HTTP/1.0 has no chunked coding: its framing is suspect, so the connection closes after it.
  CHECK_FALSE(
      keep_alive("POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
}

TEST_CASE("request_line: the line as parsed, the version as read", "[unit][http]") {
  for (const std::string line : {"GET /a?b=1 HTTP/1.1", "POST / HTTP/1.0", "OPTIONS * HTTP/1.2"}) {
    CAPTURE(line);
    request_parser p;
    REQUIRE(p.feed(line + "\r\nHost: x\r\n\r\n").status == parse_status::done);
    CHECK(p.get().request_line() == line);
  }
  CHECK(socketlab::http::request{}.request_line().empty());  // not even a method arrived
}
