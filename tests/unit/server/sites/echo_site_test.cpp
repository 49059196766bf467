// The echo site without sockets: the body back byte for byte whatever its framing, the request as
// parsed in fields (and as the body when it had none), every method but CONNECT, nothing that
// could end a response field early; and the sites that only read still answer 405 and 501.
#include "server/sites/echo_site.hpp"

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "server/http_session.hpp"
#include "server/sites/site.hpp"
#include "socketlab/http/request_parser.hpp"
#include "socketlab/http/serializer.hpp"
#include "support/catch.hpp"
#include "support/make_request.hpp"
#include "support/temp_folder.hpp"
#include "support/wire_bytes.hpp"

using namespace socketlab;
using test::contains;

namespace {

/// Bytes a text-mode read, a C string or a signed-char slip would damage: NUL, CR LF, 0xFF, 0x80.
const std::string binary("a\0b\r\n\xFF\x80z\x00", 9);

/// The request @p bytes make, through the real parser (which must take all of them).
http::request parse(std::string_view bytes) {
  http::request_parser parser;
  const auto r = parser.feed(bytes);
  REQUIRE(r.status == http::parse_status::done);
  REQUIRE(r.consumed == bytes.size());
  return parser.get();
}

/// Makes @p folder the working directory until the end of the scope.
class in_folder {
 public:
  explicit in_folder(const std::filesystem::path& folder) : previous_(std::filesystem::current_path()) {
    std::filesystem::current_path(folder);
  }
  ~in_folder() {
    std::error_code ignored;
    std::filesystem::current_path(previous_, ignored);
  }
  in_folder(const in_folder&) = delete;
  in_folder& operator=(const in_folder&) = delete;

 private:
  std::filesystem::path previous_;
};

/// What the echo site answers @p req, through the rule every site shares.
server::reply echo(const http::request& req) {
  static const server::echo_site site;
  return server::respond(site, req);
}

}  // namespace

TEST_CASE("echo: the body comes back byte for byte, Content-Length or chunked", "[unit][server][echo-site]") {
  const std::string sized =
      "POST /up HTTP/1.1\r\nHost: x\r\nContent-Type: image/x-test\r\nContent-Length: 9\r\n\r\n" + binary;
  const std::string chunked = "PUT /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n" +
                              binary.substr(0, 4) + "\r\n5;ext=1\r\n" + binary.substr(4) +
                              "\r\n0\r\nT: 1\r\n\r\n";
  for (const auto& bytes : {sized, chunked}) {
    CAPTURE(bytes);
    const auto res = echo(parse(bytes));
    CHECK(res.status == 200);
    CHECK(res.body == binary);
    CHECK(res.body.size() == 9);
    CHECK_FALSE(res.file);
  }
  CHECK(echo(parse(sized)).headers.get("Content-Type") == "image/x-test");
  CHECK(echo(parse(chunked)).headers.get("Content-Type") == "application/octet-stream");
  CHECK(echo(parse(chunked)).headers.get("Echo-Field-Transfer-Encoding") == "chunked");
  CHECK(echo(parse(sized)).headers.get("X-Content-Type-Options") == "nosniff");
}

TEST_CASE("echo: an empty body comes back empty; no body at all gives the request as text",
          "[unit][server][echo-site]") {
  const auto empty = echo(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
  CHECK(empty.status == 200);
  CHECK(empty.body.empty());
  CHECK(empty.headers.get("Content-Type") == "application/octet-stream");

  const auto res =
      echo(parse("GET /a?b=c HTTP/1.0\r\nHost: x\r\nuser-agent:  t/1 \r\nAccept: a\r\n"
                 "Accept: b\r\nX-Empty:\r\n\r\n"));
  CHECK(res.status == 200);
  CHECK(res.headers.get("Content-Type") == "text/plain; charset=utf-8");
  CHECK(res.body ==
        "GET /a?b=c HTTP/1.0\n"
        "Host: x\n"
        "user-agent: t/1\n"
        "Accept: a\n"
        "Accept: b\n"
        "X-Empty: \n");
  // The same, in fields: in order, the names' case as sent, a repeated field repeated.
  CHECK(res.headers.get("Echo-Request-Line") == "GET /a?b=c HTTP/1.0");
  std::vector<std::string> echoed;
  for (const auto& f : res.headers)
    if (f.name.starts_with("Echo-Field-")) echoed.push_back(f.name + "=" + f.value);
  CHECK(echoed == std::vector<std::string>{"Echo-Field-Host=x", "Echo-Field-user-agent=t/1",
                                           "Echo-Field-Accept=a", "Echo-Field-Accept=b",
                                           "Echo-Field-X-Empty="});
  CHECK(res.headers.get("X-Content-Type-Options") == "nosniff");
  CHECK(res.headers.get("Content-Security-Policy") == "sandbox");
}

TEST_CASE("echo: every method is answered, unknown tokens too; CONNECT is not", "[unit][server][echo-site]") {
  for (const char* method :
       {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "FOO", "get"}) {
    CAPTURE(method);
    const auto res = echo(test::make_request(method, "/m"));
    CHECK(res.status == 200);
    CHECK(res.headers.get("Echo-Request-Line") == std::string(method) + " /m HTTP/1.1");
    CHECK_THAT(res.body, contains(std::string(method) + " /m HTTP/1.1\n"));
  }
  CHECK(echo(parse("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")).headers.get("Echo-Request-Line") ==
        "OPTIONS * HTTP/1.1");
  // A 2xx to CONNECT would open a tunnel (RFC 9110 §9.3.6): refused as on any site.
  const auto connect = echo(parse("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"));
  CHECK(connect.status == 405);
  CHECK(connect.headers.get("Allow") == "GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH");
}

TEST_CASE("echo: nothing can end a response field early", "[unit][server][echo-site]") {
  // The parser lets no CR, LF or control byte into the request (a bare CR, a bare LF, an
  // obs-fold, NUL, DEL, a control byte in the target)...
  const std::string host = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (const auto& bytes :
       std::vector<std::string>{host + "X: a\rInjected: 1\r\n\r\n", host + "X: a\nInjected: 1\r\n\r\n",
                                host + "X: a\r\n Injected: 1\r\n\r\n", host + "X: a" + '\0' + "b\r\n\r\n",
                                host + "X: a\x7F\r\n\r\n", "GET /a\x01 HTTP/1.1\r\nHost: x\r\n\r\n"}) {
    CAPTURE(bytes);
    http::request_parser parser;
    CHECK(parser.feed(bytes).status == http::parse_status::error);
  }
  // ...and a request built in code, which has not been through it, gets '_' for each such byte.
  auto req = test::make_request("GET", "/a\r\nInjected: 1");
  req.headers.add("X\r\nInjected", std::string("v\r\nInjected: 2") + '\0' + "\x7F\tok");
  const auto res = echo(req);
  const std::string wire = http::to_string(res);
  const auto head = std::string_view(wire).substr(0, wire.find("\r\n\r\n") + 2);
  CHECK(res.headers.get("Echo-Request-Line") == "GET /a__Injected: 1 HTTP/1.1");
  CHECK(res.headers.get("Echo-Field-X__Injected") == "v__Injected: 2__\tok");
  CHECK_FALSE(res.headers.contains("Injected"));
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = head.find("\r\n", at)) != std::string_view::npos; at += 2)
    ++lines;
  CHECK(lines == 1 + res.headers.size());  // the status line and one line a field, no more
  CHECK(head.find_first_of(std::string_view("\0\x7F", 2)) == std::string_view::npos);
  CHECK(std::count(head.begin(), head.end(), '\r') == static_cast<std::ptrdiff_t>(lines));
  CHECK(std::count(head.begin(), head.end(), '\n') == static_cast<std::ptrdiff_t>(lines));
}

