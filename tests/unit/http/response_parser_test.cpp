// The response parser: every split gives the same responses; body framing by status,
// HEAD, Content-Length, chunked or the connection closing; feed_eof().
#include "socketlab/http/response_parser.hpp"

#include <string>
#include <string_view>

#include "grind.hpp"
#include "socketlab/http/error.hpp"
#include "support/catch.hpp"

using namespace std::string_view_literals;
using socketlab::http::error;
using socketlab::http::parse_status;
using socketlab::http::response_parser;
using socketlab::http::test::grind;

namespace {

/// One valid response input and what parsing it must give.
struct valid_case {
  std::string_view name;    ///< what the case shows
  std::string_view input;   ///< the bytes
  bool head;                ///< the request was HEAD
  bool eof;                 ///< the server closes after the input
  std::string_view result;  ///< test::drive() of it
};

const valid_case valid_cases[] = {
    {"Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello", false,
     false, "v11 200 [OK]\n[Content-Length]=[5]\n[Content-Type]=[text/plain]\nbody(5)=hello\n@69\nend"},
    {"chunked with a trailer",
     "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nnot \r\n5\r\nfound\r\n0\r\nT: "
     "1\r\n\r\n",
     false, false, "v11 404 [Not Found]\n[Transfer-Encoding]=[chunked]\nbody(9)=not found\n@88\nend"},
    {"HEAD: Content-Length but no body, then the next response",
     "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
     true, false,
     "v11 200 [OK]\n[Content-Length]=[100]\nbody(0)=\n@40\n"
     "v11 404 [Not Found]\n[Content-Length]=[0]\nbody(0)=\n@85\nend"},
    {"100 Continue, then 200", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
     false, false,
     "v11 100 [Continue]\nbody(0)=\n@25\nv11 200 [OK]\n[Content-Length]=[2]\nbody(2)=ok\n@65\nend"},
    {"204 and 304 have no body, whatever the fields say",
     "HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n"
     "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
     false, false,
     "v11 204 [No Content]\n[Content-Length]=[7]\nbody(0)=\n@46\n"
     "v11 304 [Not Modified]\n[Transfer-Encoding]=[chunked]\nbody(0)=\n@103\nend"},
    {"close-delimited body", "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nuntil the end\r\n\r\nreally", false, true,
     "v10 200 [OK]\n[Server]=[old]\nbody(23)=until the end\r\n\r\nreally\n@55\neof"},
    {"no reason phrase, not even its space; close-delimited empty body", "HTTP/1.1 200\r\n\r\n", false, true,
     "v11 200 []\nbody(0)=\n@16\neof"},
    // A client reads with line_ends::crlf_or_lf: a lone LF ends a line (RFC 9112 §2.2), where a
    // request_parser answers 400.
    {"empty reason phrase, LF-only line ends", "HTTP/1.1 503 \nRetry-After: 1\nContent-Length: 1\n\nx", false,
     false, "v11 503 []\n[Retry-After]=[1]\n[Content-Length]=[1]\nbody(1)=x\n@49\nend"},
    {"LF-only line ends in the chunked framing too, after chunk data and in trailers",
     "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nab\n0\nT: v\n\n", false, false,
     "v11 200 [OK]\n[Transfer-Encoding]=[chunked]\nbody(2)=ab\n@57\nend"},
    {"CRLF and LF mixed, a LF-only empty line before the status line",
     "\nHTTP/1.1 200 OK\r\nContent-Length: 2\n\r\nok", false, false,
     "v11 200 [OK]\n[Content-Length]=[2]\nbody(2)=ok\n@40\nend"},
    {"Transfer-Encoding not ending in chunked: close-delimited",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n\x1f\x8b", false, true,
     "v11 200 [OK]\n[Transfer-Encoding]=[gzip]\nbody(2)=\x1f\x8b\n@46\neof"},
    {"101 Switching Protocols: what follows is another protocol, which a response parser refuses at its "
     "first byte",
     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello", false, false,
     "v11 101 [Switching Protocols]\n[Upgrade]=[websocket]\nbody(0)=\n@56\n"
     "error malformed status line (expected: HTTP/1.1 SP 3DIGIT SP reason)"},
};

}  // namespace

TEST_CASE("response parser: every split of a valid input gives the same responses",
          "[unit][http][parser][grind]") {
  for (const valid_case& c : valid_cases) {
    INFO(c.name);
    response_parser prototype;
    prototype.set_head_request(c.head);
    const auto g = grind(prototype, c.input, c.eof);
    CHECK(g.one_shot == c.result);
    CHECK(g.first_mismatch == "");
  }
}

