// net::send_file() on real loopback sockets: a range of a file arrives whole and in order, a
// socket with no room says would_block instead of blocking, the end of the file is 0 bytes,
// and a peer that reset is an error, not the end of the process (SIGPIPE on Linux).
#include "socketlab/net/send_file.hpp"

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <thread>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>

#include "socketlab/net/readable_file.hpp"
#include "socketlab/net/wait.hpp"
#include "support/catch.hpp"
#include "support/connected_pair.hpp"
#include "support/temp_folder.hpp"
#include "support/wire_bytes.hpp"

namespace net = socketlab::net;
using namespace std::chrono_literals;
using asio::ip::tcp;
using socketlab::test::connected_pair;

namespace {

/// A file in a temporary folder, open for reading.
struct file_fixture {
  explicit file_fixture(const std::string& bytes) {
    std::ofstream(folder.path() / "f.bin", std::ios::binary) << bytes;
    std::error_code ec;
    file = net::readable_file::open(folder.path() / "f.bin", ec);
    REQUIRE_FALSE(ec);
  }
  socketlab::test::temp_folder folder{"socketlab-send-file"};
  net::readable_file file;
};

/// Waits until @p socket has room to write, for at most 10 s.
void wait_for_room(tcp::socket& socket) {
  std::error_code ec;
  const net::wait_entry room[] = {{socket.native_handle(), true}};
  REQUIRE(net::wait_any(room, std::chrono::steady_clock::now() + 10s, ec) == 0);
  REQUIRE_FALSE(ec);
}

}  // namespace

TEST_CASE("send_file: a range of the file arrives whole and in order", "[integration][net][send-file]") {
  const std::string bytes = socketlab::test::patterned_bytes(700'000);
  file_fixture f(bytes);
  connected_pair p;
  p.server.non_blocking(true);
  constexpr std::uint64_t first = 1000;
  constexpr std::uint64_t count = 600'000;  // more than one call takes on most systems
  std::string received(count, '\0');
  std::thread reader([&] { asio::read(p.client, asio::buffer(received)); });

  std::uint64_t sent = 0;
  int calls = 0;
  while (sent < count) {
    std::error_code ec;
    const auto n = net::send_file(p.server.native_handle(), f.file, first + sent, count - sent, ec);
    ++calls;
    if (ec == asio::error::would_block) {
      wait_for_room(p.server);
      continue;
    }
    REQUIRE_FALSE(ec);
    REQUIRE(n > 0);
    sent += n;
  }
  reader.join();
  CHECK(sent == count);
  CHECK(received == bytes.substr(first, count));
  CAPTURE(calls);
}

TEST_CASE("send_file: a socket with no room says would_block, and never waits",
          "[integration][net][send-file]") {
  // A sparse 64 MiB file: more than any loopback connection buffers while nobody reads.
  file_fixture f("");
  std::filesystem::resize_file(f.folder.path() / "f.bin", 64 << 20);
  f.file = {};
  std::error_code ec;
  f.file = net::readable_file::open(f.folder.path() / "f.bin", ec);
  REQUIRE_FALSE(ec);
  connected_pair p;
  p.server.non_blocking(true);
  std::uint64_t sent = 0;
  for (;;) {
    const auto n = net::send_file(p.server.native_handle(), f.file, sent, (64 << 20) - sent, ec);
    if (ec) break;
    REQUIRE(n > 0);
    sent += n;
  }
  CHECK(ec == asio::error::would_block);
  CHECK(sent > 0);
  CHECK(sent < (64 << 20));
}

TEST_CASE("send_file: no byte at the offset is 0 bytes and no error", "[integration][net][send-file]") {
  file_fixture f("12345");
  connected_pair p;
  p.server.non_blocking(true);
  std::error_code ec;
  CHECK(net::send_file(p.server.native_handle(), f.file, 5, 10, ec) == 0);
  CHECK_FALSE(ec);
  CHECK(net::send_file(p.server.native_handle(), f.file, 2, 0, ec) == 0);  // nothing asked, nothing sent
  CHECK_FALSE(ec);
  CHECK(net::send_file(p.server.native_handle(), f.file, 3, 10, ec) == 2);  // what there is, no more
  CHECK_FALSE(ec);
  std::array<char, 2> got{};
  asio::read(p.client, asio::buffer(got));
  CHECK(std::string(got.data(), 2) == "45");
}

TEST_CASE("send_file: a peer that reset is an error, and the process goes on",
          "[integration][net][send-file]") {
  // On Linux, sendfile(2) on a connection already known to be reset raises SIGPIPE, which would
  // end this test program: send_file() must have made the signal ignored, and report EPIPE.
  file_fixture f(socketlab::test::patterned_bytes(100'000));
  connected_pair p;
  p.server.non_blocking(true);
  p.client.set_option(asio::socket_base::linger(true, 0));
  p.client.close();  // a reset, not a FIN
  std::error_code ec;
  for (int tries = 0; tries < 100 && !ec; ++tries) {
    (void)net::send_file(p.server.native_handle(), f.file, 0, 100'000, ec);
    if (ec == asio::error::would_block) {
      ec.clear();
      wait_for_room(p.server);
    }
  }
  CHECK(ec);
  CHECK(ec != asio::error::would_block);
  // The first error reports the reset; the next send is the one that meets a broken pipe.
  (void)net::send_file(p.server.native_handle(), f.file, 0, 100'000, ec);
  CHECK(ec);
}
