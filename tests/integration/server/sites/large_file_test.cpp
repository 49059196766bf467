// Large files over real loopback sockets, under every serving model: a slow reader is served for
// as long as it keeps reading, a stop in the middle of a file lets the file finish, ranges resume
// a download, and offsets past 4 GiB work (a sparse file: no disk is used).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "server/config.hpp"
#include "support/catch.hpp"
#include "support/each_model.hpp"
#include "support/raw_client.hpp"
#include "support/running_server.hpp"
#include "support/temp_folder.hpp"
#include "support/wire_bytes.hpp"

namespace fs = std::filesystem;
using namespace socketlab;
using namespace std::chrono_literals;
using test::raw_client;
using test::running_server;

namespace {

/// A folder holding `big.bin` (@p size pattern bytes), served by one site on a free port.
struct big_file_site {
  explicit big_file_site(std::size_t size) : bytes(test::patterned_bytes(size)) {
    std::ofstream(folder.path() / "big.bin", std::ios::binary) << bytes;
    config.sites.push_back({0, folder.path().string()});
  }
  test::temp_folder folder{"socketlab-large-file"};
  std::string bytes;
  server::server_config config;
};

constexpr int small_window = 16 * 1024;  ///< a slow client's receive buffer

/// Larger than what the kernel buffers between the server's writes and a client's reads (Linux
/// lets a socket's send buffer grow to 4 MiB): the server's last write cannot complete until the
/// client has read most of the file, however fast the server writes.
constexpr std::size_t beyond_buffers = 12 * 1024 * 1024;

/// Whether a connection to @p port is refused within @p timeout: the server has closed its
/// listener. (Nothing tells an outsider the moment it closes: it tries every 10 ms.)
bool refused_within(std::uint16_t port, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    try {
      raw_client probe(port);
    } catch (const std::exception&) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(10ms);
  }
}

}  // namespace

TEST_CASE("a slow reader gets a whole file that takes longer than the send timeout to send",
          "[integration][server][static][slow]") {
  big_file_site site(2 * 1024 * 1024);
  site.config.timeouts.send = 300ms;  // the time allowed between two writes that make progress
  SOCKETLAB_FOR_EACH_MODEL(site.config);
  running_server server(site.config);
  raw_client client(server.port(), "127.0.0.1", small_window);
  client.pace(16 * 1024, 10ms);  // 1.6 MB/s: the whole file takes four send timeouts and more

  const auto started = std::chrono::steady_clock::now();
  client.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto res = client.read_response(false, 30s);
  CHECK(std::chrono::steady_clock::now() - started > site.config.timeouts.send);
  CHECK(res.status == 200);
  CHECK(res.body.size() == site.bytes.size());
  CHECK(res.body == site.bytes);
}

TEST_CASE("a reader that stops reading is dropped at the send timeout",
          "[integration][server][static][slow]") {
  big_file_site site(beyond_buffers);
  site.config.timeouts.send = 200ms;
  SOCKETLAB_FOR_EACH_MODEL(site.config);
  running_server server(site.config);
  raw_client client(server.port(), "127.0.0.1", small_window);
  client.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
  client.read_at_least(1);          // then it reads nothing while the buffers fill
  std::this_thread::sleep_for(1s);  // the client stalls: the behaviour under test, not a wait
  const std::string got = client.read_until_close(10s);
  CHECK(got.size() < site.bytes.size());
}

TEST_CASE("a stop in the middle of a file stops the accepting at once, lets the file finish, then closes",
          "[integration][server][static][stop]") {
  big_file_site site(beyond_buffers);
  SOCKETLAB_FOR_EACH_MODEL(site.config);
  // Two event-loop threads: the stop comes from another thread than the connection's strand.
  if (site.config.model == server::serving_model::async) site.config.threads = 2;
  const bool last = GENERATE(true, false);
  INFO((last ? "Connection: close" : "kept alive"));
  running_server server(site.config);
  raw_client client(server.port(), "127.0.0.1", small_window);
  client.send(std::string("GET /big.bin HTTP/1.1\r\nHost: x\r\n") + (last ? "Connection: close\r\n" : "") +
              "\r\n");
  client.read_at_least(64 * 1024);  // the transfer is under way
  // The client pauses, so that the server is waiting for room to write when the stop comes
  // (nothing signals that moment; a stop between two writes must deliver the file too).
  std::this_thread::sleep_for(200ms);
  server.stop();
  // New clients are refused while the file is still being sent: every model, the iterative one
  // too, whose only thread is the one sending it.
  CHECK(refused_within(server.port(), 2s));
  const auto res = client.read_response(false, 30s);
  CHECK(res.status == 200);
  CHECK(res.body.size() == site.bytes.size());
  CHECK(res.body == site.bytes);
  CHECK(client.closed_within(5s));
  CHECK(server.finished_within(10s));
}

TEST_CASE("a download resumes with Range, and If-Range tells a changed file",
          "[integration][server][static][range]") {
  big_file_site site(300 * 1000);
  running_server server(site.config);
  raw_client client(server.port());
  client.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto whole = client.read_response();
  REQUIRE(whole.headers.get("Accept-Ranges") == "bytes");
  const std::string etag(*whole.headers.get("ETag"));

  client.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=100000-\r\nIf-Range: " + etag + "\r\n\r\n");
  const auto rest = client.read_response();
  CHECK(rest.status == 206);
  CHECK(rest.headers.get("Content-Range") == "bytes 100000-299999/300000");
  CHECK(rest.body == site.bytes.substr(100000));

  client.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=100000-\r\nIf-Range: \"changed\"\r\n\r\n");
  CHECK(client.read_response().status == 200);  // another version: the whole file

  client.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=300000-\r\n\r\n");
  const auto past = client.read_response();
  CHECK(past.status == 416);
  CHECK(past.headers.get("Content-Range") == "bytes */300000");

  client.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");  // still in step
  CHECK(client.read_response().body == site.bytes);
}

TEST_CASE("a file larger than 4 GiB: its length and a range across the 4 GiB mark",
          "[integration][server][static][range]") {
  test::temp_folder folder("socketlab-sparse");
  const auto path = folder.path() / "huge.bin";
  constexpr std::uint64_t size = (4ULL << 30) + 100;
  std::ofstream(path, std::ios::binary).close();
  fs::resize_file(path, size);  // sparse where the file system allows: no disk used
  {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>(size - 4));
    f << "tail";
  }
  server::server_config config;
  config.sites.push_back({0, folder.path().string()});
  running_server server(config);
  raw_client client(server.port());

  client.send("HEAD /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(client.read_response(true).headers.get("Content-Length") == std::to_string(size));
  client.send("GET /huge.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=-6\r\n\r\n");
  const auto end = client.read_response();
  CHECK(end.status == 206);
  CHECK(end.body == std::string("\0\0tail", 6));
  CHECK(end.headers.get("Content-Range") ==
        "bytes " + std::to_string(size - 6) + "-" + std::to_string(size - 1) + "/" + std::to_string(size));
}
