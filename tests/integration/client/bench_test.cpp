// socketlab-client bench against real servers: every request counted once (checked against the
// server's access log), wrk's report shape, non-2xx and socket errors by kind, JSON, no server.
#include "client/bench/bench.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <future>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "client/console.hpp"
#include "support/catch.hpp"
#include "support/client_run.hpp"
#include "support/running_server.hpp"
#include "support/scripted_server.hpp"
#include "support/unused_port.hpp"

using namespace socketlab;
using namespace std::chrono_literals;
using test::client_run;
using test::run_client;
using test::running_server;
using test::scripted_server;

using socketlab::test::unused_port;

namespace {

/// Runs `socketlab-client bench ARGS...`, failing the test if it does not return within @p limit.
client_run bench(std::vector<std::string> args, std::chrono::seconds limit = 10s) {
  args.insert(args.begin(), "bench");
  return test::run_client_within(std::move(args), limit);
}

std::string url_of(const running_server& server, std::string_view path = "/") {
  return "http://127.0.0.1:" + std::to_string(server.port()) + std::string(path);
}

/// Stops @p server, waits until its thread is done, and returns its access log: complete,
/// since no connection can add a line any more.
std::vector<std::string> final_access_log(running_server& server) {
  server.stop();
  REQUIRE(server.finished_within(5s));
  return server.access_log();
}

/// How many access-log lines have status @p status ("... \"GET / HTTP/1.1\" 200 14").
std::uint64_t lines_with_status(const std::vector<std::string>& log, int status) {
  const std::string needle = "\" " + std::to_string(status) + " ";
  return static_cast<std::uint64_t>(std::count_if(
      log.begin(), log.end(), [&](const std::string& l) { return l.find(needle) != std::string::npos; }));
}

/// N of the report's "  N requests in 301.20ms, 1.23MB read" line.
std::uint64_t report_requests(const std::string& report) {
  std::smatch m;
  REQUIRE(std::regex_search(report, m, std::regex(R"((?:^|\n)  (\d+) requests in [\d.]+(?:us|ms|s), )")));
  return std::stoull(m[1]);
}

/// The text of the value of the first "key" in @p json (a number, or an object up to its "}").
std::string json_value(const std::string& json, std::string_view key) {
  const std::string quoted = "\"" + std::string(key) + "\": ";
  const auto at = json.find(quoted);
  REQUIRE(at != std::string::npos);
  const auto begin = at + quoted.size();
  const auto end = json[begin] == '{' ? json.find('}', begin) + 1 : json.find_first_of(",}\n", begin);
  return json.substr(begin, end - begin);
}

/// The number that is the value of "key" in @p json; in @p object first when given ("errors").
double json_number(const std::string& json, std::string_view key, std::string_view object = {}) {
  const std::string where = object.empty() ? json : json_value(json, object);
  const std::string text = json_value(where, key);
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  INFO("\"" << key << "\": " << text);
  REQUIRE(end == text.c_str() + text.size());
  return value;
}

/// json_number() as a count.
std::uint64_t json_count(const std::string& json, std::string_view key, std::string_view object = {}) {
  return static_cast<std::uint64_t>(json_number(json, key, object));
}

/// Whether braces and brackets nest properly outside strings, and strings are closed: the
/// mistakes a hand-written JSON printer makes.
bool json_nests(const std::string& json) {
  std::string open;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') open += c;
    if (c == '}' || c == ']') {
      if (open.empty() || open.back() != (c == '}' ? '{' : '[')) return false;
      open.pop_back();
    }
  }
  return open.empty() && !in_string;
}

/// A scripted_server script: reads the request and never answers, until the client closes.
void never_answer(asio::ip::tcp::socket& socket) {
  (void)scripted_server::read_head(socket);
  scripted_server::drain_until_close(socket);
}

}  // namespace

TEST_CASE("bench counts every request the server answered exactly once", "[integration][client][bench]") {
  running_server server;
  const auto text = bench({"-c", "4", "-d", "0.3", url_of(server)});
  const auto json = bench({"-c", "4", "-d", "0.3", "--json", url_of(server)});
  const auto log = final_access_log(server);
  REQUIRE(text.status == 0);
  REQUIRE(json.status == 0);

  const auto in_text = report_requests(text.out);
  const auto in_json = json_count(json.out, "requests");
  CHECK(in_text > 0);
  CHECK(in_json > 0);
  CHECK(in_text + in_json == log.size());
  CHECK(lines_with_status(log, 200) == log.size());

  // Every response of a keep-alive run is the same bytes, so their total is a multiple of the count.
  const auto bytes = json_count(json.out, "bytes_read");
  CHECK(bytes % in_json == 0);
  CHECK(bytes / in_json > 14);  // a head and the 14-byte body
  CHECK(json_count(json.out, "2xx", "status") == in_json);
  // Keep-alive: the four connections are opened once and reused; the server never closes them.
  CHECK(json_count(json.out, "connections_opened") == 4);
}

