// socketlab-server over real loopback sockets: sites, HEAD, keep-alive, pipelining, errors.
// Every case runs once per serving model: the protocol must not depend on who moves the bytes.
// A case opens one connection at a time (and closes it before the next), except where it says:
// the iterative model serves the next connection only once the current one has closed.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/catch.hpp"
#include "support/each_model.hpp"
#include "support/raw_client.hpp"
#include "support/running_server.hpp"

using namespace socketlab;
using test::raw_client;
using test::running_server;
using namespace std::chrono_literals;

namespace {

server::server_config sites(std::vector<std::string> languages) {
  server::server_config config;
  for (auto& lang : languages)
    config.sites.push_back({0, std::move(lang)});
  return config;
}

}  // namespace

TEST_CASE("each port serves its own site", "[integration][server]") {
  auto config = sites({"en", "fr", "es", "ru", "de"});
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  const std::vector<std::string> expected{
      "Hello, World!\n", "Bonjour, le monde\u202F!\n", "\u00A1Hola, Mundo!\n",
      "\u041F\u0440\u0438\u0432\u0435\u0442, \u043C\u0438\u0440!\n", "Hallo, Welt!\n"};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto res = test::round_trip(server.port(i), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    CHECK(res.status == 200);
    CHECK(res.body == expected[i]);
    CHECK(res.headers.get("Content-Type") == "text/plain; charset=utf-8");
    CHECK(res.headers.get("Content-Length") == std::to_string(expected[i].size()));
    CHECK(res.headers.contains("Date"));
    CHECK(res.headers.contains("Server"));
  }
}

TEST_CASE("HEAD has GET's headers and no body", "[integration][server]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  raw_client client(server.port());
  client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto head = client.read_response(true);
  const auto get = client.read_response();
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.headers.get("Content-Length") == get.headers.get("Content-Length"));
  CHECK(get.body == "Hello, World!\n");  // the GET's bytes came right after HEAD's header
}

TEST_CASE("keep-alive: one connection, many requests", "[integration][server]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  raw_client client(server.port());
  for (int i = 0; i < 5; ++i) {
    client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(client.read_response().status == 200);
  }
  CHECK(server.access_log().size() == 5);
}

TEST_CASE("pipelined requests are answered in order", "[integration][server]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  raw_client client(server.port());
  client.send(
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
      "DELETE / HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(client.read_response().status == 200);
  CHECK(client.read_response().status == 404);
  const auto not_allowed = client.read_response();
  CHECK(not_allowed.status == 405);
  CHECK(not_allowed.headers.get("Allow") == "GET, HEAD");
  const auto last = client.read_response();
  CHECK(last.status == 200);
  CHECK(last.headers.get("Connection") == "close");
  CHECK(client.read_until_close().empty());
}

TEST_CASE("Connection: close and HTTP/1.0 close the connection", "[integration][server]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  SECTION("Connection: close") {
    raw_client client(server.port());
    client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(client.read_response().headers.get("Connection") == "close");
    CHECK(client.closed_within(std::chrono::seconds(5)));
  }
  SECTION("HTTP/1.0") {
    raw_client client(server.port());
    client.send("GET / HTTP/1.0\r\n\r\n");
    CHECK(client.read_response().status == 200);
    CHECK(client.closed_within(std::chrono::seconds(5)));
  }
  SECTION("HTTP/1.0 with keep-alive stays open") {
    raw_client client(server.port());
    client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    CHECK(client.read_response().headers.get("Connection") == "keep-alive");
    client.send("GET / HTTP/1.0\r\n\r\n");
    CHECK(client.read_response().status == 200);
  }
}

