// socketlab-client hold against real servers on loopback: connections held and counted, the
// fresh requests timed, the server's memory read, what the server closes during the hold, and
// what happens past the client's open-file limit.
#include <array>
#include <cstdint>
#include <regex>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <asio/ip/tcp.hpp>

#include "client/platform.hpp"
#include "support/catch.hpp"
#include "support/client_run.hpp"
#include "support/running_server.hpp"
#include "support/scripted_server.hpp"
#include "support/unused_port.hpp"

#if !defined(_WIN32)
#include <cstdio>
#include <sys/wait.h>
#endif

using namespace socketlab;
using namespace std::chrono_literals;
using test::contains;
using test::run_client_within;
using test::running_server;

namespace {

/// The URL of @p server's first site.
std::string url_of(const running_server& server) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + "/";
}

/// The figure after @p label ("held:") in @p report, from its line; empty when there is none.
std::string figure(const std::string& report, const std::string& label) {
  std::istringstream lines(report);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with(label)) return line.substr(line.find_first_not_of(' ', label.size()));
  }
  return {};
}

/// The lines of @p report, for matching a figure's second line.
bool has_line(const std::string& report, const std::string& pattern) {
  return std::regex_search(report, std::regex("(^|\n)" + pattern + "(\n|$)"));
}

}  // namespace

TEST_CASE("hold: 50 connections to the async server are all held, and fresh requests are timed",
          "[integration][client][hold]") {
  running_server server;
  const auto run = run_client_within({"hold", "-n", "50", "--probes", "5", url_of(server)}, 60s);
  INFO(run.out << run.err);
  REQUIRE(run.status == 0);
  CHECK(run.err.empty());
  CHECK(run.out.starts_with("Holding 50 connections to 127.0.0.1:" + std::to_string(server.port()) +
                            ", each after one GET / (keep-alive), on one event loop.\n"));
  CHECK(std::regex_match(figure(run.out, "held:"), std::regex(R"(50 of 50, all tried in \d+\.\d+ m?s)")));
  CHECK(figure(run.out, "not held:").empty());
  CHECK(std::regex_match(
      figure(run.out, "fresh requests:"),
      std::regex(
          R"(5 of 5 answered, one after another while held: median \d+\.\d{3} ms, max \d+\.\d{3} ms)")));
  CHECK(std::regex_match(
      figure(run.out, "closed by server:"),
      std::regex(R"(none in the \d+\.\d+ m?s they were held \(--hold SECONDS keeps them longer\))")));
  CHECK(figure(run.out, "server memory:") ==
        "not measured; give the server's process id, e.g. --server-pid $(pgrep -n socketlab-server)");

  // The server answered each held connection once, and each probe on a connection of its own.
  server.stop();
  REQUIRE(server.finished_within(5s));
  CHECK(server.access_log().size() == 55);
}

TEST_CASE("hold: the server had them all open at once: past its --max-connections it answers 503",
          "[integration][client][hold]") {
  server::server_config config;
  config.max_connections = 50;
  running_server server(config);

  SECTION("50 held: each fresh request is refused, since the server serves its 50") {
    const auto run = run_client_within({"hold", "-n", "50", "--probes", "3", url_of(server)}, 60s);
    INFO(run.out << run.err);
    CHECK(run.status == 0);
    CHECK(figure(run.out, "held:").starts_with("50 of 50,"));
    CHECK_THAT(figure(run.out, "fresh requests:"), contains("3 of 3 answered"));
    CHECK(figure(run.out, "fresh requests:").ends_with(" (3 answered 503)"));
  }
  SECTION("60 asked for: 50 held, 10 refused, one line for them") {
    const auto run = run_client_within({"hold", "-n", "60", "--probes", "0", url_of(server)}, 60s);
    INFO(run.out << run.err);
    CHECK(run.status == 1);
    CHECK(figure(run.out, "held:").starts_with("50 of 60,"));
    CHECK(figure(run.out, "not held:") ==
          "10 answered 503 and closed the connection (the server is full: its --max-connections)");
    CHECK(figure(run.out, "fresh requests:") == "none timed (--probes 0)");
  }
}

TEST_CASE("hold --server-pid reads the server's resident memory, or says it cannot off Linux",
          "[integration][client][hold]") {
  running_server server;  // in this process: the test's own pid is the server's
  const auto pid = client::platform::process_id();
  std::error_code unsupported;
  (void)client::platform::resident_memory(pid, unsupported);
  const auto run = run_client_within(
      {"hold", "-n", "20", "--probes", "1", "--server-pid", std::to_string(pid), url_of(server)}, 60s);
  INFO(run.out << run.err);
  CHECK(run.status == 0);
  const std::string memory = figure(run.out, "server memory:");
  if (unsupported) {
    CHECK(memory == "unknown (Linux only)");
    return;
  }
  CHECK(std::regex_match(memory, std::regex(R"([\d,]+ KiB before, [\d,]+ KiB with 20 held: -?\d+\.\d\d KiB )"
                                            R"(per connection \(RSS of pid )" +
                                            std::to_string(pid) + R"(\))")));
}

TEST_CASE("hold --server-pid naming no process is a mistake on the command line",
          "[integration][client][hold]") {
  std::error_code unsupported;
  (void)client::platform::resident_memory(client::platform::process_id(), unsupported);
  if (unsupported) {
    WARN("skipped: no process memory to read on this system, so any pid is taken");
    SUCCEED("skipped");  // a test that asserts nothing fails (--warn NoAssertions)
    return;
  }
  // Above Linux's largest pid_max (2^22), so no process has it.
  const auto run = run_client_within({"hold", "--server-pid", "999999999", "http://127.0.0.1:9/"}, 60s);
  CHECK(run.status == 2);
  CHECK(run.out.empty());
  CHECK(run.err ==
        "socketlab-client: --server-pid 999999999: no such process; the server's is "
        "$(pgrep -n socketlab-server)\n");
}

