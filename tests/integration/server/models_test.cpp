// What tells the serving models apart, over real loopback sockets: the iterative model's
// queue, the --max-connections guard, a pool handing its threads back, and --work-ms.
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "server/models/driver.hpp"
#include "socketlab/net/tcp_listener.hpp"
#include "support/catch.hpp"
#include "support/each_model.hpp"
#include "support/raw_client.hpp"
#include "support/running_server.hpp"

using namespace socketlab;
using namespace std::chrono_literals;
using test::raw_client;
using test::running_server;

namespace {

/// "GET /PATH HTTP/1.1" and Connection: close: one request, then the connection ends.
std::string get_and_close(const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
}

/// The request paths of the access log, in order: "/a" from "... \"GET /a HTTP/1.1\" 404 10".
std::vector<std::string> logged_paths(const running_server& server) {
  std::vector<std::string> paths;
  for (const auto& line : server.access_log()) {
    const auto start = line.find("\"GET ");
    if (start == std::string::npos) continue;
    paths.push_back(line.substr(start + 5, line.find(' ', start + 5) - start - 5));
  }
  return paths;
}

}  // namespace

TEST_CASE("iterative: clients queued behind a connection are served in the order they arrived",
          "[integration][server][models]") {
  server::server_config config;
  config.model = server::serving_model::iterative;
  config.backlog = 4;
  running_server server(config);

  raw_client first(server.port());
  first.send("GET /a HTTP/1.1\r\nHost: x\r\n");  // half a request: the server waits for the rest
  std::vector<std::unique_ptr<raw_client>> queued;
  for (const char* path : {"/b", "/c", "/d"}) {
    queued.push_back(std::make_unique<raw_client>(server.port()));  // the system completes the handshake
    queued.back()->send(get_and_close(path));
  }
  // One connection at a time: nobody behind the first is answered while it is served.
  CHECK_THROWS_AS(queued.front()->read_response(false, 300ms), std::runtime_error);
  CHECK(server.access_log().empty());

  first.send("Connection: close\r\n\r\n");
  CHECK(first.read_response().status == 404);
  for (auto& client : queued)
    CHECK(client->read_response().status == 404);
  CHECK(logged_paths(server) == std::vector<std::string>{"/a", "/b", "/c", "/d"});
}

TEST_CASE("iterative: a client that sends nothing holds the server only until the header deadline",
          "[integration][server][models][timeout]") {
  server::server_config config;
  config.model = server::serving_model::iterative;
  config.timeouts.header = 300ms;
  running_server server(config);
  raw_client silent(server.port());
  raw_client next(server.port());
  next.send(get_and_close("/"));
  const auto start = std::chrono::steady_clock::now();
  CHECK(next.read_response(false, 5s).status == 200);
  CHECK(std::chrono::steady_clock::now() - start >= 250ms);  // it waited for the silent one's deadline
  CHECK(silent.read_until_close(5s).empty());                // which was closed without a word
}

TEST_CASE("--defer-accept: a client that sends nothing is not accepted, so it holds up no one (Linux)",
          "[integration][server][models][defer-accept]") {
  server::server_config config;
  config.model = server::serving_model::iterative;  // where a silent client would hold up the rest
  config.defer_accept = true;
#if defined(__linux__)
  running_server server(config);
  raw_client silent(server.port());  // the handshake is answered; the kernel keeps it from accept()
  raw_client next(server.port());
  next.send(get_and_close("/"));
  CHECK(next.read_response(false, 500ms).status == 200);  // served at once: the header timeout is 10 s
  silent.send(get_and_close("/"));                        // its first bytes: now it is accepted, and served
  CHECK(silent.read_response(false, 5s).status == 200);
#else
  CHECK_THROWS_AS(running_server(config), std::invalid_argument);  // one line: not on this system
#endif
}