TEST_CASE("an unknown method is 501, a known one not allowed is 405", "[integration][server]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  CHECK(test::round_trip(server.port(), "BREW / HTTP/1.1\r\nHost: x\r\n\r\n").status == 501);
  const auto res =
      test::round_trip(server.port(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
  CHECK(res.status == 405);
  CHECK(res.headers.get("Allow") == "GET, HEAD");
}

TEST_CASE("request bodies are read and discarded; the connection goes on", "[integration][server]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  raw_client client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  CHECK(client.read_response().status == 200);
  client.send("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  CHECK(client.read_response().status == 200);
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(client.read_response().body == "Hello, World!\n");
}

TEST_CASE("Expect: 100-continue", "[integration][server]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  SECTION("100 first, then the response once the body is sent") {
    raw_client client(server.port());
    client.send("GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    CHECK(client.read_response().status == 100);
    client.send("body");
    CHECK(client.read_response().status == 200);
  }
  SECTION("413 without 100 when the declared body is too large") {
    raw_client client(server.port());
    client.send("GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1048577\r\n\r\n");
    const auto res = client.read_response();
    CHECK(res.status == 413);
    CHECK(res.headers.get("Connection") == "close");
    CHECK(client.closed_within(std::chrono::seconds(5)));
  }
}

TEST_CASE("malformed requests get their status, Connection: close, and the connection closes",
          "[integration][server]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  struct example {
    const char* what;
    std::string request;
    int status;
  };
  const std::vector<example> examples{
      {"bad request line", "GET /\r\n\r\n", 400},
      {"whitespace before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400},
      {"obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n", 400},
      {"bare CR", "GET / HTTP/1.1\r\nHost: x\rY\r\n\r\n", 400},
      {"missing Host", "GET / HTTP/1.1\r\n\r\n", 400},
      {"duplicate Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"bad Content-Length", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", 400},
      {"duplicate Content-Length",
       "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400},
      {"Content-Length with Transfer-Encoding",
       "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
      {"bad chunk size", "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      {"unsupported transfer coding", "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
       501},
      {"HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505},
      {"request line over 8 KiB", "GET /" + std::string(8200, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414},
      {"header over 32 KiB",
       "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(33 * 1024, 'b') + "\r\n\r\n", 431},
      {"body over 1 MiB", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n", 413},
      {"bare LF ending a field", "GET / HTTP/1.1\r\nHost: x\nX-A: 1\r\n\r\n", 400},
      {"bare LF everywhere (nc without -C)", "GET / HTTP/1.1\nHost: x\n\n", 400},
      {"a byte outside visible ASCII in the target", "GET /caf\xC3\xA9 HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"asterisk form with GET", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"authority form with GET", "GET example.com:80 HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"origin form with CONNECT", "CONNECT / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"Host with userinfo", "GET / HTTP/1.1\r\nHost: user@x\r\n\r\n", 400},
      {"Host with a path", "GET / HTTP/1.1\r\nHost: x/y\r\n\r\n", 400},
      {"Host as a list", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", 400},
      {"empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 400},
  };
  for (const auto& e : examples) {
    CAPTURE(e.what);
    raw_client client(server.port());
    client.send(e.request);
    const auto res = client.read_response();
    CHECK(res.status == e.status);
    CHECK(res.headers.get("Connection") == "close");
    CHECK(client.closed_within(std::chrono::seconds(5)));
  }
}

TEST_CASE(
    "bytes that cannot begin a request (https:// to an HTTP port) get 400 at once, not at the "
    "header timeout",
    "[integration][server]") {
  server::server_config config;
  config.timeouts.header = std::chrono::minutes(5);  // what the old behaviour would have waited
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  raw_client client(server.port());
  // The first bytes of a TLS 1.2/1.3 ClientHello: a handshake record (0x16), version 3.1, its
  // length, then ClientHello (0x01). No line end will ever come.
  client.send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));
  const auto res = client.read_response(false, 5s);
  CHECK(res.status == 400);
  CHECK(res.headers.get("Connection") == "close");
  CHECK(client.closed_within(5s));
}

TEST_CASE("101 header fields are too many (431); 100 are fine", "[integration][server]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  auto request_with = [](int fields) {
    std::string r = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (int i = 1; i < fields; ++i)
      r += "X-F" + std::to_string(i) + ": v\r\n";
    return r + "\r\n";
  };
  CHECK(test::round_trip(server.port(), request_with(100)).status == 200);
  CHECK(test::round_trip(server.port(), request_with(101)).status == 431);
}

TEST_CASE("configured limits apply", "[integration][server]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  config.limits.max_body = 10;
  config.limits.max_start_line = 64;
  running_server server(config);
  CHECK(test::round_trip(server.port(), "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789")
            .status == 200);
  CHECK(test::round_trip(server.port(), "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n01234567890")
            .status == 413);
  CHECK(test::round_trip(server.port(), "GET /" + std::string(70, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n")
            .status == 414);
}

TEST_CASE("the access log has one Common Log Format line per response", "[integration][server]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  (void)test::round_trip(server.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  (void)test::round_trip(server.port(), "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto log = server.access_log();
  REQUIRE(log.size() == 2);
  CHECK_THAT(
      log[0],
      Catch::Matchers::Matches(
          R"(127\.0\.0\.1 - - \[\d\d/\w\w\w/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET / HTTP/1\.1" 200 14\n)"));
  CHECK_THAT(log[1], test::contains("\"GET /nope HTTP/1.1\" 404 "));
}

TEST_CASE("many clients at once are all served", "[integration][server]") {
  // 8 clients, 50 requests each. A client opens a new connection when the server ends one
  // with `Connection: close`, as a thread pool does to hand its thread to a waiting client.
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  if (config.model == server::serving_model::async || config.model == server::serving_model::thread_pool) {
    config.threads = 4;
  }
  running_server server(config);
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  std::atomic<int> connections{0};
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      std::unique_ptr<raw_client> client;
      for (int i = 0; i < 50; ++i) {
        if (!client) {
          client = std::make_unique<raw_client>(server.port());
          ++connections;
        }
        client->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto res = client->read_response(false, 20s);
        if (res.status == 200) ++ok;
        if (res.headers.get("Connection") == "close") client.reset();
      }
    });
  }
  for (auto& c : clients)
    c.join();
  CHECK(ok == 400);
  CHECK(server.access_log().size() == 400);
  if (config.model != server::serving_model::thread_pool) CHECK(connections == 8);  // kept alive throughout
}

TEST_CASE("IPv6 loopback works", "[integration][server]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  const auto server = test::start_on_ipv6_loopback(config);
  if (!server) return;
  raw_client client(server->port(), "::1");
  client.send("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n");
  CHECK(client.read_response().status == 200);
  CHECK_THAT(server->access_log().at(0), test::contains("::1 - - ["));
}