TEST_CASE("hold: a server that closes idle connections during --hold is reported as closing them",
          "[integration][client][hold]") {
  server::server_config config;
  config.timeouts.idle = 100ms;
  running_server server(config);
  const auto run =
      run_client_within({"hold", "-n", "10", "--probes", "0", "--hold", "1", url_of(server)}, 60s);
  INFO(run.out << run.err);
  CHECK(run.status == 0);  // all were held; the server closed them later
  CHECK(figure(run.out, "held:").starts_with("10 of 10,"));
  CHECK(
      std::regex_match(figure(run.out, "closed by server:"),
                       std::regex(R"(10 in the \d+\.\d+ m?s they were held, \d+\.\d+ m?s( to \d+\.\d+ m?s)? )"
                                  R"(after all were open)")));
  CHECK(has_line(run.out,
                 " +closed while idle: the server's idle timeout \\(socketlab-server: 15 s, "
                 "--idle-timeout\\), or its need for their threads \\(thread-pool\\)"));
}

TEST_CASE("hold --no-request: connections that send nothing are closed at the header timeout, and said so",
          "[integration][client][hold]") {
  server::server_config config;
  config.timeouts.header = 100ms;
  running_server server(config);
  const auto run = run_client_within(
      {"hold", "--no-request", "-n", "5", "--probes", "1", "--hold", "1", url_of(server)}, 60s);
  INFO(run.out << run.err);
  CHECK(run.status == 0);
  CHECK_THAT(run.out, contains(", each only connected (--no-request: nothing sent), on one event loop.\n"));
  CHECK(figure(run.out, "held:").starts_with("5 of 5,"));
  CHECK(figure(run.out, "closed by server:").starts_with("5 in the "));
  CHECK(has_line(run.out,
                 " +they had sent nothing: a server closes such connections at its header timeout "
                 "\\(socketlab-server: 10 s, --header-timeout\\)"));
}

TEST_CASE("hold: connections that get no answer within --timeout fail as timed out, exit status 28",
          "[integration][client][hold]") {
  // One connection at a time, never answered: the others wait in the listen queue, connected.
  test::scripted_server server([](asio::ip::tcp::socket& socket) {
    (void)test::scripted_server::read_head(socket);
    test::scripted_server::drain_until_close(socket);
  });
  const auto run =
      run_client_within({"hold", "-n", "3", "--probes", "2", "--timeout", "300ms", server.url()}, 60s);
  INFO(run.out << run.err);
  CHECK(run.status == 28);
  CHECK(figure(run.out, "held:").starts_with("0 of 3,"));
  CHECK(figure(run.out, "not held:") == "3 timed out after 0.3 s waiting for the response");
  // The first probe times out too, and the second is not tried.
  CHECK(figure(run.out, "fresh requests:") == "0 of 1 answered, one after another while held");
  CHECK(has_line(run.out, " +1 timed out after 0.3 s waiting for the response"));
  CHECK(has_line(run.out,
                 " +the rest \\(1\\) not tried: the server takes no new connection while these are held"));
}

TEST_CASE("hold with nothing listening says so in one line", "[integration][client][hold]") {
  const test::unused_port nothing;
  const auto run =
      run_client_within({"hold", "-n", "5", "http://127.0.0.1:" + std::to_string(nothing.port()) + "/"}, 60s);
  CHECK(run.status == 7);
  CHECK(run.out.empty());
  CHECK(run.err == "socketlab-client: nothing is listening on 127.0.0.1:" + std::to_string(nothing.port()) +
                       " \xe2\x80\x94 is the server running?\n");
}

TEST_CASE("hold past the client's open-file limit holds what it can and counts the rest by reason",
          "[integration][client][hold]") {
#if defined(_WIN32)
  WARN("skipped: Windows has no open-file limit on sockets");
  SUCCEED("skipped");  // a test that asserts nothing fails (--warn NoAssertions)
#elif defined(SOCKETLAB_UBSAN)
  WARN("skipped under UBSan: its vptr check needs a pipe, which fails at the limit (a false finding)");
  SUCCEED("skipped");  // a test that asserts nothing fails (--warn NoAssertions)
#else
  running_server server;
  // The client as a program of its own, under a limit of 64 descriptors (soft and hard, so it
  // cannot raise it): the test process keeps its own limit.
  const std::string command = "ulimit -n 64 && exec '" SOCKETLAB_CLIENT_PROGRAM "' hold -n 100 --probes 2 " +
                              url_of(server) + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 4096> piece{};
  while (const auto n = std::fread(piece.data(), 1, piece.size(), pipe))
    out.append(piece.data(), n);
  const int status = ::pclose(pipe);
  INFO(command << "\n" << out);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(figure(out, "open-file limit:") == "64");
  std::smatch held;
  const std::string held_text = figure(out, "held:");
  REQUIRE(std::regex_match(held_text, held, std::regex(R"((\d+) of 100, all tried in \d+\.\d+ m?s)")));
  const int count = std::stoi(held[1]);
  CHECK(count > 0);
  CHECK(count < 64);
  CHECK(figure(out, "not held:") ==
        std::to_string(100 - count) + " too many open files (EMFILE): the client's limit");
  // One descriptor was kept in reserve for them: the fresh requests still get through.
  CHECK(figure(out, "fresh requests:").starts_with("2 of 2 answered"));
#endif
}