TEST_CASE("past --max-connections a client gets 503 with Retry-After and is closed",
          "[integration][server][models]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_CONCURRENT_MODEL(config);
  config.max_connections = 2;
  running_server server(config);

  std::vector<std::unique_ptr<raw_client>> held;
  for (int i = 0; i < 2; ++i) {
    held.push_back(std::make_unique<raw_client>(server.port()));
    held.back()->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(held.back()->read_response().status == 200);  // served, and kept alive
  }

  raw_client third(server.port());
  const auto refused = third.read_response();
  CHECK(refused.status == 503);
  CHECK(refused.headers.get("Retry-After") == "1");
  CHECK(refused.headers.get("Connection") == "close");
  CHECK_THAT(refused.body, test::contains("maximum of 2 connections"));
  CHECK(third.closed_within(5s));
  CHECK_THAT(server.access_log().back(), test::contains("\"-\" 503 "));

  // Once a connection closes, there is room again: the next clients are refused (503) only
  // until the server has counted that close.
  held.front().reset();
  int status = 0;
  for (int attempt = 0; attempt < 200 && status != 200; ++attempt) {
    status = test::round_trip(server.port(), get_and_close("/")).status;
    CHECK((status == 200 || status == 503));
  }
  CHECK(status == 200);
}

TEST_CASE("thread-pool: when clients wait for a thread, a kept-alive connection hands its thread back",
          "[integration][server][models]") {
  server::server_config config;
  config.model = server::serving_model::thread_pool;
  config.threads = 1;
  running_server server(config);

  raw_client first(server.port());
  first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto res = first.read_response();
  CHECK(res.status == 200);
  CHECK_FALSE(res.headers.contains("Connection"));  // nobody waits: kept alive

  raw_client second(server.port());  // queued: the only thread serves `first`
  second.send(get_and_close("/second"));
  // The accepting thread queues `second` soon; from then on, first's next response is its last.
  int requests = 0;
  while (!res.headers.contains("Connection") && requests < 1000) {
    first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    res = first.read_response();
    ++requests;
  }
  CHECK(res.status == 200);
  CHECK(res.headers.get("Connection") == "close");
  CHECK(first.closed_within(5s));
  CHECK(second.read_response().status == 404);  // and the thread went to the one waiting
}

TEST_CASE("--work-ms delays each response; the iterative model makes the next client wait as well",
          "[integration][server][models]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  config.sites.push_back({0, "en", 150ms});
  running_server server(config);

  const auto start = std::chrono::steady_clock::now();
  raw_client a(server.port());
  raw_client b(server.port());
  a.send(get_and_close("/"));
  b.send(get_and_close("/"));
  CHECK(a.read_response().status == 200);
  const auto a_done = std::chrono::steady_clock::now() - start;
  CHECK(b.read_response().status == 200);
  const auto b_done = std::chrono::steady_clock::now() - start;
  CHECK(a_done >= 150ms);
  CHECK(b_done >= 150ms);
  // One connection at a time: b's work starts when a's has ended. (How much sooner the other
  // models are is for scripts/compare-models.sh to measure, not for a test.)
  if (config.model == server::serving_model::iterative) CHECK(b_done >= 300ms);
}

TEST_CASE("stop during --work-ms: the waiting response goes out at once, with Connection: close",
          "[integration][server][models][shutdown]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  config.sites.push_back({0, "en", 60s});  // far longer than the test: only the stop ends it
  running_server server(config);
  raw_client client(server.port());
  const auto start = std::chrono::steady_clock::now();
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");  // kept alive, as far as the client knows
  // The access-log line is written once the response is ready, before its work: then the
  // server is waiting for sure.
  while (server.access_log().empty() && std::chrono::steady_clock::now() - start < 10s)
    std::this_thread::sleep_for(1ms);
  REQUIRE(server.access_log().size() == 1);
  server.stop();
  const auto res = client.read_response(false, 10s);
  CHECK(res.status == 200);
  CHECK(res.headers.get("Connection") == "close");
  CHECK(client.closed_within(5s));
  CHECK(server.finished_within(5s));
}