TEST_CASE("echo: HEAD gets GET's fields and no body; pipelined requests get their own echo",
          "[unit][server][echo-site]") {
  const server::echo_site site;
  const server::server_config config;
  const std::string stream =
      "HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /h HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n" +
      binary + "DELETE /d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {  // any split, the same answers
    CAPTURE(cut);
    const auto now = server::http_session::clock::now();
    server::http_session s(site, config, "127.0.0.1", "127.0.0.1:5000", now);
    s.on_bytes(std::string_view(stream).substr(0, cut), now);
    s.on_bytes(std::string_view(stream).substr(cut), now);
    const auto rs = test::parse_responses(s.output(), {true});
    REQUIRE(rs.size() == 4);
    CHECK(rs[0].status == 200);
    CHECK(rs[0].body.empty());
    CHECK(rs[0].headers.get("Echo-Request-Line") == "HEAD /h HTTP/1.1");
    CHECK(rs[0].headers.get("Content-Length") ==
          std::to_string(std::string("HEAD /h HTTP/1.1\nHost: x\n").size()));
    CHECK(rs[1].body == "GET /h HTTP/1.1\nHost: x\n");
    CHECK(rs[2].body == binary);
    CHECK(rs[2].headers.get("Content-Length") == "9");
    CHECK(rs[3].status == 200);
    CHECK(rs[3].headers.get("Echo-Field-Connection") == "close");
    CHECK(rs[3].headers.get("Connection") == "close");
    CHECK(s.should_close());
  }
}

TEST_CASE("make_site: echo, and a folder named echo is ./echo", "[unit][server][echo-site]") {
  CHECK(server::make_site("echo")->describe() == "echo (each request sent back as parsed)");
  CHECK(server::make_site("echo")->allows("BREW"));
  CHECK_THROWS_WITH(server::make_site("ECHO-no-such-folder"), contains("echo (each request sent back)"));

  // As a language code does, "echo" wins over a folder of that name in the working directory.
  const test::temp_folder folder("socketlab-echo-site");
  std::filesystem::create_directory(folder.path() / "echo");
  std::unique_ptr<server::site> named;
  std::unique_ptr<server::site> dotted;
  {
    const in_folder here(folder.path());
    named = server::make_site("echo");
    dotted = server::make_site("./echo");
  }
  CHECK(named->describe() == "echo (each request sent back as parsed)");
  CHECK_THAT(dotted->describe(), contains("files from "));
}

TEST_CASE("sites that only read still answer 405 with Allow and 501", "[unit][server][echo-site]") {
  const test::temp_folder folder("socketlab-echo-site");
  for (const auto& spec : {std::string("en"), folder.path().string()}) {
    CAPTURE(spec);
    const auto s = server::make_site(spec);
    for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"}) {
      CAPTURE(method);
      const auto res = server::respond(*s, test::make_request(method, "/"));
      CHECK(res.status == 405);
      CHECK(res.headers.get("Allow") == "GET, HEAD");
      CHECK_FALSE(res.headers.contains("Echo-Request-Line"));
    }
    for (const char* method : {"FOO", "get"}) {
      CAPTURE(method);
      const auto res = server::respond(*s, test::make_request(method, "/"));
      CHECK(res.status == 501);
      CHECK_FALSE(res.headers.contains("Allow"));
    }
    CHECK_FALSE(s->allows("FOO"));
    CHECK(s->allow_field() == "GET, HEAD");
  }
}
