// response_reader, the client's framing of one exchange: Content-Length, chunked, close-delimited
// and bodiless responses, interim 1xx before the final one, pipelined responses, errors and where
// they happened. Every valid input is also fed split at every offset and byte by byte ("grind",
// as Boost.Beast tests its parser) and must give the same result.
#include "client/http/response_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "socketlab/http/error.hpp"
#include "support/catch.hpp"
#include "unit/http/grind.hpp"  // drive_with(), describe() and splits(), shared with the parser tests

namespace client = socketlab::client;
namespace http = socketlab::http;
using http::parse_status;

namespace {

/// Feeds @p input to a fresh reader in pieces cut at @p cuts (ascending offsets), reading every
/// exchange in it (start() again after each), then feed_eof() when @p eof.
/// @return each exchange as text — its interim responses, the final one, the offset where it
///   ended, bytes() and keep_alive() — then how the input finished: "end", "need_more", "eof",
///   "eof error <message> at byte N" or "error <message> at byte N"
std::string drive(std::string_view input, const std::vector<std::size_t>& cuts, bool head, bool eof) {
  client::response_reader reader;
  reader.start(head);
  return http::test::drive_with(
      reader, input, cuts, eof,
      [&](std::size_t end) {
        std::string text;
        for (const auto& interim : reader.interim())
          text += "interim " + http::test::describe(interim) + "\n";
        text += http::test::describe(reader.response()) + "\n@" + std::to_string(end) +
                " bytes=" + std::to_string(reader.bytes()) +
                (reader.keep_alive() ? " keep-alive\n" : " close\n");
        reader.start(head);
        return text;
      },
      [&] { return reader.error().message() + " at byte " + std::to_string(reader.error_offset()); });
}

/// drive() of @p input in one piece, and the first split (of http::test::splits()) whose result
/// differs from it, with both; empty when every split agrees.
struct ground {
  std::string one_shot;        ///< the result of one feed
  std::string first_mismatch;  ///< the first split that disagreed; empty if none
};

ground grind(std::string_view input, bool head, bool eof) {
  ground g{drive(input, {}, head, eof), {}};
  for (const auto& cuts : http::test::splits(input.size())) {
    const std::string got = drive(input, cuts, head, eof);
    if (got != g.one_shot) {
      std::string where;
      for (const std::size_t c : cuts)
        where += std::to_string(c) + " ";
      g.first_mismatch = "cut at { " + where + "}:\n" + got + "\n--- but in one feed:\n" + g.one_shot;
      break;
    }
  }
  return g;
}

/// One valid input and what reading it must give.
struct valid_case {
  std::string_view name;    ///< what the case shows
  std::string_view input;   ///< the bytes from the server
  bool head;                ///< the request was HEAD
  bool eof;                 ///< the server closes after the input
  std::string_view result;  ///< drive() of it
};

const valid_case valid_cases[] = {
    {"Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false, false,
     "v11 200 [OK]\n[Content-Length]=[5]\nbody(5)=hello\n@43 bytes=43 keep-alive\nend"},
    {"chunked, with chunk extensions and trailer fields (which are dropped)",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
     "5;lesson=4\r\nhello\r\n"
     "7;a;b=\"c d\"\r\n, world\r\n"
     "0;last\r\nExpires: never\r\nX-Checksum: 42\r\n\r\n",
     false, false,
     "v11 200 [OK]\n[Transfer-Encoding]=[chunked]\nbody(12)=hello, world\n@130 bytes=130 keep-alive\nend"},
    {"close-delimited: no Content-Length, not chunked, the body ends when the server closes",
     "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the server closes", false, true,
     "v11 200 [OK]\n[Content-Type]=[text/plain]\nbody(23)=until the server closes\n@68 bytes=68 close\neof"},
    {"HEAD: a Content-Length but no body", "HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n", true, false,
     "v11 200 [OK]\n[Content-Length]=[14]\nbody(0)=\n@39 bytes=39 keep-alive\nend"},
    {"204: no body, and not close-delimited either", "HTTP/1.1 204 No Content\r\n\r\n", false, false,
     "v11 204 [No Content]\nbody(0)=\n@27 bytes=27 keep-alive\nend"},
    {"304: no body, whatever Content-Length says",
     "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 99\r\n\r\n", false, false,
     "v11 304 [Not Modified]\n[ETag]=[\"v1\"]\n[Content-Length]=[99]\nbody(0)=\n@61 bytes=61 "
     "keep-alive\nend"},
    {"100 Continue and 103 Early Hints, then the final 200: one exchange",
     "HTTP/1.1 100 Continue\r\n\r\n"
     "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
     "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
     false, false,
     "interim v11 100 [Continue]\nbody(0)=\n"
     "interim v11 103 [Early Hints]\n[Link]=[</style.css>; rel=preload]\nbody(0)=\n"
     "v11 200 [OK]\n[Content-Length]=[2]\nbody(2)=ok\n@126 bytes=126 keep-alive\nend"},
    {"two pipelined responses: the first ends where its Content-Length says",
     "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst"
     "HTTP/1.1 404 Not Found\r\nContent-Length: 6\r\n\r\nsecond",
     false, false,
     "v11 200 [OK]\n[Content-Length]=[5]\nbody(5)=first\n@43 bytes=43 keep-alive\n"
     "v11 404 [Not Found]\n[Content-Length]=[6]\nbody(6)=second\n@94 bytes=51 keep-alive\nend"},
    {"Connection: close: complete, but the connection cannot be reused",
     "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi", false, false,
     "v11 200 [OK]\n[Connection]=[close]\n[Content-Length]=[2]\nbody(2)=hi\n@59 bytes=59 close\nend"},
    {"HTTP/1.0 closes unless it says keep-alive", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi", false,
     false, "v10 200 [OK]\n[Content-Length]=[2]\nbody(2)=hi\n@40 bytes=40 close\nend"},
    {"101 Switching Protocols is final: what follows is not HTTP, and a reader fed it says so at its "
     "first byte",
     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello", false, false,
     "v11 101 [Switching Protocols]\n[Upgrade]=[websocket]\nbody(0)=\n@56 bytes=56 close\n"
     "error malformed status line (expected: HTTP/1.1 SP 3DIGIT SP reason) at byte 0"},
};

}  // namespace