TEST_CASE("bench --no-keepalive opens a connection per request and counts each once",
          "[integration][client][bench]") {
  running_server server;
  const auto run = bench({"-c", "4", "-d", "0.3", "--no-keepalive", "--json", url_of(server)});
  const auto log = final_access_log(server);
  REQUIRE(run.status == 0);
  const auto requests = json_count(run.out, "requests");
  CHECK(requests > 0);
  CHECK(requests == log.size());
  CHECK(json_value(run.out, "keepalive") == "false");
  // One request per connection. A connection that completes just as the run ends carries none,
  // so there may be a few more connections than requests, never fewer, never one per connection more.
  const auto opened = json_count(run.out, "connections_opened");
  CHECK(opened >= requests);
  CHECK(opened <= requests + 4);
  CHECK(json_count(run.out, "read", "errors") == 0);
}

TEST_CASE("bench -t 2 -c 4 spreads the connections over two threads and counts them all",
          "[integration][client][bench]") {
  running_server server;
  const auto run = bench({"-t", "2", "-c", "4", "-d", "0.3", url_of(server)});
  const auto log = final_access_log(server);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.out, test::contains("\n  2 threads and 4 connections\n"));
  const auto requests = report_requests(run.out);
  CHECK(requests > 0);
  CHECK(requests == log.size());
}

TEST_CASE("bench reports in wrk's shape", "[integration][client][bench]") {
  running_server server;
  const std::string url = url_of(server);
  const auto run = bench({"-c", "4", "-d", "0.3", url});
  REQUIRE(run.status == 0);
  const std::string& out = run.out;
  INFO(out);

  CHECK(out.starts_with("Running 0.3s test @ " + url + "\n"));
  CHECK_THAT(out, test::contains("\n  1 threads and 4 connections\n"));
  CHECK_THAT(out, test::contains("\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"));
  CHECK(std::regex_search(
      out, std::regex(R"(\n    Latency +[\d.]+(us|ms|s) +[\d.]+(us|ms|s) +[\d.]+(us|ms|s) +[\d.]+%\n)")));
  CHECK_THAT(out, test::contains("\n  Latency Distribution\n"));
  // The percentiles, in this order, one per line.
  std::size_t from = out.find("Latency Distribution");
  for (const char* p : {"50", "75", "90", "99", "99.9"}) {
    const std::regex line("\\n +" + std::regex_replace(std::string(p), std::regex("\\."), "\\.") +
                          "% +[\\d.]+(us|ms|s)\\n");
    std::smatch m;
    const std::string rest = out.substr(from);
    INFO("percentile " << p);
    REQUIRE(std::regex_search(rest, m, line));
    from += static_cast<std::size_t>(m.position(0)) + 1;
  }
  CHECK(std::regex_search(out, std::regex(R"(\n  \d+ requests in [\d.]+(us|ms|s), [\d.]+[KMGTP]?B read\n)")));
  CHECK(std::regex_search(out, std::regex(R"(\nRequests/sec: +[\d.]+\n)")));
  CHECK(std::regex_search(out, std::regex(R"(\nTransfer/sec: +[\d.]+[KMGTP]?B\n$)")));
  CHECK(out.find("Socket errors") == std::string::npos);
  CHECK(out.find("Non-2xx") == std::string::npos);
  // The live progress line is for terminals only; a pipe or a file gets nothing.
  if (!client::console::stderr_is_terminal()) CHECK(run.err.empty());
}

TEST_CASE("bench counts responses outside 2xx and 3xx", "[integration][client][bench]") {
  running_server server;
  const auto text = bench({"-c", "2", "-d", "0.3", url_of(server, "/missing")});
  const auto json = bench({"-c", "2", "-d", "0.3", "--json", url_of(server, "/missing")});
  const auto log = final_access_log(server);
  REQUIRE(text.status == 0);
  REQUIRE(json.status == 0);

  const auto requests = report_requests(text.out);
  CHECK(requests > 0);
  CHECK_THAT(text.out, test::contains("\n  Non-2xx or 3xx responses: " + std::to_string(requests) + "\n"));
  CHECK(json_count(json.out, "non_2xx_3xx") == json_count(json.out, "requests"));
  CHECK(json_count(json.out, "4xx", "status") == json_count(json.out, "requests"));
  CHECK(json_count(json.out, "2xx", "status") == 0);
  CHECK(lines_with_status(log, 404) == log.size());
  CHECK(requests + json_count(json.out, "requests") == log.size());
}

