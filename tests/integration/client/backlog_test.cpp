// socketlab-client backlog against real servers: a concurrent server answers everyone at once,
// a one-at-a-time server makes them wait in the listen queue, and the table shows who waited.
#include <chrono>
#include <cstdint>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "support/catch.hpp"
#include "support/client_run.hpp"
#include "support/running_server.hpp"
#include "support/scripted_server.hpp"
#include "support/unused_port.hpp"

using namespace socketlab;
using namespace std::chrono_literals;
using test::run_client;
using test::running_server;
using test::scripted_server;

using socketlab::test::unused_port;

namespace {

/// One row of the table, its columns parsed.
struct row {
  std::optional<int> arrival;        ///< 1, 2, ...; none for a connection that got no response
  int conn = 0;                      ///< the order connect() was called in
  unsigned local_port = 0;           ///< this side's port
  std::optional<double> connected;   ///< seconds
  std::optional<double> first_byte;  ///< seconds
  std::optional<double> complete;    ///< seconds
  std::optional<int> status;         ///< the response's status
  std::string note;                  ///< how long it waited, or what went wrong
};

/// "0.412 ms", "201.3 ms", "1.81 s" or "-" as seconds.
std::optional<double> seconds(const std::string& text) {
  if (text == "-") return std::nullopt;
  const double value = std::stod(text);
  return text.ends_with(" ms") ? value / 1000.0 : value;
}

std::optional<int> number(const std::string& text) {
  if (text == "-") return std::nullopt;
  return std::stoi(text);
}

/// The table's rows, from the line after the column heads to the blank line before the summary.
std::vector<row> parse_table(const std::string& report) {
  static const std::regex heads(
      R"(^ *arrival +conn +local port +connected +first byte +complete +status +waited$)");
  static const std::string time = R"((-|[\d.]+ m?s))";
  static const std::regex columns(R"(^ *(\d+|-) +(\d+) +(\d+) +)" + time + " +" + time + " +" + time +
                                  R"( +(\d{3}|-)  (.*)$)");
  std::vector<row> rows;
  std::istringstream lines(report);
  std::string line;
  while (std::getline(lines, line) && !std::regex_match(line, heads)) {
  }
  while (std::getline(lines, line) && !line.empty()) {
    std::smatch m;
    INFO("row: " << line);
    REQUIRE(std::regex_match(line, m, columns));
    rows.push_back({number(m[1]), std::stoi(m[2]), static_cast<unsigned>(std::stoul(m[3])), seconds(m[4]),
                    seconds(m[5]), seconds(m[6]), number(m[7]), m[8]});
  }
  return rows;
}

}  // namespace

TEST_CASE("backlog: a concurrent server answers every connection at once", "[integration][client][backlog]") {
  running_server server;
  const auto run =
      run_client({"backlog", "-n", "5", "http://127.0.0.1:" + std::to_string(server.port()) + "/"});
  REQUIRE(run.status == 0);
  INFO(run.out);
  CHECK(run.err.empty());
  CHECK(run.out.starts_with("5 connections to 127.0.0.1:" + std::to_string(server.port()) +
                            " opened at once.\n"));

  const auto rows = parse_table(run.out);
  REQUIRE(rows.size() == 5);
  std::set<int> conns;
  std::set<unsigned> ports;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const row& r = rows[i];
    CHECK(r.arrival == static_cast<int>(i + 1));
    CHECK(r.status == 200);
    CHECK(r.note.empty());
    REQUIRE(r.connected);
    REQUIRE(r.first_byte);
    REQUIRE(r.complete);
    CHECK(*r.connected <= *r.first_byte);
    CHECK(*r.first_byte <= *r.complete);
    if (i > 0) CHECK(*rows[i - 1].first_byte <= *r.first_byte);
    conns.insert(r.conn);
    ports.insert(r.local_port);
  }
  CHECK(conns == std::set<int>{1, 2, 3, 4, 5});
  CHECK(ports.size() == 5);
  CHECK(ports.count(0) == 0);
  CHECK_THAT(run.out, test::contains("\n\n5 connections: 5 answered at once, 0 waited, 0 failed.\n"));

  server.stop();
  REQUIRE(server.finished_within(5s));
  CHECK(server.access_log().size() == 5);
}

