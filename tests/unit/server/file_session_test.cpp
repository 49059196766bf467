// A session sending a file's body: a small one with its header in one write, a large one
// straight from the file (file_output()), with the send deadline moving on each write that makes
// progress, requests pipelined behind a file answered after it, and a stop that lets the file
// finish. No sockets: bytes in, bytes out, on a fake clock; a file's bytes are "sent" by reading
// them at the offset the session gives, as net::send_file() would.
#include <cstdint>
#include <fstream>
#include <span>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "server/http_session.hpp"
#include "server/sites/static_site.hpp"
#include "support/catch.hpp"
#include "support/temp_folder.hpp"
#include "support/wire_bytes.hpp"

using namespace socketlab;
using namespace std::chrono_literals;
using clock_type = server::http_session::clock;

namespace {

constexpr std::size_t piece = 64 * 1024;  // a large write, as a socket with room may take
constexpr std::size_t inline_max = server::http_session::inline_file_max;

/// A folder with `big.bin` (four pieces and a bit), `a.txt` and files at the inline limit and
/// just above it, served by a static site, and a session on it with round timeouts.
struct fixture {
  fixture() {
    write("big.bin", big);
    write("a.txt", "a\n");
    write("at-limit.bin", test::patterned_bytes(inline_max));
    write("over-limit.bin", test::patterned_bytes(inline_max + 1));
    config.timeouts = {.header = 10s, .idle = 15s, .body = 5s, .send = 10s};
  }
  void write(const std::string& name, const std::string& bytes) const {
    std::ofstream(folder.path() / name, std::ios::binary) << bytes;
  }
  server::http_session session() { return {site, config, "127.0.0.1", "127.0.0.1:5000", t0}; }

  test::temp_folder folder{"socketlab-file-session"};
  std::string big = test::patterned_bytes(4 * piece + 123);
  server::static_site site{folder.path()};
  server::server_config config;
  clock_type::time_point t0 = clock_type::now();
};

/// What a driver's send_some() does, with a string for the socket: takes at most @p step bytes
/// of output(), or else of the file body (read where the session says), and tells the session.
/// @return false when there was nothing to send
bool send_some(server::http_session& s, std::string& wire, clock_type::time_point now, std::size_t step) {
  if (const auto bytes = s.output(); !bytes.empty()) {
    const auto n = std::min(step, bytes.size());
    wire.append(bytes.substr(0, n));
    s.on_written(n, now);
    return true;
  }
  const auto* body = s.file_output();
  if (body == nullptr) return false;
  std::string taken(static_cast<std::size_t>(std::min<std::uint64_t>(step, body->remaining())), '\0');
  std::error_code ec;
  const auto n = body->file().read_at(body->offset(), std::span(taken), ec);
  REQUIRE_FALSE(ec);
  if (n == 0) {
    s.on_file_short();
    return true;
  }
  wire.append(taken, 0, n);
  s.on_written(n, now);
  return true;
}

/// Sends everything the session has to send, @p step at a time; the bytes, in order. Checks
/// that the session never holds a large file's bytes in memory: at most a buffer borrowed from
/// the thread's spares (which other tests, run before, may have left as large as they keep).
std::string drain(server::http_session& s, clock_type::time_point now, std::size_t step = SIZE_MAX) {
  std::string wire;
  do {
    CHECK(s.buffered_capacity() <= server::http_session::max_kept_buffer + 1024);
  } while (send_some(s, wire, now, step));
  CHECK_FALSE(s.has_output());
  return wire;
}

}  // namespace

TEST_CASE("session: a large file goes out from the file, whatever the writes take",
          "[unit][server][session][file]") {
  fixture f;
  auto s = f.session();
  s.on_bytes("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n", f.t0);
  const std::size_t step = GENERATE(std::size_t{1000}, piece, SIZE_MAX);
  CAPTURE(step);
  const auto rs = test::parse_responses(drain(s, f.t0, step));
  REQUIRE(rs.size() == 1);
  CHECK(rs[0].status == 200);
  CHECK(rs[0].headers.get("Content-Length") == std::to_string(f.big.size()));
  CHECK(rs[0].body == f.big);
  CHECK(s.idle());
}

