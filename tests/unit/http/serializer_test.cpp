// The serializer: exact bytes, standard reason phrases, and parse(serialize(m)) == m.
#include "socketlab/http/serializer.hpp"

#include <string>

#include "grind.hpp"
#include "socketlab/http/request_parser.hpp"
#include "socketlab/http/response_parser.hpp"
#include "socketlab/http/status.hpp"
#include "support/catch.hpp"

using socketlab::http::parse_status;
using socketlab::http::request;
using socketlab::http::response;
using socketlab::http::to_string;

TEST_CASE("serializer: a response, byte for byte", "[unit][http][serializer]") {
  response res;
  res.status = 404;
  res.reason = "Nope";
  res.headers.add("Content-Type", "text/plain; charset=utf-8");
  res.headers.add("Content-Length", "5");
  res.headers.add("X-B", "2");
  res.headers.add("X-A", "1");
  res.body = "gone\n";
  CHECK(to_string(res) ==
        "HTTP/1.1 404 Nope\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n"
        "X-B: 2\r\nX-A: 1\r\n\r\ngone\n");
}

TEST_CASE("serializer: an empty reason becomes the standard phrase", "[unit][http][serializer]") {
  response res;
  res.status = 413;
  res.version = 10;
  CHECK(to_string(res) == "HTTP/1.0 413 Content Too Large\r\n\r\n");
  res.status = 200;
  res.version = 11;
  CHECK(to_string(res) == "HTTP/1.1 200 OK\r\n\r\n");
  res.status = 599;
  CHECK(to_string(res) == "HTTP/1.1 599 Unknown\r\n\r\n");
}

TEST_CASE("serializer: a request, byte for byte", "[unit][http][serializer]") {
  request req;
  req.method = "POST";
  req.target = "/form?x=1";
  req.headers.add("Host", "example.com");
  req.headers.add("Content-Length", "3");
  req.body = "a=b";
  CHECK(to_string(req) == "POST /form?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\n\r\na=b");
}

TEST_CASE("serializer: serialize() appends to what the buffer holds", "[unit][http][serializer]") {
  response a;
  a.status = 100;
  response b;
  b.status = 204;
  std::string out = "prefix|";
  socketlab::http::serialize(a, out);
  socketlab::http::serialize(b, out);
  CHECK(out == "prefix|HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
}

TEST_CASE("serializer: parsing what was serialized gives the message back", "[unit][http][serializer]") {
  SECTION("request") {
    request req;
    req.method = "PUT";
    req.target = "/a%20b";
    req.version = 10;
    req.headers.add("Host", "h");
    req.headers.add("X-Multi", "1");
    req.headers.add("x-multi", "2");
    req.headers.add("Content-Length", "4");
    req.body = "data";
    const std::string bytes = to_string(req);
    socketlab::http::request_parser p;
    REQUIRE(p.feed(bytes).status == parse_status::done);
    CHECK(socketlab::http::test::describe(p.get()) == socketlab::http::test::describe(req));
  }
  SECTION("response") {
    response res;
    res.status = 201;
    res.reason = "Made It";
    res.headers.add("Location", "/new");
    res.headers.add("Content-Length", "2");
    res.body = "ok";
    socketlab::http::response_parser p;
    REQUIRE(p.feed(to_string(res)).status == parse_status::done);
    CHECK(socketlab::http::test::describe(p.get()) == socketlab::http::test::describe(res));
  }
}

TEST_CASE("status: reason phrases of RFC 9110", "[unit][http][status]") {
  using socketlab::http::reason_phrase;
  CHECK(reason_phrase(100) == "Continue");
  CHECK(reason_phrase(101) == "Switching Protocols");
  CHECK(reason_phrase(200) == "OK");
  CHECK(reason_phrase(204) == "No Content");
  CHECK(reason_phrase(206) == "Partial Content");
  CHECK(reason_phrase(301) == "Moved Permanently");
  CHECK(reason_phrase(304) == "Not Modified");
  CHECK(reason_phrase(308) == "Permanent Redirect");
  CHECK(reason_phrase(400) == "Bad Request");
  CHECK(reason_phrase(404) == "Not Found");
  CHECK(reason_phrase(405) == "Method Not Allowed");
  CHECK(reason_phrase(408) == "Request Timeout");
  CHECK(reason_phrase(413) == "Content Too Large");
  CHECK(reason_phrase(414) == "URI Too Long");
  CHECK(reason_phrase(417) == "Expectation Failed");
  CHECK(reason_phrase(421) == "Misdirected Request");
  CHECK(reason_phrase(422) == "Unprocessable Content");
  CHECK(reason_phrase(426) == "Upgrade Required");
  CHECK(reason_phrase(428) == "Precondition Required");
  CHECK(reason_phrase(429) == "Too Many Requests");
  CHECK(reason_phrase(431) == "Request Header Fields Too Large");
  CHECK(reason_phrase(451) == "Unavailable For Legal Reasons");
  CHECK(reason_phrase(500) == "Internal Server Error");
  CHECK(reason_phrase(501) == "Not Implemented");
  CHECK(reason_phrase(503) == "Service Unavailable");
  CHECK(reason_phrase(505) == "HTTP Version Not Supported");
  CHECK(reason_phrase(511) == "Network Authentication Required");
  CHECK(reason_phrase(299) == "Unknown");
  CHECK(reason_phrase(-1) == "Unknown");
  // Every code of the standard ranges has a phrase.
  for (const int range_end : {101, 206, 308, 417, 505}) {
    for (int code = range_end / 100 * 100; code <= range_end; ++code) {
      INFO(code);
      CHECK(reason_phrase(code) != "Unknown");
    }
  }
}
