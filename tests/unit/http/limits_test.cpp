// The default limits at their edge: exactly the limit passes, one more fails.
#include <string>
#include <string_view>

#include "grind.hpp"
#include "socketlab/http/error.hpp"
#include "socketlab/http/request_parser.hpp"
#include "support/catch.hpp"

using socketlab::http::error;
using socketlab::http::parse_status;
using socketlab::http::request_parser;
using socketlab::http::test::grind;

namespace {

/// Parses @p input in one feed and every other way; returns the one-shot result after
/// checking the other splits agree.
std::string parse_every_way(std::string_view input) {
  const auto g = grind(request_parser{}, input);
  CHECK(g.first_mismatch == "");
  return g.one_shot;
}

/// What parse_every_way() gives for a failure with @p e.
std::string failure(error e) {
  return "error " + make_error_code(e).message();
}

/// Whether @p result is one complete message and nothing else.
bool one_message(const std::string& result) {
  return result.ends_with("\nend") && result.find("error") == std::string::npos;
}

/// A request line of exactly @p size bytes, CRLF excluded.
std::string request_line(std::size_t size) {
  const std::string fixed = "GET / HTTP/1.1";
  return "GET /" + std::string(size - fixed.size(), 'a') + " HTTP/1.1";
}

}  // namespace

TEST_CASE("limits: request line of 8192 bytes passes, 8193 fails", "[unit][http][parser][limits]") {
  CHECK(one_message(parse_every_way(request_line(8192) + "\r\nHost: h\r\n\r\n")));
  CHECK(parse_every_way(request_line(8193) + "\r\nHost: h\r\n\r\n") == failure(error::start_line_too_long));
  // A line ended by a bare LF is measured first: too long is 414, whatever its line end.
  CHECK(parse_every_way(request_line(8193) + "\nHost: h\r\n\r\n") == failure(error::start_line_too_long));
  CHECK(parse_every_way(request_line(8192) + "\nHost: h\r\n\r\n") == failure(error::bare_lf));

  // The CR of the line end is not part of the line, even when it arrives alone.
  request_parser p;
  CHECK(p.feed(request_line(8192) + "\r").status == parse_status::need_more);
  CHECK(p.feed("\nHost: h\r\n\r\n").status == parse_status::done);
}

TEST_CASE("limits: a field section of 32 KiB passes, one byte more fails", "[unit][http][parser][limits]") {
  // The field section counts every field line and the empty line, line ends included.
  const std::string start = "GET / HTTP/1.1\r\n";
  const auto request_with_section = [&](std::size_t section) {
    const std::string host = "Host: h\r\n";
    const std::string filler_prefix = "X-Fill: ";
    const std::size_t filler = section - host.size() - filler_prefix.size() - 2 - 2;
    return start + host + filler_prefix + std::string(filler, 'f') + "\r\n\r\n";
  };
  CHECK(one_message(parse_every_way(request_with_section(32 * 1024))));
  CHECK(parse_every_way(request_with_section(32 * 1024 + 1)) == failure(error::header_too_large));
}

TEST_CASE("limits: 100 fields pass, 101 fail, trailers included", "[unit][http][parser][limits]") {
  const auto request_with_fields = [](int count, std::string_view trailers = "") {
    std::string r = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n";
    for (int i = 3; i <= count; ++i)
      r += "F" + std::to_string(i) + ": v\r\n";
    return r + "\r\n0\r\n" + std::string(trailers) + "\r\n";
  };
  CHECK(one_message(parse_every_way(request_with_fields(100))));
  CHECK(parse_every_way(request_with_fields(101)) == failure(error::too_many_fields));
  CHECK(one_message(parse_every_way(request_with_fields(99, "T: 1\r\n"))));
  CHECK(parse_every_way(request_with_fields(100, "T: 1\r\n")) == failure(error::too_many_fields));
}

TEST_CASE("limits: a body of 1 MiB passes, one byte more fails", "[unit][http][parser][limits]") {
  const std::string mebibyte(1024 * 1024, 'b');
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\n";

  SECTION("Content-Length") {
    request_parser p;
    const auto r = p.feed(head + "Content-Length: 1048576\r\n\r\n" + mebibyte);
    CHECK(r.status == parse_status::done);
    CHECK(p.get().body.size() == mebibyte.size());
    p.reset();
    CHECK(p.feed(head + "Content-Length: 1048577\r\n\r\n").status == parse_status::error);
    CHECK(p.error() == error::body_too_large);
  }

  SECTION("chunked, in two chunks") {
    const std::string half(512 * 1024, 'c');
    const std::string body = "80000\r\n" + half + "\r\n80000\r\n" + half + "\r\n";
    request_parser p;
    CHECK(p.feed(head + "Transfer-Encoding: chunked\r\n\r\n" + body + "0\r\n\r\n").status ==
          parse_status::done);
    CHECK(p.get().body.size() == mebibyte.size());
    p.reset();
    CHECK(p.feed(head + "Transfer-Encoding: chunked\r\n\r\n" + body + "1\r\n").status == parse_status::error);
    CHECK(p.error() == error::body_too_large);
  }

  SECTION("ground at every split") {
    const std::string small_chunks =
        "Transfer-Encoding: chunked\r\n\r\n100000\r\n" + mebibyte + "\r\n0\r\n\r\n";
    CHECK(one_message(parse_every_way(head + small_chunks)));
  }
}
