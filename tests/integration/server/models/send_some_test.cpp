// send_some(), the write step every serving model shares, on a real loopback connection: a
// response that leaves in one write sets nothing on the socket; one that leaves in pieces (a
// file after its header) turns Nagle's algorithm off first; a socket with no room says
// would_block, after the unsent limit is set. What arrives is the response, whole.
#include "server/models/send_some.hpp"

#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "server/http_session.hpp"
#include "server/sites/static_site.hpp"
#include "support/catch.hpp"
#include "support/temp_folder.hpp"
#include "support/wire_bytes.hpp"

using namespace socketlab;
using asio::ip::tcp;
using clock_type = server::http_session::clock;

namespace {

/// Whether @p wire holds one whole response: its header, and the body its Content-Length says.
bool whole(const std::string& wire) {
  const auto header_end = wire.find("\r\n\r\n");
  const auto length_at = wire.find("Content-Length: ");
  if (header_end == std::string::npos || length_at == std::string::npos) return false;
  const auto length = std::stoull(wire.substr(length_at + 16));
  return wire.size() >= header_end + 4 + length;
}

/// A connected pair on loopback, the server's side non-blocking, and a static site with a small
/// file and one larger than what goes with its header (http_session::inline_file_max).
struct fixture {
  fixture() {
    std::ofstream(folder.path() / "small.txt", std::ios::binary) << "hello\n";
    std::ofstream(folder.path() / "big.bin", std::ios::binary) << big;
    tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server_side);
    server_side.non_blocking(true);
  }
  /// The server side's TCP_NODELAY, as the system has it.
  bool no_delay() {
    tcp::no_delay option;
    server_side.get_option(option);
    return option.value();
  }
  /// Sends everything @p s has, reading on the client side whenever the socket is full.
  /// @return what the client read
  std::string drain(server::http_session& s, server::send_tuning& tuning) {
    std::string wire;
    std::array<char, 64 * 1024> buffer;
    while (s.has_output()) {
      const auto ec = server::send_some(server_side.native_handle(), s, tuning, clock_type::now());
      if (ec == asio::error::would_block) {
        wire.append(buffer.data(), client.read_some(asio::buffer(buffer)));
        continue;
      }
      REQUIRE_FALSE(ec);
    }
    while (!whole(wire))
      wire.append(buffer.data(), client.read_some(asio::buffer(buffer)));
    return wire;
  }
  server::http_session session() { return {site, config, "127.0.0.1", "127.0.0.1:5000", clock_type::now()}; }
  /// GET @p path through send_some(), on a fresh session, with @p tuning.
  /// @return the body of the one response the client read
  std::string get(std::string_view path, server::send_tuning& tuning) {
    auto s = session();
    s.on_bytes("GET " + std::string(path) + " HTTP/1.1\r\nHost: x\r\n\r\n", clock_type::now());
    const auto rs = test::parse_responses(drain(s, tuning));
    REQUIRE(rs.size() == 1);
    return rs[0].body;
  }

  test::temp_folder folder{"socketlab-send-some"};
  std::string big = test::patterned_bytes(4 * server::http_session::inline_file_max);
  server::static_site site{folder.path()};
  server::server_config config;
  asio::io_context io;
  tcp::socket client{io};
  tcp::socket server_side{io};
};

}  // namespace

TEST_CASE("send_some: a response in one write sets nothing on the socket", "[integration][server][send]") {
  fixture f;
  server::send_tuning tuning;
  CHECK(f.get("/small.txt", tuning) == "hello\n");
  CHECK_FALSE(tuning.no_delay);
  CHECK_FALSE(tuning.unsent_limited);
  CHECK_FALSE(f.no_delay());  // Nagle's algorithm as the system left it: no system call was made
}

TEST_CASE("send_some: a file after its header goes with Nagle's algorithm off",
          "[integration][server][send]") {
  fixture f;
  server::send_tuning tuning;
  CHECK(f.get("/big.bin", tuning) == f.big);
  CHECK(tuning.no_delay);
  CHECK(f.no_delay());
}

TEST_CASE("send_some: a socket with no room says would_block, the unsent limit set first",
          "[integration][server][send]") {
  fixture f;
  f.big = test::patterned_bytes(32 * 1024 * 1024);  // more than any socket buffer holds
  std::ofstream(f.folder.path() / "big.bin", std::ios::binary | std::ios::trunc) << f.big;
  auto s = f.session();
  s.on_bytes("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n", clock_type::now());
  server::send_tuning tuning;
  std::error_code ec;
  while (!ec)
    ec = server::send_some(f.server_side.native_handle(), s, tuning,
                           clock_type::now());  // the client reads nothing meanwhile
  CHECK(ec == asio::error::would_block);
  CHECK(tuning.unsent_limited);
  CHECK(s.has_output());
  const auto rs = test::parse_responses(f.drain(s, tuning));  // then it reads: all arrives
  REQUIRE(rs.size() == 1);
  CHECK(rs[0].body == f.big);
}
