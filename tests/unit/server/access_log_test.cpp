#include "server/access_log.hpp"

#include <sstream>
#include <thread>
#include <vector>

#include "support/catch.hpp"

using namespace socketlab;
using namespace std::chrono;

TEST_CASE("access-log lines are in the Common Log Format", "[unit][server][log]") {
  // 2000-10-10 13:55:36 UTC, Apache's documentation example.
  const sys_seconds when = sys_days{year{2000} / October / 10} + hours{13} + minutes{55} + seconds{36};
  REQUIRE(server::format_access_log("127.0.0.1", when, "GET /apache_pb.gif HTTP/1.0", 200, 2326) ==
          "127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /apache_pb.gif HTTP/1.0\" 200 2326");
  // No body bytes are written as "-"; single-digit days are zero-padded.
  const sys_seconds jan = sys_days{year{2026} / January / 2} + hours{3} + minutes{4} + seconds{5};
  REQUIRE(server::format_access_log("::1", jan, "-", 400, 0) ==
          "::1 - - [02/Jan/2026:03:04:05 +0000] \"-\" 400 -");
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
