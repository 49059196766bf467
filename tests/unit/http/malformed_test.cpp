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

/// A request with request line @p line and a valid Host.
std::string with_line(std::string_view line) {
  return std::string(line).append("\r\nHost: h\r\n\r\n");
}

/// A request with the Host line `Host: <value>` after request line @p line.
std::string with_host(std::string_view value, std::string_view line = "GET / HTTP/1.1") {
  return std::string(line).append("\r\nHost: ").append(value).append("\r\n\r\n");
}

/// Checks that each case fails with its error and status, the same at every split.
void check_refused(const std::vector<bad_case>& cases) {
  for (const bad_case& c : cases) {
    INFO(c.name);
    CHECK(status_for(c.expected) == c.status);
    const auto g = grind(request_parser{}, c.input);
    CHECK(g.one_shot == "error " + make_error_code(c.expected).message());
    CHECK(g.first_mismatch == "");
  }
}

/// Rule: a request-target holds visible ASCII only (%x21-7E), and one SP separates it from
/// the method and the version.
std::vector<bad_case> target_byte_cases() {
  return {
      {"raw UTF-8 in the path", with_line("GET /caf\xc3\xa9 HTTP/1.1"), error::bad_target_char, 400},
      {"0x80 in the query", with_line("GET /a?q=\x80 HTTP/1.1"), error::bad_target_char, 400},
      {"0xFF as the whole target", with_line("GET \xff HTTP/1.1"), error::bad_target_char, 400},
      {"raw UTF-8 in an absolute-form host", with_line("GET http://\xc3\xa9t\xc3\xa9.example/ HTTP/1.1"),
       error::bad_target_char, 400},
      {"SOH in the target", with_line("GET /\x01 HTTP/1.1"), error::bad_target_char, 400},
      {"ESC in the target", with_line("GET /\x1b[31m HTTP/1.1"), error::bad_target_char, 400},
      {"VT in the target", with_line("GET /a\x0b/b HTTP/1.1"), error::bad_target_char, 400},
      {"FF in the target", with_line("GET /a\x0c/b HTTP/1.1"), error::bad_target_char, 400},
      {"HTAB ending the target", with_line("GET /\t HTTP/1.1"), error::bad_target_char, 400},
      {"DEL as the whole target", with_line("GET \x7f HTTP/1.1"), error::bad_target_char, 400},
      {"a raw byte in the target of an HTTP/1.0 request", "GET /\xe9 HTTP/1.0\r\n\r\n",
       error::bad_target_char, 400},
      {"two spaces after the method", with_line("GET  / HTTP/1.1"), error::bad_request_line, 400},
      {"two spaces before the version", with_line("GET /  HTTP/1.1"), error::bad_request_line, 400},
      {"a space and a HTAB before the version", with_line("GET / \tHTTP/1.1"), error::bad_version, 400},
      {"a LF in the target ends the line there", "GET /a\nb HTTP/1.1\r\nHost: h\r\n\r\n", error::bare_lf,
       400},
  };
}

