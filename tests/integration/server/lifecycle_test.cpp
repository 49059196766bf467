// Deadlines and graceful shutdown over real sockets, with short configured timeouts, for every
// serving model: a blocking model must keep the deadlines too (a slow client must not hold the
// iterative server forever), and stop as cleanly.
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "support/catch.hpp"
#include "support/each_model.hpp"
#include "support/raw_client.hpp"
#include "support/running_server.hpp"

using namespace socketlab;
using namespace std::chrono_literals;
using test::raw_client;
using test::running_server;

namespace {

/// Timeouts of 300 ms; @p model serves.
server::server_config short_timeouts(server::serving_model model) {
  server::server_config config;
  config.model = model;
  config.timeouts.header = 300ms;
  config.timeouts.idle = 300ms;
  config.timeouts.body = 300ms;
  return config;
}

}  // namespace

TEST_CASE("a header that does not arrive in time gets 408 and a close", "[integration][server][timeout]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(short_timeouts(config.model));
  raw_client client(server.port());
  const auto start = std::chrono::steady_clock::now();
  client.send("GET / HTTP/1.1\r\nHost: x\r\n");  // no blank line: the header never ends
  const auto res = client.read_response(false, 5s);
  CHECK(res.status == 408);
  CHECK(res.headers.get("Connection") == "close");
  CHECK(std::chrono::steady_clock::now() - start >= 250ms);
  CHECK(client.closed_within(5s));
}

TEST_CASE("a slow client that keeps trickling bytes still hits the header deadline",
          "[integration][server][timeout]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(short_timeouts(config.model));
  raw_client client(server.port());
  const auto start = std::chrono::steady_clock::now();
  client.send("GET / HTTP/1.1\r\n");
  // A field line every 100 ms: a deadline that each read pushed back (300 ms per read) would
  // never pass, so the loop would run out. The header deadline counts from the first byte.
  for (int i = 0; i < 30; ++i) {
    client.send("X-Slow: 1\r\n");
    try {
      const auto res = client.read_response(false, 100ms);
      CHECK(res.status == 408);
      CHECK(std::chrono::steady_clock::now() - start < 2s);
      return;
    } catch (const std::runtime_error&) {
      // nothing yet: trickle on
    }
  }
  FAIL("no 408 although the header kept trickling for 3 s");
}

TEST_CASE("a body that stops arriving gets 408", "[integration][server][timeout]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(short_timeouts(config.model));
  raw_client client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  CHECK(client.read_response(false, 5s).status == 408);
}

TEST_CASE("an idle kept-alive connection is closed without a response", "[integration][server][timeout]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(short_timeouts(config.model));
  raw_client client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(client.read_response().status == 200);
  CHECK(client.read_until_close(5s).empty());
}

TEST_CASE("a connection that never sends is closed without a response", "[integration][server][timeout]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(short_timeouts(config.model));
  raw_client client(server.port());
  CHECK(client.read_until_close(5s).empty());
}

TEST_CASE("each connection keeps its own deadline: idle and silent ones close, a busy one stays",
          "[integration][server][timeout]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_CONCURRENT_MODEL(config);
  config = short_timeouts(config.model);
  config.threads = GENERATE(1, 2);  // async: one event-loop thread, or two with a strand each
  INFO("threads: " << config.threads);
  running_server server(config);
  raw_client idle(server.port());
  idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(idle.read_response().status == 200);  // then nothing: the idle timeout (300 ms) runs
  raw_client silent(server.port());           // sends nothing: its header is due in 300 ms
  raw_client busy(server.port());
  // A request every 100 ms for 1.2 s: each answer starts its idle time afresh, so it never runs
  // out, while the other two run out beside it.
  for (int i = 0; i < 12; ++i) {
    busy.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto res = busy.read_response();
    REQUIRE(res.status == 200);
    CHECK(res.headers.get("Connection") != "close");
    std::this_thread::sleep_for(100ms);  // the client's pace: the time between requests is the test
  }
  CHECK(idle.closed_within(100ms));  // long closed (300 ms after its answer)
  CHECK(silent.closed_within(100ms));
  busy.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(busy.read_response().status == 200);
}

namespace {

/// A connection that has had its response and is now idle, kept alive.
std::unique_ptr<raw_client> idle_connection(const running_server& server) {
  auto idle = std::make_unique<raw_client>(server.port());
  idle->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(idle->read_response().status == 200);
  return idle;
}

/// A connection in the middle of a request. The 100 Continue tells us the server has read the
/// header and now waits for the body: a request under way, for sure, when stop() comes.
std::unique_ptr<raw_client> request_under_way(const running_server& server) {
  auto busy = std::make_unique<raw_client>(server.port());
  busy->send("GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  CHECK(busy->read_response().status == 100);
  return busy;
}

/// After stop(): the server still serves @p busy; it answers the rest of the request with
/// `Connection: close`, closes, and the server ends.
void finish_request_under_way(raw_client& busy, running_server& server) {
  CHECK_FALSE(server.finished_within(0ms));  // still serving the busy connection
  busy.send("body");                         // the rest of the request
  const auto res = busy.read_response();
  CHECK(res.status == 200);
  CHECK(res.headers.get("Connection") == "close");
  CHECK(busy.closed_within(5s));
  CHECK(server.finished_within(5s));
  CHECK_THROWS(raw_client(server.port()));  // nobody is listening any more
}

}  // namespace

TEST_CASE("stop: an idle kept-alive connection closes, and nobody is listening any more",
          "[integration][server][shutdown]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  const auto idle = idle_connection(server);
  server.stop();
  CHECK(idle->closed_within(5s));
  CHECK(server.finished_within(5s));
  CHECK_THROWS(raw_client(server.port()));
}

TEST_CASE("stop: a request under way is answered, with Connection: close, before the server ends",
          "[integration][server][shutdown]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  const auto busy = request_under_way(server);
  server.stop();
  finish_request_under_way(*busy, server);
}

TEST_CASE("stop: idle connections close while another's request is finished",
          "[integration][server][shutdown]") {
  // Two connections at once: every model but the iterative one, which serves one at a time.
  server::server_config config;
  SOCKETLAB_FOR_EACH_CONCURRENT_MODEL(config);
  running_server server(config);
  const auto idle = idle_connection(server);
  const auto busy = request_under_way(server);
  server.stop();
  CHECK(idle->closed_within(5s));
  finish_request_under_way(*busy, server);
}

TEST_CASE(
    "a request sent with the client's FIN right behind it is answered, and the connection closed "
    "at once, not at the idle timeout",
    "[integration][server][timeout]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  config.timeouts.idle = 60s;  // what a connection missing the FIN would wait for
  running_server server(config);
  // The FIN comes with the first request, or with a kept-alive connection's second (its first
  // wait after an answer re-arms, and asks epoll to flag a FIN, on Linux) or third (the wait
  // before it did not re-arm: the report of the second request said no FIN had come).
  const int answered_before = GENERATE(0, 1, 2);
  raw_client client(server.port());
  for (int i = 0; i < answered_before; ++i) {
    client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(client.read_response().status == 200);
  }
  // Bytes and FIN in one go, as `printf ... | nc -N` sends them: the server's read takes the
  // request, fewer bytes than it asked for, and the end of the stream waits behind them, with
  // no report of its own from edge-triggered epoll.
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  client.shutdown_send();
  CHECK(client.read_response().status == 200);
  CHECK(client.closed_within(10s));
}