TEST_CASE("thread-pool: an idle kept-alive connection gives its thread to a client waiting for one",
          "[integration][server][models]") {
  server::server_config config;
  config.model = server::serving_model::thread_pool;
  config.threads = 1;
  config.timeouts.idle = 60s;  // were the idle connection kept until its timeout, the test would fail
  running_server server(config);

  raw_client idle(server.port());
  idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(idle.read_response().status == 200);  // now idle, holding the only thread

  raw_client waiting(server.port());
  waiting.send(get_and_close("/waiting"));
  CHECK(waiting.read_response(false, 10s).status == 404);
  CHECK(idle.read_until_close(5s).empty());  // closed between requests, without a word
}

TEST_CASE("iterative: a busy port does not starve another", "[integration][server][models]") {
  // Clients keep the first port's queue full; the one thread still takes the second port's turn.
  server::server_config config;
  config.model = server::serving_model::iterative;
  config.sites = {{0, "en", 5ms}, {0, "fr"}};
  running_server server(config);
  std::atomic<bool> done{false};
  std::vector<std::thread> busy;
  for (int i = 0; i < 3; ++i) {
    busy.emplace_back([&] {
      while (!done)
        (void)test::round_trip(server.port(0), get_and_close("/"));
    });
  }
  const auto res = test::round_trip(server.port(1), get_and_close("/"));
  done = true;
  for (auto& b : busy)
    b.join();
  CHECK(res.status == 200);
  CHECK(res.body == "Bonjour, le monde\u202F!\n");
}

TEST_CASE(
    "an exception while serving a connection ends that connection only: its place is free, a stop returns",
    "[integration][server][models]") {
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  config.max_connections = 1;
  config.verbose = true;
  // The console fails while printing the request of /boom (out of memory would do the same): an
  // exception in the middle of serving, that the connection's code does not catch itself.
  config.console = [](std::string_view text) {
    if (text.find("GET /boom ") != std::string_view::npos) throw std::runtime_error("the console broke");
  };
  running_server server(config);
  {
    raw_client doomed(server.port());
    doomed.send(get_and_close("/boom"));
    CHECK(doomed.read_until_close().empty());  // no answer: the connection just ends
  }
  // The one --max-connections place was given back: the next client is served, not sent a 503.
  // (The server counts a closed connection out just after closing it: a 503 may still come for a
  // moment, so the client tries again until the place is free, or the test fails on its deadline.)
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  int status = 0;
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    raw_client next(server.port());
    next.send(get_and_close("/"));
    status = next.read_response().status;
  }
  CHECK(status == 200);
  server.stop();
  CHECK(server.finished_within(5s));
  CHECK_THAT(server.console(), test::contains("socketlab-server: connection: the console broke"));
}

TEST_CASE("a model's driver destroyed without stop() and join() ends its threads, not the process",
          "[integration][server][models]") {
  // http_server always stops and joins its driver; an exception on the way (a thread that would
  // not start, say) could skip that, and a joinable std::thread destroyed ends the process.
  server::server_config config;
  SOCKETLAB_FOR_EACH_MODEL(config);
  asio::io_context io;
  net::tcp_listener listener(io.get_executor());
  REQUIRE_FALSE(listener.listen({asio::ip::make_address("127.0.0.1"), 0}, 5));
  const auto site = server::make_site("en");
  {
    const auto driver = server::make_driver(io, config);
    driver->serve({site.get(), &listener, {}});
    driver->start();
    raw_client client(listener.local_endpoint().port());  // a connection under way, too
    client.send(get_and_close("/"));
    if (config.model != server::serving_model::async) CHECK(client.read_response().status == 200);
  }  // destroyed here: a crash (std::terminate) would end the test run
  // A blocking model's accepting thread closes its listeners as it ends.
  if (config.model != server::serving_model::async) CHECK_FALSE(listener.acceptor().is_open());
}
