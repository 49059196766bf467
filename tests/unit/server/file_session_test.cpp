// A session sending a file's body: a piece at a time, with the send deadline moving on each write
// that makes progress, requests pipelined behind a file answered after it, and a stop that lets
// the file finish. No sockets: bytes in, bytes out, on a fake clock.
#include <cstdint>
#include <fstream>
#include <string>
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

constexpr std::size_t piece = server::http_session::body_piece;

/// A folder with `big.bin` (four pieces and a bit) and `a.txt`, served by a static site, and a
/// session on it with round timeouts.
struct fixture {
  fixture() {
    write("big.bin", big);
    write("a.txt", "a\n");
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

/// Writes everything the session has to send, @p step at a time; the bytes, in order.
/// Checks that no more than one piece of a body (and a header) is ever held.
std::string drain(server::http_session& s, clock_type::time_point now, std::size_t step = SIZE_MAX) {
  std::string wire;
  while (!s.output().empty()) {
    CHECK(s.output().size() <= piece + 1024);
    const auto n = std::min(step, s.output().size());
    wire.append(s.output().substr(0, n));
    s.on_written(n, now);
  }
  return wire;
}

}  // namespace

TEST_CASE("session: a file goes out a piece at a time, whatever the writes take",
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

TEST_CASE("session: once a file is sent, the connection holds no piece of it while it waits",
          "[unit][server][session][file]") {
  // Ten thousand idle keep-alive clients that each fetched a file must not each keep 64 KiB.
  fixture f;
  auto s = f.session();
  s.on_bytes("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n", f.t0);
  CHECK(s.buffered_capacity() >= piece);  // a piece is held while it is being sent
  REQUIRE(test::parse_responses(drain(s, f.t0)).at(0).body == f.big);
  CHECK(s.idle());
  CHECK(s.buffered_capacity() <= server::http_session::kept_output_capacity);
  // A small response keeps its room for the next one.
  s.on_bytes("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", f.t0);
  const auto held = s.buffered_capacity();
  REQUIRE(test::parse_responses(drain(s, f.t0)).at(0).body == "a\n");
  CHECK(s.buffered_capacity() == held);
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
  s.on_sent(f.t0);  // the header and the first piece
  std::filesystem::resize_file(f.folder.path() / "big.bin", piece + 10);
  const std::string rest = drain(s, f.t0);
  CHECK(rest.size() < 4 * piece);  // Content-Length promised more than will ever come
  CHECK(s.should_close());
  CHECK(s.linger());  // the pipelined request is left unread
}