TEST_CASE("bench counts a server that never answers as timeout errors", "[integration][client][bench]") {
  scripted_server server(never_answer);
  const auto run = bench({"-c", "2", "-d", "0.5", "--timeout", "0.1", "--json", server.url()});
  REQUIRE(run.status == 0);
  INFO(run.out);
  // About 0.5 / 0.1 per connection; at least one each, whatever the machine's load.
  CHECK(json_count(run.out, "timeout", "errors") >= 2);
  CHECK(json_count(run.out, "read", "errors") == 0);
  CHECK(json_count(run.out, "write", "errors") == 0);
  CHECK(json_count(run.out, "connect", "errors") == 0);
  CHECK(json_count(run.out, "requests") == 0);

  const auto text = bench({"-c", "1", "-d", "0.3", "--timeout", "0.1", server.url()});
  REQUIRE(text.status == 0);
  CHECK(std::regex_search(
      text.out, std::regex(R"(\n  Socket errors: connect 0, read 0, write 0, timeout [1-9]\d*\n)")));
}

TEST_CASE("bench counts a response cut short as a read error", "[integration][client][bench]") {
  scripted_server server([](asio::ip::tcp::socket& socket) {
    if (scripted_server::read_head(socket).empty()) return;  // the probe, or a connection dropped at the end
    scripted_server::write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly half of it");
  });
  const auto run = bench({"-c", "2", "-d", "0.3", "--json", server.url()});
  REQUIRE(run.status == 0);
  INFO(run.out);
  CHECK(json_count(run.out, "read", "errors") > 0);
  CHECK(json_count(run.out, "timeout", "errors") == 0);
  CHECK(json_count(run.out, "requests") == 0);

  const auto text = bench({"-c", "1", "-d", "0.2", server.url()});
  REQUIRE(text.status == 0);
  CHECK(std::regex_search(
      text.out, std::regex(R"(\n  Socket errors: connect 0, read [1-9]\d*, write 0, timeout 0\n)")));
}

