// `socketlab-client get` over real loopback sockets: against the socketlab server (bodies, -v,
// keep-alive, -I, -i, -o, --fail, -d, --split, --pipeline, IPv6), and against scripted servers
// that send what socketlab never does (chunked and close-delimited bodies, 1xx, a response in two
// writes, stale keep-alive connections, malformed bytes, silence) or nothing at all.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <asio/buffer.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>

#include "client/cli.hpp"
#include "support/capture_stream.hpp"
#include "support/catch.hpp"
#include "support/client_run.hpp"
#include "support/running_server.hpp"
#include "support/scripted_server.hpp"
#include "support/unused_port.hpp"

using namespace socketlab;
using test::contains;
using test::run_client;
using test::running_server;
using test::scripted_server;
using tcp = asio::ip::tcp;

namespace {

const std::string hello = "Hello, World!\n";  // what the default (English) site answers on /

/// "http://127.0.0.1:PORT" followed by @p path.
std::string url(std::uint16_t port, std::string_view path = "/") {
  return "http://127.0.0.1:" + std::to_string(port) + std::string(path);
}

/// How many times @p needle occurs in @p text.
std::size_t count(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + needle.size()))
    ++n;
  return n;
}

/// Checks that @p err is what an error prints without -v: exactly one line, "socketlab-client: ...".
void check_one_line(const std::string& err) {
  CHECK(err.starts_with("socketlab-client: "));
  CHECK(count(err, "\n") == 1);
  CHECK(err.ends_with("\n"));
}

/// What a scripted server saw, filled in by its thread and read by the test's.
class seen {
 public:
  /// Notes a new connection; @return its number, from 1.
  int connection() { return ++connections_; }
  /// Notes a request head.
  void request(std::string head) {
    std::lock_guard lock(mutex_);
    heads_.push_back(std::move(head));
  }
  /// @return how many connections were accepted
  [[nodiscard]] int connections() const { return connections_.load(); }
  /// @return the request heads so far
  [[nodiscard]] std::vector<std::string> heads() const {
    std::lock_guard lock(mutex_);
    return heads_;
  }

 private:
  std::atomic<int> connections_{0};  ///< connections accepted
  mutable std::mutex mutex_;         ///< guards heads_
  std::vector<std::string> heads_;   ///< request heads, in order
};

/// A script that answers every request of a connection with @p response until the client closes.
scripted_server::script answer_each(std::string response, seen& log) {
  return [response = std::move(response), &log](tcp::socket& s) {
    log.connection();
    for (auto head = scripted_server::read_head(s); head.ends_with("\r\n\r\n");
         head = scripted_server::read_head(s)) {
      log.request(head);
      scripted_server::write(s, response);
    }
  };
}

/// A script that answers one request with @p response, then closes the connection.
scripted_server::script answer_once_and_close(std::string response, seen& log) {
  return [response = std::move(response), &log](tcp::socket& s) {
    log.connection();
    log.request(scripted_server::read_head(s));
    scripted_server::write(s, response);
  };
}

