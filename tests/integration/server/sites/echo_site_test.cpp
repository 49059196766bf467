// The echo site over real loopback sockets, under every serving model: a body sent with
// Content-Length or chunked comes back the same bytes, pipelined requests get their own echoes in
// order, and a client that waits for 100 Continue gets its body back too.
#include <array>
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>

#include "server/config.hpp"
#include "support/catch.hpp"
#include "support/each_model.hpp"
#include "support/raw_client.hpp"
#include "support/running_server.hpp"
#include "support/wire_bytes.hpp"

using namespace socketlab;
using test::raw_client;
using test::running_server;

namespace {

/// One echo site on a free port.
server::server_config echo_site() {
  server::server_config config;
  config.sites.push_back({0, "echo"});
  return config;
}

/// Bytes a text-mode path or a C string would damage, among patterned ones: NUL, CR LF, 0xFF.
std::string body_bytes(std::size_t size) {
  std::string bytes = test::patterned_bytes(size);
  const std::string odd("\0\r\n\xFF\x80", 5);
  for (std::size_t at = 0; at + odd.size() <= bytes.size(); at += 1000)
    bytes.replace(at, odd.size(), odd);
  return bytes;
}

/// @p body in chunks of @p piece bytes (the last one shorter), then the last chunk.
std::string chunked(std::string_view body, std::size_t piece) {
  std::string out;
  for (std::size_t at = 0; at < body.size(); at += piece) {
    const auto part = body.substr(at, piece);
    std::array<char, 16> size{};
    const auto end = std::to_chars(size.data(), size.data() + size.size(), part.size(), 16).ptr;
    out.append(size.data(), end).append("\r\n").append(part).append("\r\n");
  }
  return out + "0\r\n\r\n";
}

/// "POST /up HTTP/1.1" with a Host and @p fields (each ending in CRLF), then @p body as is.
std::string post(std::string_view fields, std::string_view body) {
  return "POST /up HTTP/1.1\r\nHost: x\r\n" + std::string(fields) + "\r\n" + std::string(body);
}

}  // namespace

TEST_CASE("an echo site sends a body back byte for byte, with Content-Length or chunked",
          "[integration][server][echo-site]") {
  auto config = echo_site();
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  raw_client client(server.port());
  const std::string body = body_bytes(200 * 1024);  // more than one read and one write

  client.send(post(
      "Content-Type: application/x-test\r\nContent-Length: " + std::to_string(body.size()) + "\r\n", body));
  const auto sized = client.read_response();
  CHECK(sized.status == 200);
  CHECK(sized.body.size() == body.size());
  CHECK(sized.body == body);
  CHECK(sized.headers.get("Content-Type") == "application/x-test");
  CHECK(sized.headers.get("Echo-Request-Line") == "POST /up HTTP/1.1");

  client.send(post("Transfer-Encoding: chunked\r\n", chunked(body, 4093)));
  const auto unchunked = client.read_response();
  CHECK(unchunked.status == 200);
  CHECK(unchunked.body == body);
  CHECK(unchunked.headers.get("Content-Length") == std::to_string(body.size()));
  CHECK(unchunked.headers.get("Content-Type") == "application/octet-stream");
  CHECK(unchunked.headers.get("Echo-Field-Transfer-Encoding") == "chunked");

  client.send(post("Content-Length: 0\r\nConnection: close\r\n", ""));
  const auto empty = client.read_response();
  CHECK(empty.status == 200);
  CHECK(empty.body.empty());
  CHECK(empty.headers.get("Connection") == "close");
  CHECK(client.read_until_close().empty());
}

TEST_CASE("pipelined requests to an echo site get their own echoes, in order",
          "[integration][server][echo-site]") {
  auto config = echo_site();
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  raw_client client(server.port());
  const std::string body = body_bytes(3000);
  client.send("GET /one?x=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n" +
              post("Content-Length: " + std::to_string(body.size()) + "\r\n", body) +
              "HEAD /three HTTP/1.1\r\nHost: x\r\n\r\n" +
              "PUT /four HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(body, 1000) +
              "FOO /five HTTP/1.1\r\nHost: x\r\n\r\n"
              "DELETE /six HTTP/1.0\r\nHost: x\r\n\r\n");

  const auto one = client.read_response();
  CHECK(one.status == 200);
  CHECK(one.body == "GET /one?x=1 HTTP/1.1\nHost: x\nAccept: */*\n");
  CHECK(one.headers.get("Content-Type") == "text/plain; charset=utf-8");
  CHECK(client.read_response().body == body);
  const auto three = client.read_response(true);
  CHECK(three.status == 200);
  CHECK(three.body.empty());
  CHECK(three.headers.get("Echo-Request-Line") == "HEAD /three HTTP/1.1");
  CHECK(three.headers.get("Content-Length") ==
        std::to_string(std::string_view("HEAD /three HTTP/1.1\nHost: x\n").size()));
  const auto four = client.read_response();
  CHECK(four.headers.get("Echo-Request-Line") == "PUT /four HTTP/1.1");
  CHECK(four.body == body);
  const auto five = client.read_response();
  CHECK(five.status == 200);
  CHECK(five.body == "FOO /five HTTP/1.1\nHost: x\n");
  const auto six = client.read_response();  // HTTP/1.0 without keep-alive: the last one
  CHECK(six.status == 200);
  CHECK(six.body == "DELETE /six HTTP/1.0\nHost: x\n");
  CHECK(six.headers.get("Connection") == "close");
  CHECK(client.read_until_close().empty());
}

TEST_CASE("an echo site: a client that waits for 100 Continue gets its body back",
          "[integration][server][echo-site]") {
  auto config = echo_site();
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  raw_client client(server.port());
  client.send(post("Expect: 100-continue\r\nContent-Length: 5\r\n", ""));
  CHECK(client.read_response().status == 100);
  client.send("hello");
  const auto res = client.read_response();
  CHECK(res.status == 200);
  CHECK(res.body == "hello");
  CHECK(res.headers.get("Echo-Field-Expect") == "100-continue");
}