TEST_CASE("backlog: a one-at-a-time server makes each connection wait for the one before",
          "[integration][client][backlog]") {
  // Like the original single-threaded server: answer, then stay with this client until it leaves.
  scripted_server server([](asio::ip::tcp::socket& socket) {
    if (scripted_server::read_head(socket).empty()) return;  // the probe
    scripted_server::write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhi\n");
    scripted_server::drain_until_close(socket);
  });
  constexpr double hold = 0.150;
  const auto run = run_client({"backlog", "-n", "4", "--hold", "150", server.url()});
  REQUIRE(run.status == 0);
  INFO(run.out);
  CHECK_THAT(run.out, test::contains("opened at once, each closed 150 ms after its response.\n"));

  const auto rows = parse_table(run.out);
  REQUIRE(rows.size() == 4);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const row& r = rows[k];
    INFO("arrival " << k + 1);
    CHECK(r.arrival == static_cast<int>(k + 1));
    CHECK(r.status == 200);
    REQUIRE(r.first_byte);
    REQUIRE(r.complete);
    // The k-th in line waits for the k before it, each of which holds the server for --hold.
    // No upper bound: a loaded machine only makes it later.
    CHECK(*r.first_byte >= 0.9 * static_cast<double>(k) * hold);
    CHECK(*r.first_byte - *rows[0].first_byte >= 0.9 * static_cast<double>(k) * hold);
    if (k > 0) {
      CHECK(*r.first_byte > *rows[k - 1].first_byte);
      // The waited column: how much later than the first, in ms.
      REQUIRE(seconds(r.note));
      CHECK(*seconds(r.note) >= 0.9 * static_cast<double>(k) * hold);
    } else {
      CHECK(r.note.empty());
    }
  }
  CHECK(std::regex_search(
      run.out,
      std::regex(
          R"(\n4 connections: 1 answered at once, 3 waited \([\d.]+ m?s to [\d.]+ m?s longer than the first\), 0 failed\.\n)")));
}

TEST_CASE("backlog: a connection closed without an answer is listed last as failed",
          "[integration][client][backlog]") {
  scripted_server server([](asio::ip::tcp::socket& socket) { (void)scripted_server::read_head(socket); });
  const auto run = run_client({"backlog", "-n", "3", server.url()});
  CHECK(run.status == 1);  // the table is shown, but no connection got an answer
  INFO(run.out);
  const auto rows = parse_table(run.out);
  REQUIRE(rows.size() == 3);
  for (const row& r : rows) {
    CHECK_FALSE(r.arrival);
    CHECK_FALSE(r.status);
    CHECK_FALSE(r.first_byte);
    CHECK(r.connected);
    CHECK(r.note.starts_with("receive: "));
  }
  CHECK_THAT(run.out, test::contains("\n3 connections: 0 answered at once, 0 waited, 3 failed.\n"));
}

TEST_CASE("backlog: connections still waiting at --timeout fail, and the exit status is 28",
          "[integration][client][backlog]") {
  // Reads each request and never answers: every connection is still waiting when time is up.
  scripted_server server([](asio::ip::tcp::socket& socket) {
    (void)scripted_server::read_head(socket);
    scripted_server::drain_until_close(socket);
  });
  const auto run = run_client({"backlog", "-n", "2", "--timeout", "300ms", server.url()});
  CHECK(run.status == 28);
  INFO(run.out);
  CHECK_THAT(run.out, test::contains("\n2 connections: 0 answered at once, 0 waited, 2 failed.\n"));
}

TEST_CASE("backlog: a 503 is counted as refused, neither answered at once nor waited",
          "[integration][client][backlog]") {
  // The first connection served gets its page; the server is then "full" for the others.
  int served = 0;
  scripted_server server([&served](asio::ip::tcp::socket& socket) {
    if (scripted_server::read_head(socket).empty()) return;
    scripted_server::write(socket, ++served == 1 ? "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhi\n"
                                                 : "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                                   "Connection: close\r\n\r\n");
    scripted_server::drain_until_close(socket);
  });
  const auto run = run_client({"backlog", "-n", "3", server.url()});
  CHECK(run.status == 0);
  INFO(run.out);
  const auto rows = parse_table(run.out);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].status == 200);
  CHECK(rows[0].note.empty());
  for (std::size_t k = 1; k < rows.size(); ++k) {
    CHECK(rows[k].status == 503);
    CHECK(rows[k].note == "refused: the server is full");
  }
  CHECK_THAT(run.out,
             test::contains("\n3 connections: 1 answered at once, 0 waited, 2 refused (503), 0 failed.\n"));
}

TEST_CASE("backlog with nothing listening says so in one line", "[integration][client][backlog]") {
  const unused_port nothing;
  const auto run =
      run_client({"backlog", "-n", "3", "http://127.0.0.1:" + std::to_string(nothing.port()) + "/"});
  CHECK(run.status == 7);
  CHECK(run.out.empty());
  CHECK(run.err == "socketlab-client: nothing is listening on 127.0.0.1:" + std::to_string(nothing.port()) +
                       " \xe2\x80\x94 is the server running?\n");
}