TEST_CASE("bench counts connections refused after the probe as connect errors",
          "[integration][client][bench]") {
  // A listener that takes one connection (bench's probe) and goes away, like a server that stops.
  asio::io_context ioc;
  asio::ip::tcp::acceptor listener(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = listener.local_endpoint().port();
  const std::jthread once([&] {
    std::error_code ec;
    const asio::ip::tcp::socket probe = listener.accept(ec);
    listener.close(ec);
  });
  const auto run =
      bench({"-c", "2", "-d", "0.2", "--json", "http://127.0.0.1:" + std::to_string(port) + "/"});
  REQUIRE(run.status == 0);
  INFO(run.out);
  // Every reconnection is refused for the rest of the run. A connection that slipped into the
  // listen queue before the close is reset instead, and ends in an error of its own: a write error
  // if the reset came before the request was sent, else a read error.
  CHECK(json_count(run.out, "connect", "errors") > 0);
  CHECK(json_count(run.out, "timeout", "errors") == 0);
  CHECK(json_count(run.out, "requests") == 0);
  CHECK(json_count(run.out, "connections_opened") <=
        json_count(run.out, "read", "errors") + json_count(run.out, "write", "errors"));
}

TEST_CASE("bench counts a response whose body ends at the close as a request and not an error",
          "[integration][client][bench]") {
  std::atomic<std::uint64_t> answered{0};
  const auto run = [&] {
    scripted_server server([&](asio::ip::tcp::socket& socket) {
      if (scripted_server::read_head(socket).empty()) return;
      scripted_server::write(socket,
                             "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nno length: read until the close");
      ++answered;
    });
    return bench({"-c", "2", "-d", "0.3", "--json", server.url()});
  }();  // the server is gone: every script has returned
  REQUIRE(run.status == 0);
  INFO(run.out);
  CHECK(json_count(run.out, "requests") > 0);
  CHECK(json_count(run.out, "requests") == answered.load());
  CHECK(json_count(run.out, "read", "errors") == 0);
  CHECK(json_count(run.out, "connections_opened") >= json_count(run.out, "requests"));
}

TEST_CASE("bench with nothing listening says so in one line and starts no load",
          "[integration][client][bench]") {
  const unused_port nothing;
  const auto started = std::chrono::steady_clock::now();
  const auto run = bench({"-d", "10", "http://127.0.0.1:" + std::to_string(nothing.port()) + "/"});
  CHECK(std::chrono::steady_clock::now() - started < 5s);  // not the 10 s of load
  CHECK(run.status == 7);
  CHECK(run.out.empty());
  CHECK(run.err == "socketlab-client: nothing is listening on 127.0.0.1:" + std::to_string(nothing.port()) +
                       " \xe2\x80\x94 is the server running?\n");
}

TEST_CASE("bench --json prints one well-formed object with every key", "[integration][client][bench]") {
  running_server server;
  const std::string url = url_of(server);
  const auto run = bench({"-c", "2", "-d", "0.3", "--json", url});
  REQUIRE(run.status == 0);
  const std::string& json = run.out;
  INFO(json);
  CHECK(json.starts_with("{"));
  CHECK(json.ends_with("}\n"));
  CHECK(json_nests(json));
  CHECK(json_value(json, "url") == "\"" + url + "\"");
  CHECK(json_number(json, "threads") == 1);
  CHECK(json_number(json, "connections") == 2);
  CHECK(json_value(json, "keepalive") == "true");
  CHECK(json_value(json, "duration_s") == "0.300");

  const auto requests = json_number(json, "requests");
  const auto late = json_number(json, "late");
  const auto elapsed = json_number(json, "elapsed_s");
  CHECK(requests > 0);
  CHECK(late <= 2);  // at most one request under way per connection when the duration ended
  CHECK(elapsed >= 0.3);
  CHECK(json_number(json, "drained_s") >= 0);
  // The rates count what completed within the duration (the printed figures are rounded).
  const auto close_to = [](double a, double b) { return std::abs(a - b) <= 0.00001 * b + 0.01; };
  CHECK(close_to(json_number(json, "requests_per_sec"), (requests - late) / elapsed));
  CHECK(close_to(json_number(json, "bytes_per_sec"),
                 (json_number(json, "bytes_read") - json_number(json, "late_bytes")) / elapsed));

  // Latency: ordered as percentiles must be, within [min, max].
  const std::vector<double> ordered = {
      json_number(json, "min", "latency_us"), json_number(json, "p50", "latency_us"),
      json_number(json, "p75", "latency_us"), json_number(json, "p90", "latency_us"),
      json_number(json, "p99", "latency_us"), json_number(json, "p99_9", "latency_us"),
      json_number(json, "max", "latency_us")};
  CHECK(std::is_sorted(ordered.begin(), ordered.end()));
  CHECK(ordered.front() > 0);
  const auto mean = json_number(json, "mean", "latency_us");
  CHECK(mean >= ordered.front());
  CHECK(mean <= ordered.back());
  CHECK(json_number(json, "stdev", "latency_us") >= 0);

  std::uint64_t by_class = 0;
  for (const char* c : {"1xx", "2xx", "3xx", "4xx", "5xx"})
    by_class += json_count(json, c, "status");
  CHECK(by_class == static_cast<std::uint64_t>(requests));
  CHECK(json_count(json, "non_2xx_3xx") == 0);
  for (const char* kind : {"connect", "read", "write", "timeout"})
    CHECK(json_count(json, kind, "errors") == 0);
  // Nothing but the JSON on stdout, nothing on stderr: a script can pipe it to jq.
  CHECK(run.err.empty());
}

TEST_CASE("bench always returns once its duration is over", "[integration][client][bench]") {
  // The end of a run races with the timer that looks for requests past --timeout (every tenth of
  // --timeout): a run whose last connection finishes while that timer's handler is already queued
  // must still end. These settings make the race likely (a third of runs, here); forty runs of
  // 50 ms catch a bench that loses it.
  running_server server;
  for (int i = 0; i < 40; ++i) {
    INFO("run " << i + 1);
    const auto run = bench({"-c", "2", "-d", "0.05", "--timeout", "0.25", "--json", url_of(server)}, 3s);
    REQUIRE(run.status == 0);
  }
}

TEST_CASE("bench reports its progress about once a second while it runs", "[integration][client][bench]") {
  running_server server;
  client::bench_options options;
  options.target = client::parse_url("http://127.0.0.1:" + std::to_string(server.port()) + "/");
  options.connections = 2;
  options.duration = 1.3s;
  const asio::ip::tcp::endpoint where(asio::ip::make_address("127.0.0.1"), server.port());
  std::vector<client::bench_progress> seen;
  const auto result =
      client::run_bench(options, where, [&](const client::bench_progress& p) { seen.push_back(p); });
  // The callback runs on the calling thread after each full second of the run: once here, unless
  // a very slow machine stretches the end of the run past the second second.
  REQUIRE(!seen.empty());
  CHECK(seen.front().elapsed >= 1s);
  CHECK(seen.front().elapsed < 2s);
  CHECK(seen.front().requests > 0);
  CHECK(seen.front().requests < result.requests);  // 0.3 s of the run came after it
  for (std::size_t i = 1; i < seen.size(); ++i)
    CHECK(seen[i].requests >= seen[i - 1].requests);
}