/// Rule (RFC 9112 §3.2): `*` is for OPTIONS, `host:port` for CONNECT, and CONNECT has no other form.
std::vector<bad_case> target_form_cases() {
  return {
      {"GET *", with_line("GET * HTTP/1.1"), error::target_form_not_allowed, 400},
      {"HEAD *", with_line("HEAD * HTTP/1.1"), error::target_form_not_allowed, 400},
      {"POST *", with_line("POST * HTTP/1.0"), error::target_form_not_allowed, 400},
      {"options * (methods are case-sensitive)", with_line("options * HTTP/1.1"),
       error::target_form_not_allowed, 400},
      {"GET host:port", with_line("GET example.com:443 HTTP/1.1"), error::target_form_not_allowed, 400},
      {"GET [v6]:port", with_line("GET [::1]:8080 HTTP/1.1"), error::target_form_not_allowed, 400},
      {"OPTIONS host:port", with_line("OPTIONS localhost:80 HTTP/1.1"), error::target_form_not_allowed, 400},
      {"GET host: (empty port, still the authority-form)", with_line("GET localhost: HTTP/1.1"),
       error::target_form_not_allowed, 400},
      {"CONNECT /", with_line("CONNECT / HTTP/1.1"), error::target_form_not_allowed, 400},
      {"CONNECT *", with_line("CONNECT * HTTP/1.1"), error::target_form_not_allowed, 400},
      {"CONNECT absolute-form", with_line("CONNECT http://example.com:443/ HTTP/1.1"),
       error::target_form_not_allowed, 400},
      {"CONNECT without a port", with_line("CONNECT example.com HTTP/1.1"), error::bad_target, 400},
      {"CONNECT with an empty port", with_line("CONNECT example.com: HTTP/1.1"), error::bad_target, 400},
      {"CONNECT to port 0", with_line("CONNECT example.com:0 HTTP/1.1"), error::bad_target, 400},
      {"CONNECT to port 65536", with_line("CONNECT example.com:65536 HTTP/1.1"), error::bad_target, 400},
      {"CONNECT with userinfo", with_line("CONNECT user@example.com:443 HTTP/1.1"), error::bad_target, 400},
      {"CONNECT to an unbracketed IPv6 address", with_line("CONNECT ::1:443 HTTP/1.1"), error::bad_target,
       400},
      {"CONNECT without a host", with_line("CONNECT :443 HTTP/1.1"), error::bad_target, 400},
      {"a relative path", with_line("GET index.html HTTP/1.1"), error::bad_target, 400},
      {"*foo", with_line("OPTIONS *foo HTTP/1.1"), error::bad_target, 400},
      {"a scheme starting with a digit", with_line("GET 1http://x/ HTTP/1.1"), error::bad_target, 400},
      {"http: without //", with_line("GET http:/x HTTP/1.1"), error::bad_target, 400},
      {"http:// without a host", with_line("GET http:///x HTTP/1.1"), error::bad_target, 400},
      {"http:// with userinfo", with_line("GET http://user:pw@example.com/ HTTP/1.1"), error::bad_target,
       400},
      {"https:// with two ports", with_line("GET https://example.com:80:80/ HTTP/1.1"), error::bad_target,
       400},
      {"an empty target beats the form", with_line("CONNECT  HTTP/1.1"), error::bad_target, 400},
      {"the version is judged before the form", "GET * HTTP/2.0\r\nHost: h\r\n\r\n",
       error::version_not_supported, 505},
  };
}

/// Rule (RFC 9110 §7.2, RFC 9112 §3.2): Host is `uri-host [ ":" port ]`, empty only when the
/// target URI has no authority.
std::vector<bad_case> host_cases() {
  return {
      {"userinfo", with_host("user@example.com"), error::bad_host, 400},
      {"a path", with_host("example.com/x"), error::bad_host, 400},
      {"a list", with_host("a, b"), error::bad_host, 400},
      {"a list without a space", with_host("a,b"), error::bad_host, 400},
      {"a space inside", with_host("exa mple.com"), error::bad_host, 400},
      {"a HTAB inside", with_host("a\tb"), error::bad_host, 400},
      {"a scheme", with_host("http://example.com"), error::bad_host, 400},
      {"a port that is not digits", with_host("example.com:8o"), error::bad_host, 400},
      {"two ports", with_host("example.com:1:2"), error::bad_host, 400},
      {"a port without a host", with_host(":80"), error::bad_host, 400},
      {"an unbracketed IPv6 address", with_host("::1"), error::bad_host, 400},
      {"an unclosed bracket", with_host("[::1"), error::bad_host, 400},
      {"bytes after the bracket", with_host("[::1]x"), error::bad_host, 400},
      {"nine IPv6 groups", with_host("[1:2:3:4:5:6:7:8:9]"), error::bad_host, 400},
      {"a non-hex IPv6 group", with_host("[::g]"), error::bad_host, 400},
      {"two :: in IPv6", with_host("[1::2::3]"), error::bad_host, 400},
      {"an IPv6 zone ID (not in RFC 3986)", with_host("[fe80::1%25eth0]"), error::bad_host, 400},
      {"a brackets-only host", with_host("[]"), error::bad_host, 400},
      {"raw UTF-8 (not punycode)", with_host("\xc3\xa9t\xc3\xa9.example"), error::bad_host, 400},
      {"a broken percent-encoding", with_host("example.com%2"), error::bad_host, 400},
      {"empty, with an origin-form target", with_host(""), error::bad_host, 400},
      {"empty, with OPTIONS *", with_host("", "OPTIONS * HTTP/1.1"), error::bad_host, 400},
      {"empty, while the absolute-form target names a host",
       with_host("", "GET http://example.com/ HTTP/1.1"), error::bad_host, 400},
      {"empty, with CONNECT", with_host("", "CONNECT example.com:443 HTTP/1.1"), error::bad_host, 400},
      {"invalid, with an absolute-form target (Host ignored, but checked)",
       with_host("x/y", "GET http://example.com/ HTTP/1.1"), error::bad_host, 400},
      {"invalid in HTTP/1.0, where Host is optional", with_host("a b", "GET / HTTP/1.0"), error::bad_host,
       400},
      {"empty in HTTP/1.0", with_host("", "GET / HTTP/1.0"), error::bad_host, 400},
      {"two Hosts, one invalid: the repeat is named", "GET / HTTP/1.1\r\nHost: a b\r\nHost: c\r\n\r\n",
       error::duplicate_host, 400},
  };
}