TEST_CASE("session: a large file's header goes first, then the file's bytes, none held in memory",
          "[unit][server][session][file]") {
  fixture f;
  auto s = f.session();
  s.on_bytes("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n", f.t0);
  CHECK(s.output().starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(s.output().ends_with("\r\n\r\n"));  // the header only
  CHECK(s.file_output() == nullptr);        // the file waits for the header to go
  // The header is in a buffer borrowed from the thread's spares, never the file's 256 KiB.
  CHECK(s.buffered_capacity() <= server::http_session::max_kept_buffer);
  s.on_sent(f.t0);
  const auto* body = s.file_output();
  REQUIRE(body != nullptr);
  CHECK(body->offset() == 0);
  CHECK(body->remaining() == f.big.size());
  CHECK(s.has_output());
  CHECK_FALSE(s.idle());
  s.on_written(1000, f.t0);
  CHECK(s.file_output()->offset() == 1000);
  s.on_written(f.big.size() - 1000, f.t0);
  CHECK_FALSE(s.has_output());
  CHECK(s.idle());
}

TEST_CASE("session: a small file goes with its header, in one write, up to the inline limit",
          "[unit][server][session][file]") {
  fixture f;
  auto s = f.session();
  s.on_bytes("GET /at-limit.bin HTTP/1.1\r\nHost: x\r\n\r\n", f.t0);
  CHECK(s.file_output() == nullptr);
  CHECK(test::parse_responses(s.output()).at(0).body == test::patterned_bytes(inline_max));
  s.on_sent(f.t0);
  CHECK_FALSE(s.has_output());
  // One byte more is sent from the file.
  s.on_bytes("GET /over-limit.bin HTTP/1.1\r\nHost: x\r\n\r\n", f.t0);
  CHECK(s.output().ends_with("\r\n\r\n"));
  s.on_sent(f.t0);
  REQUIRE(s.file_output() != nullptr);
  CHECK(s.file_output()->remaining() == inline_max + 1);
}

TEST_CASE("session: once a file is sent, the connection holds no bytes of it while it waits",
          "[unit][server][session][file]") {
  // Ten thousand idle keep-alive clients that each fetched a file must not each keep its bytes.
  fixture f;
  auto s = f.session();
  s.on_bytes("GET /at-limit.bin HTTP/1.1\r\nHost: x\r\n\r\n", f.t0);
  CHECK(s.buffered_capacity() >= inline_max);  // a small file is held while it is being sent
  REQUIRE(test::parse_responses(drain(s, f.t0)).at(0).body == test::patterned_bytes(inline_max));
  CHECK(s.idle());
  CHECK(s.buffered_capacity() <= 2 * std::string().capacity());  // two empty strings: no buffer
}

TEST_CASE("session: an idle connection's buffer serves the next response of another, allocating nothing",
          "[unit][server][session][file]") {
  // What one connection gives back when idle, the next connection answered on the thread takes.
  // On a thread of its own, whose spares are empty at first (Catch2 checks on this one, after).
  fixture f;
  const char* given = nullptr;
  const char* taken = nullptr;
  std::size_t taken_capacity = 0;
  std::string answer;
  std::thread([&] {
    auto first = f.session();
    auto second = f.session();
    first.on_bytes("GET /at-limit.bin HTTP/1.1\r\nHost: x\r\n\r\n", f.t0);
    given = first.output().data();
    first.on_sent(f.t0);
    second.on_bytes("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", f.t0);
    taken = second.output().data();
    taken_capacity = second.buffered_capacity();
    answer = std::string(second.output());
  }).join();
  CHECK(taken == given);
  CHECK(taken_capacity >= inline_max);
  CHECK(test::parse_responses(answer).at(0).body == "a\n");
}

TEST_CASE("session: requests pipelined behind a file are answered after it, in order",
          "[unit][server][session][file]") {
  fixture f;
  auto s = f.session();
  const std::string stream =
      "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
      "HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=5-9\r\nConnection: close\r\n\r\n";
  s.on_bytes(stream, f.t0);
  const std::string wire = drain(s, f.t0);
  CHECK(s.should_close());
  CHECK_FALSE(s.linger());  // every request was read and answered
  const auto rs = test::parse_responses(wire, {false, false, true, false});
  REQUIRE(rs.size() == 4);
  CHECK(rs[0].body == f.big);
  CHECK(rs[1].body == "a\n");
  CHECK(rs[2].headers.get("Content-Length") == std::to_string(f.big.size()));  // HEAD: no body
  CHECK(rs[3].status == 206);
  CHECK(rs[3].body == f.big.substr(5, 5));
  CHECK(rs[3].headers.get("Content-Length") == "5");
}

TEST_CASE("session: the send deadline counts from the last write that made progress",
          "[unit][server][session][file]") {
  fixture f;
  auto s = f.session();
  s.on_bytes("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n", f.t0);
  CHECK(s.deadline() == f.t0 + 10s);
  // A reader taking 1000 bytes every 9 s would need far more than 10 s in all; it is never late.
  auto now = f.t0;
  std::size_t received = 0;
  for (int i = 0; i < 20; ++i) {
    now += 9s;
    REQUIRE(now < s.deadline());
    s.on_written(1000, now);
    received += 1000;
    CHECK(s.deadline() == now + 10s);
  }
  CHECK(received < f.big.size());
  CHECK_FALSE(s.should_close());
}

TEST_CASE("session: a stop during a file lets the file finish, then the connection closes",
          "[unit][server][session][file]") {
  fixture f;
  auto s = f.session();
  s.on_bytes("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n", f.t0);
  s.on_written(100, f.t0);
  s.on_shutdown();
  CHECK_FALSE(s.should_close());
  std::string wire = std::string(drain(s, f.t0));
  CHECK(s.should_close());
  CHECK(wire.size() + 100 > f.big.size());
  CHECK(wire.ends_with(f.big.substr(f.big.size() - 1000)));
}

TEST_CASE("session: a file that shrinks while it is sent ends the connection, not the server",
          "[unit][server][session][file]") {
  fixture f;
  auto s = f.session();
  s.on_bytes(
      "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n",
      f.t0);
  s.on_sent(f.t0);            // the header
  s.on_written(piece, f.t0);  // and some of the file
  std::filesystem::resize_file(f.folder.path() / "big.bin", piece + 10);
  const std::string rest = drain(s, f.t0, 1000);
  CHECK(rest == f.big.substr(piece, 10));  // Content-Length promised more than will ever come
  CHECK(s.should_close());
  CHECK(s.linger());  // the pipelined request is left unread
}
