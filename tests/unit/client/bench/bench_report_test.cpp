// The benchmark report without a benchmark: wrk's number formatting, and the whole report and
// its JSON for a result made up here, so every figure is known.
#include "client/bench/bench_report.hpp"

#include <chrono>
#include <sstream>
#include <string>

#include "support/catch.hpp"

namespace client = socketlab::client;
using namespace std::chrono_literals;
using socketlab::test::contains;

namespace {

/// 1000 requests: 990 of 1 ms and 10 of 10 ms, in 2 s, 150 bytes each; 3 of them 404.
client::bench_result made_up_result() {
  client::bench_result r;
  r.elapsed = 2s;
  r.requests = 1000;
  r.bytes_read = 150'000;
  r.status_classes = {0, 997, 0, 3, 0};
  r.non_2xx_3xx = 3;
  r.connections_opened = 4;
  for (int i = 0; i < 990; ++i)
    r.latency.record(1ms);
  for (int i = 0; i < 10; ++i)
    r.latency.record(10ms);
  return r;
}

client::bench_options made_up_options() {
  client::bench_options o;
  o.connections = 4;
  o.threads = 1;
  o.duration = 2s;
  return o;
}

}  // namespace

TEST_CASE("wrk's time units: us or ms below a second, s or minutes from one", "[unit][client][bench]") {
  using client::format_wrk_time;
  CHECK(format_wrk_time(0) == "0.00us");
  CHECK(format_wrk_time(491'000) == "491.00us");
  CHECK(format_wrk_time(849'000) == "849.00us");
  CHECK(format_wrk_time(850'000) == "0.85ms");
  CHECK(format_wrk_time(900'000) == "0.90ms");
  CHECK(format_wrk_time(4.31e6) == "4.31ms");
  CHECK(format_wrk_time(12.92e6) == "12.92ms");
  CHECK(format_wrk_time(849e6) == "849.00ms");
  CHECK(format_wrk_time(999e6) == "999.00ms");  // below a second, wrk never writes s
  CHECK(format_wrk_time(1.2e9) == "1.20s");
  CHECK(format_wrk_time(10.0e9) == "10.00s");
  CHECK(format_wrk_time(50e9) == "50.00s");
  CHECK(format_wrk_time(55e9) == "0.92m");      // from 85 % of a minute
  CHECK(format_wrk_time(7200e9) == "120.00m");  // no unit after minutes
}

TEST_CASE("wrk's binary units switch to K then M then G at 85 % of the next unit", "[unit][client][bench]") {
  using client::format_wrk_binary;
  CHECK(format_wrk_binary(0) == "0.00");
  CHECK(format_wrk_binary(512) == "512.00");
  CHECK(format_wrk_binary(870) == "870.00");  // 0.85 * 1024 = 870.4
  CHECK(format_wrk_binary(871) == "0.85K");
  CHECK(format_wrk_binary(13.99 * 1024) == "13.99K");
  CHECK(format_wrk_binary(139.86 * 1024 * 1024) == "139.86M");
  CHECK(format_wrk_binary(2.5 * 1024 * 1024 * 1024) == "2.50G");
  CHECK(format_wrk_binary(2048.0 * 1024 * 1024 * 1024 * 1024) == "2048.00T");  // no unit after T
}

TEST_CASE("the report has wrk's lines, figures and alignment", "[unit][client][bench]") {
  std::ostringstream out;
  client::write_bench_report(made_up_options(), "http://127.0.0.1:8888/", made_up_result(), out);
  // mean 1.09 ms; stdev sqrt(0.99*0.09^2 + 0.01*8.91^2) ms = 0.8955 ms, past 85 % of a ms so
  // "0.90ms" as wrk writes it; 99 % of the samples lie within one stdev of the mean.
  CHECK(out.str() ==
        "Running 2s test @ http://127.0.0.1:8888/\n"
        "  1 threads and 4 connections\n"
        "  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"
        "    Latency     1.09ms    0.90ms  10.00ms   99.00%\n"
        "  Latency Distribution\n"
        "     50%    1.00ms\n"
        "     75%    1.00ms\n"
        "     90%    1.00ms\n"
        "     99%    1.00ms\n"
        "   99.9%   10.00ms\n"
        "  1000 requests in 2.00s, 146.48KB read\n"
        "  Non-2xx or 3xx responses: 3\n"
        "Requests/sec:    500.00\n"
        "Transfer/sec:     73.24KB\n");
}

TEST_CASE("socket errors get wrk's line only when there are some", "[unit][client][bench]") {
  auto result = made_up_result();
  std::ostringstream none;
  client::write_bench_report(made_up_options(), "http://x/", result, none);
  CHECK(none.str().find("Socket errors") == std::string::npos);
  result.errors.read = 2;
  result.errors.timeout = 5;
  std::ostringstream some;
  client::write_bench_report(made_up_options(), "http://x/", result, some);
  CHECK_THAT(some.str(), contains("  Socket errors: connect 0, read 2, write 0, timeout 5\n"));
}

TEST_CASE("the JSON summary carries the same figures", "[unit][client][bench]") {
  std::ostringstream out;
  client::write_bench_json(made_up_options(), "http://127.0.0.1:8888/\"x", made_up_result(), out);
  const std::string json = out.str();
  CHECK_THAT(json, contains("\"url\": \"http://127.0.0.1:8888/\\\"x\""));  // quotes escaped
  CHECK_THAT(json, contains("\"requests\": 1000,"));
  CHECK_THAT(json, contains("\"requests_per_sec\": 500.00,"));
  CHECK_THAT(json, contains("\"bytes_per_sec\": 75000.00,"));
  // A percentile is its bucket's highest value (as in HdrHistogram and wrk): 1 ms lands in a
  // bucket 8.192 us wide whose top is 1003.519 us, within the 1/128 the histogram promises.
  CHECK_THAT(json, contains("\"p50\": 1003.519"));
  CHECK_THAT(json, contains("\"min\": 1000.000"));
  CHECK_THAT(json, contains("\"p99_9\": 10000.000"));
  CHECK_THAT(json, contains("\"max\": 10000.000"));
  CHECK_THAT(json, contains("\"status\": {\"1xx\": 0, \"2xx\": 997, \"3xx\": 0, \"4xx\": 3, \"5xx\": 0}"));
  CHECK_THAT(json, contains("\"errors\": {\"connect\": 0, \"read\": 0, \"write\": 0, \"timeout\": 0}"));
}

TEST_CASE("requests finished after the duration are counted but left out of the rates",
          "[unit][client][bench]") {
  auto result = made_up_result();
  result.late = 100;  // of the 1000
  result.late_bytes = 15'000;
  result.drained = 500ms;
  std::ostringstream out;
  client::write_bench_report(made_up_options(), "http://x/", result, out);
  CHECK_THAT(out.str(), contains("  1000 requests in 2.00s, 146.48KB read\n"
                                 "  (100 of them completed in the 500.00ms after, as the requests under way "
                                 "finished; the rates leave them out)\n"));
  CHECK_THAT(out.str(), contains("Requests/sec:    450.00\n"));    // 900 in 2 s
  CHECK_THAT(out.str(), contains("Transfer/sec:     65.92KB\n"));  // 135,000 B in 2 s
  std::ostringstream json;
  client::write_bench_json(made_up_options(), "http://x/", result, json);
  CHECK_THAT(json.str(), contains("\"late\": 100,"));
  CHECK_THAT(json.str(), contains("\"requests_per_sec\": 450.00,"));
  result.drained = 2ms;  // the usual moment: no line for it, the rate still leaves them out
  std::ostringstream quick;
  client::write_bench_report(made_up_options(), "http://x/", result, quick);
  CHECK(quick.str().find("completed in the") == std::string::npos);
  CHECK_THAT(quick.str(), contains("Requests/sec:    450.00\n"));
}