TEST_CASE("response parser: feed_eof", "[unit][http][parser][eof]") {
  response_parser p;

  SECTION("nothing received") {
    CHECK(p.feed_eof().status == parse_status::error);
    CHECK(p.error() == error::unexpected_eof);
  }

  SECTION("in the status line") {
    CHECK(p.feed("HTTP/1.1 2").status == parse_status::need_more);
    CHECK(p.feed_eof().status == parse_status::error);
    CHECK(p.error() == error::unexpected_eof);
  }

  SECTION("in the header") {
    CHECK(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n").status == parse_status::need_more);
    CHECK_FALSE(p.header_done());
    CHECK(p.feed_eof().status == parse_status::error);
    CHECK(p.error() == error::unexpected_eof);
  }

  SECTION("in a Content-Length body") {
    CHECK(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel").status == parse_status::need_more);
    CHECK(p.header_done());
    CHECK_FALSE(p.close_delimited());
    CHECK(p.feed_eof().status == parse_status::error);
    CHECK(p.error() == error::unexpected_eof);
  }

  SECTION("in a chunked body") {
    CHECK(p.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n").status ==
          parse_status::need_more);
    CHECK_FALSE(p.close_delimited());
    CHECK(p.feed_eof().status == parse_status::error);
  }

  SECTION("ending a close-delimited body") {
    CHECK(p.feed("HTTP/1.1 200 OK\r\n\r\nabc").status == parse_status::need_more);
    CHECK(p.close_delimited());
    const auto r = p.feed_eof();
    CHECK(r.status == parse_status::done);
    CHECK(r.consumed == 0);
    CHECK(p.get().body == "abc");
    CHECK_FALSE(p.error());
  }

  SECTION("after a complete response") {
    CHECK(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").status == parse_status::done);
    CHECK(p.feed_eof().status == parse_status::done);
    p.reset();
    CHECK(p.feed_eof().status == parse_status::error);
  }
}

TEST_CASE("response parser: set_head_request is kept across reset()", "[unit][http][parser]") {
  response_parser p;
  p.set_head_request(true);
  p.reset();
  CHECK(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n").status == parse_status::done);
  CHECK(p.get().body.empty());
  p.reset();
  p.set_head_request(false);
  CHECK(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n").status == parse_status::need_more);
}

TEST_CASE("response parser: malformed responses", "[unit][http][parser][errors]") {
  struct bad_case {
    std::string_view input;
    error expected;
  };
  const bad_case cases[] = {
      {"HTTP/1.1 20 OK\r\n\r\n", error::bad_status_line},
      {"HTTP/1.1 2000 OK\r\n\r\n", error::bad_status_line},
      {"HTTP/1.1 abc OK\r\n\r\n", error::bad_status_line},
      {"HTTP/1.1  200 OK\r\n\r\n", error::bad_status_line},
      {"HTTP/1.1 099 Low\r\n\r\n", error::bad_status_line},
      {"http/1.1 200 OK\r\n\r\n", error::bad_status_line},
      {"HTTP/1.1x 200 OK\r\n\r\n", error::bad_status_line},
      {"HTTP/2 200 OK\r\n\r\n", error::bad_status_line},
      {"ICY 200 OK\r\n\r\n", error::bad_status_line},
      {"HTTP/1.1 200 O\0K\r\n\r\n"sv, error::bad_status_line},
      {"HTTP/2.0 200 OK\r\n\r\n", error::version_not_supported},
      {"HTTP/1.1 200 OK\r\nX : y\r\n\r\n", error::whitespace_before_colon},
      {"HTTP/1.1 200 OK\r\nX: y\r\n z\r\n\r\n", error::obs_fold},
      {"HTTP/1.1 200 OK\rX: y\r\n\r\n", error::bare_cr},
      {"HTTP/1.1 200 OK\nX: a\rb\n\n", error::bare_cr},  // a lone LF is a line end here, a bare CR never
      {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", error::duplicate_content_length},
      {"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", error::bad_content_length},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
       error::content_length_and_chunked},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", error::unsupported_transfer_coding},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nx\r\n", error::bad_chunk},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1073741825\r\n\r\n", error::body_too_large},
  };
  for (const bad_case& c : cases) {
    INFO(c.input);
    const auto g = grind(response_parser{}, c.input);
    CHECK(g.one_shot == "error " + make_error_code(c.expected).message());
    CHECK(g.first_mismatch == "");
  }
}

TEST_CASE("response parser: default limits are the request limits with a 1 GiB body",
          "[unit][http][limits]") {
  const auto lim = response_parser::default_limits();
  const socketlab::http::limits request_limits;
  CHECK(lim.max_body == 1024u * 1024u * 1024u);
  CHECK(lim.max_start_line == request_limits.max_start_line);
  CHECK(lim.max_header_bytes == request_limits.max_header_bytes);
  CHECK(lim.max_fields == request_limits.max_fields);
}

TEST_CASE("response: keep_alive follows the version and Connection", "[unit][http][message]") {
  socketlab::http::response res;
  CHECK(res.keep_alive());
  res.headers.add("Connection", "close");
  CHECK_FALSE(res.keep_alive());
  res.headers.clear();
  res.version = 10;
  CHECK_FALSE(res.keep_alive());
  res.headers.add("connection", "Keep-Alive");
  CHECK(res.keep_alive());
}

TEST_CASE("response parser: a peer that does not speak HTTP is told at its first bytes",
          "[unit][http][parser][errors]") {
  socketlab::http::response_parser p;
  SECTION("an SSH banner") {
    CHECK(p.feed("SSH-2.0-OpenSSH_9.2").status == parse_status::error);
    CHECK(p.error() == socketlab::http::error::bad_status_line);
  }
  SECTION("a TLS alert, byte by byte: the first byte decides") {
    CHECK(p.feed("\x15").status == parse_status::error);
  }
  SECTION("\"HTTP/\" itself, and a line end on its way, wait for more") {
    CHECK(p.feed("\r\nHTT").status == parse_status::need_more);
    CHECK(p.feed("P/1.1 204 No Content\r\n\r").status == parse_status::need_more);
    CHECK(p.feed("\n").status == parse_status::done);
  }
}