TEST_CASE("response_reader: every split of a valid input reads the same exchanges", "[unit][client][grind]") {
  for (const valid_case& c : valid_cases) {
    INFO(c.name);
    const ground g = grind(c.input, c.head, c.eof);
    CHECK(g.one_shot == c.result);
    CHECK(g.first_mismatch == "");
  }
}

TEST_CASE("response_reader: consumed stops where the first pipelined response ends", "[unit][client]") {
  const std::string first = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst";
  const std::string second = "HTTP/1.1 404 Not Found\r\nContent-Length: 6\r\n\r\nsecond";
  const std::string wire = first + second;
  client::response_reader reader;
  reader.start(false);

  const auto r1 = reader.feed(wire);
  REQUIRE(r1.status == parse_status::done);
  CHECK(r1.consumed == first.size());
  CHECK(reader.response().status == 200);
  CHECK(reader.response().body == "first");
  CHECK(reader.bytes() == first.size());

  reader.start(false);
  const auto r2 = reader.feed(std::string_view(wire).substr(r1.consumed));
  REQUIRE(r2.status == parse_status::done);
  CHECK(r2.consumed == second.size());
  CHECK(reader.response().status == 404);
  CHECK(reader.response().body == "second");
  CHECK(reader.bytes() == second.size());  // counted from the start of this exchange
}

TEST_CASE("response_reader: 1xx responses are kept in interim(), and start() forgets them",
          "[unit][client]") {
  client::response_reader reader;
  reader.start(false);
  const std::string_view interim =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n";
  CHECK(reader.feed(interim).status == parse_status::need_more);  // a 1xx alone is not the answer
  CHECK_FALSE(reader.header_done());
  REQUIRE(reader.interim().size() == 2);
  CHECK(reader.interim()[0].status == 100);
  CHECK(reader.interim()[1].status == 103);
  CHECK(reader.interim()[1].headers.get("Link") == "</a>");

  const auto r = reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  CHECK(r.status == parse_status::done);
  CHECK(reader.response().status == 200);
  CHECK(reader.interim().size() == 2);
  CHECK(reader.bytes() == interim.size() + 38);

  reader.start(false);
  CHECK(reader.interim().empty());
  CHECK(reader.bytes() == 0);
}