/// Rule (RFC 9112 §2.2): every line end is CRLF, in the request line, the empty lines before
/// it, the header section and the chunked framing.
std::vector<bad_case> bare_lf_cases() {
  return {
      {"LF ending the request line", "GET / HTTP/1.1\nHost: h\r\n\r\n", error::bare_lf, 400},
      {"LF ending a field line", with_fields("X: a\n"), error::bare_lf, 400},
      {"LF inside a value", with_fields("X: a\nb\r\n"), error::bare_lf, 400},
      {"LF ending the header section", "GET / HTTP/1.1\r\nHost: h\r\n\n", error::bare_lf, 400},
      {"LF-only HTTP/1.0 request", "GET / HTTP/1.0\n\n", error::bare_lf, 400},
      {"LF as an empty line before the request line", "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", error::bare_lf,
       400},
      {"CRLF, then LF, before the request line", "\r\n\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", error::bare_lf,
       400},
      {"LF-only everywhere, chunked too",
       "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n2\nab\n0\nT: v\n\n", error::bare_lf, 400},
      {"LF ending a chunk-size line", chunked("2\nab\r\n0\r\n\r\n"), error::bare_lf, 400},
      {"LF ending a chunk-size line with an extension", chunked("2;a=b\nab\r\n0\r\n\r\n"), error::bare_lf,
       400},
      {"LF after chunk data", chunked("2\r\nab\n0\r\n\r\n"), error::bare_lf, 400},
      {"LF ending the last chunk", chunked("0\n\r\n"), error::bare_lf, 400},
      {"LF ending a trailer", chunked("0\r\nT: v\n\r\n"), error::bare_lf, 400},
      {"LF ending the trailer section", chunked("0\r\n\n"), error::bare_lf, 400},
      {"LF ending a line with a bare CR: the line end is judged first", "GET /\r HTTP/1.1\nHost: h\r\n\r\n",
       error::bare_lf, 400},
      // A byte no method holds is refused first, wherever the input is cut (here the one-shot
      // feed sees a whole line, the byte-by-byte one the 0x16 alone).
      {"a ClientHello holding a LF byte", "\x16\x03\x01\x00\x0a\x01\x00\x00\x06\x03\x03"s, error::bad_method,
       400},
      {"a LF right after a byte no method holds", "\x16\n"s, error::bad_method, 400},
      {"an impossible method byte in a line ended by LF", "GE@T / HTTP/1.1\nHost: h\r\n\r\n",
       error::bad_method, 400},
  };
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
      {"NUL in the target", "GET /a\0b HTTP/1.1\r\nHost: h\r\n\r\n"s, error::bad_target_char, 400},
      {"HTAB in the target", "GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n", error::bad_target_char, 400},
      {"DEL in the target", "GET /a\x7f HTTP/1.1\r\nHost: h\r\n\r\n", error::bad_target_char, 400},
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
  check_refused(bad_cases());
}

TEST_CASE("request parser: a target byte outside visible ASCII is refused at every split",
          "[unit][http][parser][errors][target]") {
  check_refused(target_byte_cases());
}

TEST_CASE("request parser: a target form its method does not allow is refused at every split",
          "[unit][http][parser][errors][target]") {
  check_refused(target_form_cases());
}

TEST_CASE("request parser: a Host that is not host[:port] is refused at every split",
          "[unit][http][parser][errors][host]") {
  check_refused(host_cases());
}

TEST_CASE("request parser: a LF without its CR is refused at every split",
          "[unit][http][parser][errors][line-end]") {
  check_refused(bare_lf_cases());
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
