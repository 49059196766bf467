// Malformed requests: each must fail with its own error and status code, whatever the
// split of the input, and limits must be detected without waiting for a line end.
#include <string>
#include <string_view>
#include <vector>

#include "grind.hpp"
#include "socketlab/http/error.hpp"
#include "socketlab/http/request_parser.hpp"
#include "support/catch.hpp"

using namespace std::string_literals;
using namespace std::string_view_literals;
using socketlab::http::error;
using socketlab::http::request_parser;
using socketlab::http::status_for;
using socketlab::http::test::grind;

namespace {

/// One malformed request and how it must be refused.
struct bad_case {
  std::string name;   ///< what is wrong
  std::string input;  ///< the bytes
  error expected;     ///< the parser's error
  int status;         ///< what a server answers
};

/// A request with header lines @p fields (each with its CRLF) and then @p body.
std::string with_fields(std::string_view fields, std::string_view body = "") {
  return "POST / HTTP/1.1\r\nHost: h\r\n"s.append(fields).append("\r\n").append(body);
}

/// A chunked request whose body is @p chunks.
std::string chunked(std::string_view chunks) {
  return with_fields("Transfer-Encoding: chunked\r\n", chunks);
}

std::vector<bad_case> bad_cases() {
  const std::string long_line = "GET /" + std::string(8200, 'a');  // no line end: must fail before it
  std::string big_header = "GET / HTTP/1.1\r\nHost: h\r\n";
  while (big_header.size() < 33 * 1024)
    big_header += "X-Filler: " + std::string(1000, 'f') + "\r\n";
  std::string many_fields = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 1; i <= 100; ++i)
    many_fields += "X-" + std::to_string(i) + ": v\r\n";
  many_fields += "\r\n";
  const std::string mebibyte(1024 * 1024, 'b');
  return {
      {"no target or version", "GET\r\n\r\n", error::bad_request_line, 400},
      {"no version", "GET /\r\nHost: h\r\n\r\n", error::bad_request_line, 400},
      {"leading space", " GET / HTTP/1.1\r\nHost: h\r\n\r\n", error::bad_request_line, 400},
      {"space after the version", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", error::bad_request_line, 400},
      {"space in the target", "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", error::bad_request_line, 400},
      {"empty target", "GET  HTTP/1.1\r\nHost: h\r\n\r\n", error::bad_target, 400},
      {"NUL in the target", "GET /a\0b HTTP/1.1\r\nHost: h\r\n\r\n"s, error::bad_target, 400},
      {"HTAB in the target", "GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n", error::bad_target, 400},
      {"DEL in the target", "GET /a\x7f HTTP/1.1\r\nHost: h\r\n\r\n", error::bad_target, 400},
      {"lowercase http", "GET / http/1.1\r\nHost: h\r\n\r\n", error::bad_version, 400},
      {"HTTP/1.1x", "GET / HTTP/1.1x\r\nHost: h\r\n\r\n", error::bad_version, 400},
      {"HTTP/1", "GET / HTTP/1\r\nHost: h\r\n\r\n", error::bad_version, 400},
      {"HTTP/11.1", "GET / HTTP/11.1\r\nHost: h\r\n\r\n", error::bad_version, 400},
      {"HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", error::version_not_supported, 505},
      {"HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", error::version_not_supported, 505},
      {"@ in the method", "GE@T / HTTP/1.1\r\nHost: h\r\n\r\n", error::bad_method, 400},
      // Bytes that are not HTTP at all, with no line end to wait for: refused at their first byte.
      {"a TLS ClientHello (https:// to an HTTP port)", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"s,
       error::bad_method, 400},
      {"a NUL after a method's first letters", "GE\0"s, error::bad_method, 400},
      {"( in the method", "GET( / HTTP/1.1\r\nHost: h\r\n\r\n", error::bad_method, 400},
      {"bare CR in the request line", "GET /\r HTTP/1.1\r\nHost: h\r\n\r\n", error::bare_cr, 400},
      {"bare CR before the request line", "\r\rGET / HTTP/1.1\r\nHost: h\r\n\r\n", error::bare_cr, 400},
      {"bare CR in a value", with_fields("X: a\rb\r\n"), error::bare_cr, 400},
      {"bare CR ending a field line", with_fields("X: a\r\r\n"), error::bare_cr, 400},
      {"whitespace before the colon", with_fields("X-A : a\r\n"), error::whitespace_before_colon, 400},
      {"HTAB before the colon", "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", error::whitespace_before_colon, 400},
      {"obs-fold", with_fields("X-A: a\r\n  b\r\n"), error::obs_fold, 400},
      {"whitespace before the first field", "GET / HTTP/1.1\r\n Host: h\r\n\r\n", error::obs_fold, 400},
      {"field line without a colon", with_fields("X-A a\r\n"), error::bad_field_name, 400},
      {"empty field name", with_fields(": a\r\n"), error::bad_field_name, 400},
      {"non-token field name", with_fields("X(A): a\r\n"), error::bad_field_name, 400},
      {"NUL in a value", with_fields("X-A: a\0b\r\n"s), error::bad_field_value, 400},
      {"DEL in a value", with_fields("X-A: a\x7f\r\n"), error::bad_field_value, 400},
      {"control character in a value", with_fields("X-A: \x01\r\n"), error::bad_field_value, 400},
      {"HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", error::missing_host, 400},
      {"Host twice", with_fields("Host: i\r\n"), error::duplicate_host, 400},
      {"Host twice in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n", error::duplicate_host, 400},
      {"Content-Length abc", with_fields("Content-Length: abc\r\n"), error::bad_content_length, 400},
      {"Content-Length -1", with_fields("Content-Length: -1\r\n"), error::bad_content_length, 400},
      {"Content-Length +1", with_fields("Content-Length: +1\r\n"), error::bad_content_length, 400},
      {"Content-Length 1 2", with_fields("Content-Length: 1 2\r\n"), error::bad_content_length, 400},
      {"Content-Length empty", with_fields("Content-Length:\r\n"), error::bad_content_length, 400},
      {"Content-Length 0x10", with_fields("Content-Length: 0x10\r\n"), error::bad_content_length, 400},
      {"Content-Length overflow", with_fields("Content-Length: 99999999999999999999999\r\n"),
       error::bad_content_length, 400},
      {"Content-Length 2^64", with_fields("Content-Length: 18446744073709551616\r\n"),
       error::bad_content_length, 400},
      {"Content-Length twice, equal", with_fields("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"),
       error::duplicate_content_length, 400},
      {"Content-Length 5, 5", with_fields("Content-Length: 5, 5\r\n", "hello"),
       error::duplicate_content_length, 400},
      {"Content-Length with Transfer-Encoding",
       with_fields("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
       error::content_length_and_chunked, 400},
      {"Transfer-Encoding before Content-Length",
       with_fields("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n"),
       error::content_length_and_chunked, 400},
      {"Transfer-Encoding gzip", with_fields("Transfer-Encoding: gzip\r\n"), error::chunked_not_last, 400},
      {"Transfer-Encoding gzip, chunked", with_fields("Transfer-Encoding: gzip, chunked\r\n"),
       error::unsupported_transfer_coding, 501},
      {"Transfer-Encoding gzip then chunked on two lines",
       with_fields("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"),
       error::unsupported_transfer_coding, 501},
      {"Transfer-Encoding chunked, gzip", with_fields("Transfer-Encoding: chunked, gzip\r\n"),
       error::chunked_not_last, 400},
      {"Transfer-Encoding chunked twice", with_fields("Transfer-Encoding: chunked, chunked\r\n"),
       error::chunked_not_last, 400},
      {"Transfer-Encoding empty", with_fields("Transfer-Encoding:\r\n"), error::chunked_not_last, 400},
      {"chunk size zz", chunked("zz\r\n"), error::bad_chunk, 400},
      {"empty chunk size", chunked("\r\nhello\r\n"), error::bad_chunk, 400},
      {"chunk size of 17 digits", chunked("00000000000000005\r\nhello\r\n0\r\n\r\n"), error::bad_chunk, 400},
      {"chunk size over 64 bits", chunked("10000000000000000\r\n"), error::bad_chunk, 400},
      {"chunk size with a sign", chunked("+5\r\nhello\r\n0\r\n\r\n"), error::bad_chunk, 400},
      {"chunk size followed by a space", chunked("5 \r\nhello\r\n0\r\n\r\n"), error::bad_chunk, 400},
      {"chunk extension without a name", chunked("5;\r\nhello\r\n0\r\n\r\n"), error::bad_chunk, 400},
      {"chunk extension without a value", chunked("5;a=\r\nhello\r\n0\r\n\r\n"), error::bad_chunk, 400},
      {"chunk extension unterminated quote", chunked("5;a=\"b\r\nhello\r\n0\r\n\r\n"), error::bad_chunk, 400},
      {"chunk extension too long", chunked("5;a=" + std::string(8200, 'x') + "\r\nhello\r\n0\r\n\r\n"),
       error::bad_chunk, 400},
      {"no CRLF after chunk data", chunked("5\r\nhelloX\r\n0\r\n\r\n"), error::bad_chunk, 400},
      {"CR then no LF after chunk data", chunked("5\r\nhello\rX0\r\n\r\n"), error::bad_chunk, 400},
      {"bad trailer field", chunked("0\r\nX : y\r\n\r\n"), error::whitespace_before_colon, 400},
      {"NUL in a trailer", chunked("0\r\nX: \0\r\n\r\n"s), error::bad_field_value, 400},
      {"request line over 8 KiB, no line end yet", long_line, error::start_line_too_long, 414},
      {"header over 32 KiB, no end yet", big_header, error::header_too_large, 431},
      {"101 fields", many_fields, error::too_many_fields, 431},
      {"Content-Length 1 MiB + 1, body not sent", with_fields("Content-Length: 1048577\r\n"),
       error::body_too_large, 413},
      {"Content-Length 2^64 - 1", with_fields("Content-Length: 18446744073709551615\r\n"),
       error::body_too_large, 413},
      {"chunked body over 1 MiB", chunked("100000\r\n" + mebibyte + "\r\n1\r\nb\r\n0\r\n\r\n"),
       error::body_too_large, 413},
  };
}

}  // namespace

TEST_CASE("request parser: each malformed request fails the same way at every split",
          "[unit][http][parser][errors]") {
  for (const bad_case& c : bad_cases()) {
    INFO(c.name);
    CHECK(status_for(c.expected) == c.status);
    const auto g = grind(request_parser{}, c.input);
    CHECK(g.one_shot == "error " + make_error_code(c.expected).message());
    CHECK(g.first_mismatch == "");
  }
}

TEST_CASE("request parser: limits are detected as soon as they are exceeded",
          "[unit][http][parser][limits]") {
  request_parser p;

  SECTION("a request line one byte over 8 KiB, without its line end") {
    const std::string line = "GET /" + std::string(8192 - 5, 'a');
    CHECK(p.feed(line).status == socketlab::http::parse_status::need_more);
    const auto r = p.feed("a");
    CHECK(r.status == socketlab::http::parse_status::error);
    CHECK(p.error() == error::start_line_too_long);
    CHECK(status_for(error::start_line_too_long) == 414);
  }

  SECTION("a header section one byte over 32 KiB, without its end") {
    const std::string head = "GET / HTTP/1.1\r\nX: " + std::string(32 * 1024 - 3, 'v');
    CHECK(p.feed(head).status == socketlab::http::parse_status::need_more);
    CHECK(p.feed("v").status == socketlab::http::parse_status::error);
    CHECK(p.error() == error::header_too_large);
  }

  SECTION("a byte that no method holds, at once, without waiting for a line end") {
    CHECK(p.feed("\r\nGE").status ==
          socketlab::http::parse_status::need_more);  // an empty line first is fine
    CHECK(p.feed("T").status == socketlab::http::parse_status::need_more);
    CHECK(p.feed("\x16").status == socketlab::http::parse_status::error);
    CHECK(p.error() == error::bad_method);
  }

  SECTION("a CR in the method's place waits for its line end") {
    CHECK(p.feed("\r").status == socketlab::http::parse_status::need_more);
  }

  SECTION("Content-Length over the body limit, at the end of the header") {
    const auto r =
        p.feed("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1048577\r\n\r\n");
    CHECK(r.status == socketlab::http::parse_status::error);
    CHECK(p.error() == error::body_too_large);
    CHECK_FALSE(p.expects_continue());
  }
}