TEST_CASE("response_reader: header_done() and close_delimited() follow the head", "[unit][client]") {
  client::response_reader reader;
  reader.start(false);
  CHECK(reader.feed("HTTP/1.1 200 OK\r\nServer: x\r\n").status == parse_status::need_more);
  CHECK_FALSE(reader.header_done());
  CHECK_FALSE(reader.close_delimited());
  CHECK(reader.feed("\r\npart").status == parse_status::need_more);
  CHECK(reader.header_done());
  CHECK(reader.close_delimited());
  CHECK_FALSE(reader.keep_alive());  // the close is what ends the body
  CHECK(reader.feed(" and the rest").status == parse_status::need_more);
  CHECK(reader.feed_eof().status == parse_status::done);
  CHECK(reader.response().body == "part and the rest");
}

TEST_CASE("response_reader: a malformed line is an error; error_offset() is where parsing stopped",
          "[unit][client]") {
  struct bad_case {
    std::string_view name;   ///< what is wrong
    std::string_view input;  ///< the bytes
    http::error error;       ///< the error expected
    std::uint64_t offset;    ///< error_offset() expected
  };
  const auto c = GENERATE(values<bad_case>({
      {"letters in the status code", "HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n",
       http::error::bad_status_line, 17},
      {"not HTTP at all: it stops at the first byte that cannot begin a status line",
       "SSH-2.0-OpenSSH_9.6\r\n", http::error::bad_status_line, 0},
      {"HTTP/2 is not HTTP/1.x", "HTTP/2.0 200 OK\r\n\r\n", http::error::version_not_supported, 17},
      {"after a 100 Continue, the offset counts its 25 bytes",
       "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 abc\r\n\r\n", http::error::bad_status_line, 25 + 14},
      {"a bad field line after a good status line", "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n",
       http::error::bad_field_name, 17 + 12},
      {"chunk data not followed by CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX",
       http::error::bad_chunk, 52},
  }));
  INFO(c.name);
  client::response_reader reader;
  reader.start(false);
  CHECK(reader.feed(c.input).status == parse_status::error);
  CHECK(reader.error() == c.error);
  CHECK(reader.error_offset() == c.offset);
}

TEST_CASE("response_reader: error_offset() does not depend on how the bytes were split",
          "[unit][client][grind]") {
  const auto input =
      GENERATE(as<std::string_view>{}, "HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n",
               "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 abc\r\n\r\n", "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n",
               "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX");
  INFO(input);
  const ground g = grind(input, false, false);
  CHECK_THAT(g.one_shot, socketlab::test::contains("error "));
  CHECK(g.first_mismatch == "");
}

TEST_CASE("response_reader: the server closing mid-response is unexpected_eof", "[unit][client]") {
  struct cut_case {
    std::string_view name;   ///< where the response stops
    std::string_view input;  ///< what arrived before the close
    bool header_done;        ///< whether the head was complete
  };
  const auto c = GENERATE(values<cut_case>({
      {"nothing at all", "", false},
      {"inside the status line", "HTTP/1.1 20", false},
      {"inside the fields", "HTTP/1.1 200 OK\r\nContent-Le", false},
      {"mid-body (Content-Length)", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", true},
      {"mid-body (chunked)", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", true},
      {"after a 100 Continue", "HTTP/1.1 100 Continue\r\n\r\n", false},
  }));
  INFO(c.name);
  client::response_reader reader;
  reader.start(false);
  CHECK(reader.feed(c.input).status == parse_status::need_more);
  CHECK(reader.feed_eof().status == parse_status::error);
  CHECK(reader.error() == http::error::unexpected_eof);
  CHECK(reader.bytes() == c.input.size());
  CHECK(reader.header_done() == c.header_done);
}
