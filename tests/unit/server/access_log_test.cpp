#include "server/access_log.hpp"

#include <sstream>
#include <thread>
#include <vector>

#include "socketlab/http/request.hpp"
#include "support/catch.hpp"

using namespace socketlab;
using namespace std::chrono;

namespace {

/// The line append_access_log() writes, alone.
std::string line_for(std::string_view client, system_clock::time_point when, const http::request& req,
                     int status, std::uint64_t body_bytes) {
  std::string out;
  server::append_access_log(out, client, when, req, status, body_bytes);
  return out;
}

}  // namespace

TEST_CASE("access-log lines are in the Common Log Format", "[unit][server][log]") {
  // 2000-10-10 13:55:36 UTC, Apache's documentation example.
  const sys_seconds when = sys_days{year{2000} / October / 10} + hours{13} + minutes{55} + seconds{36};
  http::request apache;
  apache.method = "GET";
  apache.target = "/apache_pb.gif";
  apache.version = 10;
  REQUIRE(line_for("127.0.0.1", when, apache, 200, 2326) ==
          "127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /apache_pb.gif HTTP/1.0\" 200 2326");
  // No request line (nothing could be read) and no body bytes are written as "-"; single-digit
  // days are zero-padded.
  const sys_seconds jan = sys_days{year{2026} / January / 2} + hours{3} + minutes{4} + seconds{5};
  REQUIRE(line_for("::1", jan, http::request{}, 400, 0) ==
          "::1 - - [02/Jan/2026:03:04:05 +0000] \"-\" 400 -");
  // The time, formatted once per second per thread, follows the clock: the same second again,
  // then the next, then one long before.
  REQUIRE(line_for("::1", jan, http::request{}, 400, 0).find("[02/Jan/2026:03:04:05 +0000]") !=
          std::string::npos);
  REQUIRE(line_for("::1", jan + seconds{1}, http::request{}, 400, 0).find("[02/Jan/2026:03:04:06 +0000]") !=
          std::string::npos);
  REQUIRE(line_for("::1", when, http::request{}, 400, 0).find("[10/Oct/2000:13:55:36 +0000]") !=
          std::string::npos);
  // A request cut short after its method, and HTTP/1.1.
  http::request cut;
  cut.method = "POST";
  REQUIRE(line_for("h", jan, cut, 400, 5).find("\"POST\" 400 5") != std::string::npos);
  http::request eleven;
  eleven.method = "GET";
  eleven.target = "/";
  REQUIRE(line_for("h", jan, eleven, 200, 14).find("\"GET / HTTP/1.1\" 200 14") != std::string::npos);
}

TEST_CASE("stream_log keeps lines whole when threads write at once", "[unit][server][log]") {
  std::ostringstream out;
  server::stream_log log(out);
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&log, t] {
      for (int i = 0; i < 200; ++i)
        log.write("thread " + std::to_string(t) + " line " + std::to_string(i) + "\n");
    });
  }
  for (auto& w : writers)
    w.join();
  std::istringstream in(out.str());
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    REQUIRE(line.starts_with("thread "));
    REQUIRE(line.find(" line ") != std::string::npos);
    ++count;
  }
  REQUIRE(count == 800);
}