/// A file in the temporary folder, removed when the test ends.
struct temp_file {
  std::filesystem::path path;  ///< where it is
  /// A file named @p name in the temporary folder, none there yet.
  explicit temp_file(const std::string& name) : path(std::filesystem::temp_directory_path() / name) {
    std::filesystem::remove(path);
  }
  ~temp_file() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  /// @return what the file holds
  [[nodiscard]] std::string contents() const {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

}  // namespace

// ---- against the socketlab server -------------------------------------------------------------

TEST_CASE("get prints the body on standard output and nothing else", "[integration][client][get]") {
  running_server server;
  const auto r = run_client({"get", url(server.port())});
  CHECK(r.status == 0);
  CHECK(r.out == hello);
  CHECK(r.err.empty());
}

TEST_CASE("get -v shows each socket step with its time, and both heads, on standard error",
          "[integration][client][get]") {
  running_server server;
  const std::string port = std::to_string(server.port());
  const auto r = run_client({"get", "-v", url(server.port())});
  CHECK(r.status == 0);
  CHECK(r.out == hello);
  CHECK_THAT(r.err, contains("] Trying 127.0.0.1:" + port + "...\n"));
  CHECK_THAT(r.err, contains("] Connected to 127.0.0.1:" + port + " from 127.0.0.1:"));
  CHECK_THAT(r.err, contains(" (connection #0)\n"));
  CHECK_THAT(r.err, contains("\n> GET / HTTP/1.1\n> Host: 127.0.0.1:" + port + "\n"));
  CHECK_THAT(r.err, contains("\n< HTTP/1.1 200 OK\n"));
  CHECK_THAT(r.err, contains("\n< Content-Length: 14\n"));
  CHECK_THAT(r.err, contains("] complete: status 200, 14 bytes of body"));
  CHECK_THAT(r.err, contains("] Closing connection #0: no more URLs\n"));
  // Every line is a timed step ("* [0.412 ms] ..."), a request line ("> ") or a response line ("< ").
  std::istringstream lines(r.err);
  const std::regex shape(R"(\* \[\d+\.\d{3} ms\] .+|[<>]( .*)?)");
  for (std::string line; std::getline(lines, line);) {
    CAPTURE(line);
    CHECK(std::regex_match(line, shape));
  }
}

TEST_CASE("URLs on one host and port share one connection", "[integration][client][get]") {
  SECTION("the socketlab server logs two requests on connection #0") {
    running_server server;
    const auto r = run_client({"get", "-v", url(server.port()), url(server.port(), "/?again")});
    CHECK(r.status == 0);
    CHECK(r.out == hello + hello);
    CHECK_THAT(r.err,
               contains("] Re-using connection #0 to 127.0.0.1:" + std::to_string(server.port()) + "\n"));
    CHECK_THAT(r.err, !contains("connection #1"));
    CHECK(server.access_log().size() == 2);
  }
  SECTION("a scripted server accepts one connection only") {
    seen log;
    scripted_server server(answer_each("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", log));
    const auto r = run_client({"get", server.url("/1"), server.url("/2"), server.url("/3")});
    CHECK(r.status == 0);
    CHECK(r.out == "abcabcabc");
    CHECK(log.connections() == 1);
    CHECK(log.heads().size() == 3);
  }
}

TEST_CASE("a URL on another port opens connection #1", "[integration][client][get]") {
  server::server_config config;
  config.sites = {{0, "en"}, {0, "fr"}};
  running_server server(config);
  const auto r = run_client({"get", "-v", url(server.port(0)), url(server.port(1))});
  CHECK(r.status == 0);
  CHECK(r.out == hello + "Bonjour, le monde\u202F!\n");
  CHECK_THAT(r.err, contains("] Closing connection #0: the next URL is on another host\n"));
  CHECK_THAT(r.err, contains("] Connected to 127.0.0.1:" + std::to_string(server.port(1))));
  CHECK_THAT(r.err, contains(" (connection #1)\n"));
  CHECK(server.access_log().size() == 2);
}

TEST_CASE("-I prints the response head; -i the head and then the body", "[integration][client][get]") {
  running_server server;
  SECTION("-I sends HEAD") {
    const auto r = run_client({"get", "-I", url(server.port())});
    CHECK(r.status == 0);
    CHECK(r.out.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK_THAT(r.out, contains("\r\nContent-Length: 14\r\n"));
    CHECK(r.out.ends_with("\r\n\r\n"));
    CHECK_THAT(r.out, !contains("Hello"));
    REQUIRE(server.access_log().size() == 1);
    CHECK_THAT(server.access_log()[0], contains("\"HEAD / HTTP/1.1\" 200 "));
  }
  SECTION("-i sends GET") {
    const auto r = run_client({"get", "-i", url(server.port())});
    CHECK(r.status == 0);
    CHECK(r.out.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(r.out.ends_with("\r\nContent-Length: 14\r\n\r\n" + hello));
  }
}

TEST_CASE("-o writes the body to a file and nothing to standard output", "[integration][client][get]") {
  SECTION("a file that can be written") {
    running_server server;
    const temp_file file("socketlab-client-get-" + std::to_string(server.port()) + ".txt");
    const auto r = run_client({"get", "-o", file.path.string(), url(server.port())});
    CHECK(r.status == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
    CHECK(file.contents() == hello);
  }
  SECTION("a folder that does not exist: exit status 23 once there is a body to write") {
    running_server server;
    const auto missing = std::filesystem::temp_directory_path() / "socketlab-no-such-folder" / "body.txt";
    const auto r = run_client({"get", "-o", missing.string(), url(server.port())});
    CHECK(r.status == 23);
    check_one_line(r.err);
    CHECK_THAT(r.err, contains("cannot write to '" + missing.string() + "'"));
  }
  SECTION("a request that fails leaves an existing file alone, as curl does") {
    const socketlab::test::unused_port nothing;
    const temp_file file("socketlab-client-get-keep-" + std::to_string(nothing.port()) + ".txt");
    { std::ofstream(file.path) << "precious"; }
    const auto r = run_client(
        {"get", "-o", file.path.string(), "http://127.0.0.1:" + std::to_string(nothing.port()) + "/"});
    CHECK(r.status == 7);
    CHECK(file.contents() == "precious");
  }
}

TEST_CASE("--fail turns a status of 400 or more into exit status 22, without the body",
          "[integration][client][get]") {
  running_server server;
  const auto failed = run_client({"get", "--fail", url(server.port(), "/missing")});
  CHECK(failed.status == 22);
  CHECK(failed.out.empty());
  CHECK(failed.err == "socketlab-client: the server answered 404 Not Found (--fail)\n");

  // 400 is the first status --fail counts: a request without Host gets it from the server.
  const auto bad_request = run_client({"get", "--fail", "-H", "Host:", url(server.port())});
  CHECK(bad_request.status == 22);
  CHECK(bad_request.out.empty());
  CHECK(bad_request.err == "socketlab-client: the server answered 400 Bad Request (--fail)\n");

  const auto plain = run_client({"get", url(server.port(), "/missing")});
  CHECK(plain.status == 0);  // without --fail a 404 is a response like any other
  CHECK(plain.out == "Not Found\n");
}

TEST_CASE("-d sends a body with POST", "[integration][client][get]") {
  SECTION("the socketlab site only reads: 405") {
    running_server server;
    const auto r = run_client({"get", "-d", "lesson=4", url(server.port())});
    CHECK(r.status == 0);
    CHECK(r.out == "Method Not Allowed: POST\n");
    REQUIRE(server.access_log().size() == 1);
    CHECK_THAT(server.access_log()[0], contains("\"POST / HTTP/1.1\" 405 "));
  }
  SECTION("the bytes on the wire") {
    seen log;
    std::mutex mutex;
    std::string body;
    scripted_server server([&](tcp::socket& s) {
      log.request(scripted_server::read_head(s));
      std::string got(8, '\0');
      std::error_code ec;
      asio::read(s, asio::buffer(got), ec);
      {
        std::lock_guard lock(mutex);
        body = got;
      }
      scripted_server::write(s, "HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\nyes");
      scripted_server::drain_until_close(s);
    });
    const auto r = run_client({"get", "-d", "lesson=4", server.url("/form")});
    CHECK(r.status == 0);
    CHECK(r.out == "yes");
    REQUIRE(log.heads().size() == 1);
    const std::string head = log.heads()[0];
    CHECK(head.starts_with("POST /form HTTP/1.1\r\n"));
    CHECK_THAT(head, contains("\r\nContent-Type: application/x-www-form-urlencoded\r\n"));
    CHECK_THAT(head, contains("\r\nContent-Length: 8\r\n"));
    std::lock_guard lock(mutex);
    CHECK(body == "lesson=4");
  }
}

TEST_CASE("--split sends the request in pieces, and the server reads the same request",
          "[integration][client][get]") {
  running_server server;
  const auto whole = run_client({"get", url(server.port())});
  const auto bytewise = run_client({"get", "-v", "--trace", "--split", "1", url(server.port())});
  const auto sevens_started = std::chrono::steady_clock::now();
  const auto sevens =
      run_client({"get", "-v", "--trace", "--split", "7", "--pause", "1", url(server.port())});
  const auto sevens_took = std::chrono::steady_clock::now() - sevens_started;
  CHECK(whole.out == hello);
  CHECK(bytewise.status == 0);
  CHECK(bytewise.out == whole.out);
  CHECK(sevens.status == 0);
  CHECK(sevens.out == whole.out);

  std::smatch m;
  REQUIRE(std::regex_search(bytewise.err, m, std::regex(R"(request sent: (\d+) bytes)")));
  const std::size_t size = std::stoul(m[1]);
  CHECK(count(bytewise.err, "=> Send ") == size);          // one write per byte
  CHECK(count(sevens.err, "=> Send ") == (size + 6) / 7);  // one per 7 bytes
  CHECK_THAT(sevens.err, contains("] sent bytes 0..6 (7 of " + std::to_string(size) + ")\n"));
  CHECK_THAT(sevens.err, contains("] pausing 1 ms\n"));
  CHECK(sevens_took >= std::chrono::milliseconds((size + 6) / 7 - 1));  // 1 ms between pieces, really
  const auto log = server.access_log();
  REQUIRE(log.size() == 3);
  for (const auto& line : log)
    CHECK_THAT(line, contains("\"GET / HTTP/1.1\" 200 14"));
}

TEST_CASE("--pipeline 3 sends three requests in one write and reads three responses",
          "[integration][client][get]") {
  running_server server;
  const auto r = run_client({"get", "-v", "--trace", "--pipeline", "3", url(server.port())});
  CHECK(r.status == 0);
  CHECK(r.out == hello + hello + hello);
  CHECK(count(r.err, "=> Send ") == 1);
  CHECK_THAT(r.err, contains("] 3 requests sent in one write (pipelined)"));
  CHECK_THAT(r.err, contains("] response 3: complete: status 200"));
  CHECK(server.access_log().size() == 3);
}

TEST_CASE("--pipeline: a server that closes after the first answer leaves the rest unanswered (18)",
          "[integration][client][get]") {
  seen log;
  scripted_server server(answer_once_and_close("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", log));
  const auto r = run_client({"get", "--pipeline", "3", server.url()});
  CHECK(r.status == 18);
  CHECK(r.out == "abc");
  // Closed with two requests unread, the socket sends a reset rather than a FIN on most systems.
  CHECK_THAT(r.err, contains("socketlab-client: only 1 of 3 pipelined requests were answered: the server "));
  check_one_line(r.err);
}

TEST_CASE("--pause does not count against --timeout: the pause is the client's, not the server's",
          "[integration][client][get]") {
  running_server server;
  // 90 bytes in 3 pieces with 2 pauses of 300 ms: 600 ms of pausing under a 0.5 s timeout.
  const auto r =
      run_client({"get", "--split", "40", "--pause", "300", "--timeout", "0.5", url(server.port())});
  CHECK(r.status == 0);
  CHECK(r.out == hello);
}

TEST_CASE("after 101 Switching Protocols the connection is not reused for HTTP",
          "[integration][client][get]") {
  seen log;
  scripted_server server(answer_each("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", log));
  const auto r = run_client({"get", "-v", server.url("/a"), server.url("/b")});
  CHECK(r.status == 0);
  CHECK(log.connections() == 2);
  CHECK_THAT(r.err, contains("Closing connection #0: the server switched protocols (101)"));
}

TEST_CASE("get reaches an IPv6 loopback server", "[integration][client][get]") {
  const auto server = test::start_on_ipv6_loopback();
  if (!server) return;
  const std::string port = std::to_string(server->port());
  const auto r = run_client({"get", "-v", "http://[::1]:" + port + "/"});
  CHECK(r.status == 0);
  CHECK(r.out == hello);
  CHECK_THAT(r.err, contains("] Trying [::1]:" + port + "...\n"));
  CHECK_THAT(r.err, contains("\n> Host: [::1]:" + port + "\n"));
  REQUIRE(server->access_log().size() == 1);
  CHECK_THAT(server->access_log()[0], contains("::1 - - ["));
}

// ---- against scripted servers -----------------------------------------------------------------

TEST_CASE("a chunked body is decoded", "[integration][client][get]") {
  seen log;
  scripted_server server(
      answer_each("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5;lesson=4\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: dropped\r\n\r\n",
                  log));
  const auto r = run_client({"get", server.url(), server.url()});
  CHECK(r.status == 0);
  CHECK(r.out == "hello, worldhello, world");
  CHECK(log.connections() == 1);  // the chunked framing ended the body, so the connection went on
}

TEST_CASE("a close-delimited body ends when the server closes", "[integration][client][get]") {
  seen log;
  scripted_server server(
      answer_once_and_close("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end\n", log));
  const auto r = run_client({"get", "-v", server.url()});
  CHECK(r.status == 0);
  CHECK(r.out == "until the end\n");
  CHECK_THAT(r.err,
             contains("] Closing connection #0: the body ended when the server closed the connection\n"));
}

TEST_CASE("100 Continue, then 200: -v shows both heads, -i prints both", "[integration][client][get]") {
  scripted_server server([](tcp::socket& s) {
    while (scripted_server::read_head(s).ends_with("\r\n\r\n")) {
      scripted_server::write(s, "HTTP/1.1 100 Continue\r\n\r\n");
      scripted_server::write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }
  });
  const auto r = run_client({"get", "-v", "-i", server.url()});
  CHECK(r.status == 0);
  CHECK(r.out == "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  CHECK_THAT(r.err, contains("\n< HTTP/1.1 100 Continue\n<\n< HTTP/1.1 200 OK\n< Content-Length: 2\n<\n"));
  CHECK_THAT(r.err, contains("] complete: status 200, 2 bytes of body, 65 bytes in all\n"));
}

TEST_CASE("a response written in two pieces, cut at any offset, gives the same body",
          "[integration][client][get]") {
  const std::string body = "TCP keeps no message boundaries: the client reads what has arrived.\n";
  const auto response = GENERATE_COPY(
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
          "\r\n\r\n" + body,
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n" + body.substr(0, 16) + "\r\n" +
          "34;part=2\r\n" + body.substr(16) + "\r\n0\r\n\r\n");
  // Left alone, loopback TCP hands the client both writes in one read nearly every time. So the
  // second write waits until the client's --trace shows it has read the first: two reads, always.
  std::atomic<std::size_t> cut{0};
  std::atomic<test::capture_stream*> trace{nullptr};
  scripted_server server([&](tcp::socket& s) {
    const std::size_t at = cut.load();
    test::capture_stream* client_err = trace.load();
    (void)scripted_server::read_head(s);
    scripted_server::write(s, std::string_view(response).substr(0, at));
    (void)client_err->wait_for("<= Recv", std::chrono::seconds(5));
    scripted_server::write(s, std::string_view(response).substr(at));
    scripted_server::drain_until_close(s);
  });
  const std::string target = server.url();
  const std::vector<const char*> argv{"socketlab-client", "get", "--trace", target.c_str()};
  std::size_t same = 0;
  for (std::size_t at = 1; at < response.size(); ++at) {
    std::ostringstream out;
    test::capture_stream err;  // run_client() cannot be watched while it runs; this can
    cut = at;
    trace = &err;
    const int status = client::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
    if (status == 0 && out.str() == body && count(err.str(), "<= Recv ") >= 2) {
      ++same;
    } else {  // CHECKs for the cuts that fail only, not hundreds for those that pass
      CAPTURE(at, err.str());
      CHECK(status == 0);
      CHECK(out.str() == body);
      CHECK(count(err.str(), "<= Recv ") >= 2);
    }
  }
  CHECK(same == response.size() - 1);
}

TEST_CASE("HEAD: a Content-Length but no body, and the connection goes on", "[integration][client][get]") {
  seen log;
  scripted_server server(answer_each("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", log));
  const auto r = run_client({"get", "-I", "--timeout", "5", server.url("/a"), server.url("/b")});
  CHECK(r.status == 0);
  CHECK(r.out ==
        "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
  CHECK(log.connections() == 1);
  const auto heads = log.heads();
  REQUIRE(heads.size() == 2);
  CHECK(heads[0].starts_with("HEAD /a HTTP/1.1\r\n"));
  CHECK(heads[1].starts_with("HEAD /b HTTP/1.1\r\n"));
}

TEST_CASE("after Connection: close the next URL opens a new connection, and -v says why",
          "[integration][client][get]") {
  seen log;
  scripted_server server(
      answer_once_and_close("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\none", log));
  const auto r = run_client({"get", "-v", server.url(), server.url()});
  CHECK(r.status == 0);
  CHECK(r.out == "oneone");
  CHECK_THAT(r.err, contains("] Closing connection #0: the server sent Connection: close\n"));
  CHECK_THAT(r.err, contains(" (connection #1)\n"));
  CHECK_THAT(r.err, !contains("Re-using"));
  CHECK(log.connections() == 2);
}

TEST_CASE("a kept-alive connection the server has closed is retried once on a new one",
          "[integration][client][get]") {
  const bool read_second_request = GENERATE(false, true);
  CAPTURE(read_second_request);
  seen log;
  scripted_server server([&](tcp::socket& s) {
    if (log.connection() == 1) {
      (void)scripted_server::read_head(s);
      scripted_server::write(s, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
      if (read_second_request) (void)scripted_server::read_head(s);
      return;  // closed without a word: idle, or with the second request unanswered
    }
    while (scripted_server::read_head(s).ends_with("\r\n\r\n")) {
      scripted_server::write(s, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond");
    }
  });
  const auto r = run_client({"get", "-v", server.url("/1"), server.url("/2")});
  CHECK(r.status == 0);
  CHECK(r.out == "firstsecond");
  CHECK_THAT(r.err, contains("] Re-using connection #0"));
  CHECK_THAT(r.err, contains("] connection #0 was closed by the server while idle; opening a new one\n"));
  CHECK_THAT(r.err, contains(" (connection #1)\n"));
  CHECK(log.connections() == 2);
}

TEST_CASE("a malformed status line is exit status 8, and the line says at which byte",
          "[integration][client][get]") {
  seen log;
  scripted_server server(answer_each("HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n", log));
  const auto r = run_client({"get", server.url()});
  CHECK(r.status == 8);
  CHECK(r.out.empty());
  check_one_line(r.err);
  CHECK_THAT(r.err, contains("malformed response from 127.0.0.1:" + std::to_string(server.port()) + ": "));
  CHECK_THAT(r.err, contains("(parsing stopped at byte 17)"));
  CHECK_THAT(r.err, contains("malformed status line"));
}

TEST_CASE("a server that closes without a byte is an empty reply (52)", "[integration][client][get]") {
  seen log;
  scripted_server server(answer_once_and_close("", log));
  const auto r = run_client({"get", server.url()});
  CHECK(r.status == 52);
  CHECK(r.err == "socketlab-client: 127.0.0.1:" + std::to_string(server.port()) +
                     " closed the connection without sending a response\n");
}

TEST_CASE("a server that closes in the middle of the body is a partial response (18)",
          "[integration][client][get]") {
  const std::string cut_short = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part";
  seen log;
  scripted_server server(answer_once_and_close(cut_short, log));
  const auto r = run_client({"get", server.url()});
  CHECK(r.status == 18);
  CHECK(r.out.empty());
  CHECK(r.err == "socketlab-client: 127.0.0.1:" + std::to_string(server.port()) +
                     " closed the connection after " + std::to_string(cut_short.size()) +
                     " bytes, before the response ended\n");
}

TEST_CASE("a server that never answers: --timeout 0.3 is exit status 28", "[integration][client][get]") {
  scripted_server server([](tcp::socket& s) {
    (void)scripted_server::read_head(s);
    scripted_server::drain_until_close(s);  // silent until the client gives up and closes
  });
  const auto started = std::chrono::steady_clock::now();
  const auto r = run_client({"get", "--timeout", "0.3", server.url()});
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(r.status == 28);
  check_one_line(r.err);
  CHECK_THAT(r.err, contains("timed out after 0.3 s waiting for a response from 127.0.0.1:" +
                             std::to_string(server.port())));
  CHECK(took >= std::chrono::milliseconds(300));
  CHECK(took < std::chrono::seconds(5));
}

TEST_CASE("nothing listening is exit status 7: is the server running?", "[integration][client][get]") {
  const socketlab::test::unused_port nothing;
  const std::string port = std::to_string(nothing.port());
  const auto r = run_client({"get", "http://127.0.0.1:" + port + "/"});
  CHECK(r.status == 7);
  CHECK(r.err ==
        "socketlab-client: nothing is listening on 127.0.0.1:" + port + " \u2014 is the server running?\n");
}

TEST_CASE("an unknown host is exit status 6", "[integration][client][get]") {
  const auto r = run_client({"get", "http://nosuch.invalid/"});
  CHECK(r.status == 6);
  check_one_line(r.err);
  CHECK_THAT(r.err, contains("could not resolve host 'nosuch.invalid'"));
}
