// The echo servers on real sockets on loopback, port 0: UDP round trips up to the largest
// datagram, the loop guard, the simulation as the network would show it; TCP as a byte stream.
#include <array>
#include <functional>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <asio/buffer.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include "server/echo/tcp_echo_server.hpp"
#include "server/echo/udp_echo_server.hpp"
#include "support/capture_stream.hpp"
#include "support/catch.hpp"
#include "support/running_echo.hpp"

using namespace socketlab;
using namespace std::chrono_literals;
using asio::ip::tcp;
using asio::ip::udp;
using test::running_tcp_echo;
using test::running_udp_echo;

namespace {

/// A UDP client socket whose receives wait at most a deadline.
class udp_client {
 public:
  explicit udp_client(std::uint16_t server_port, std::uint16_t own_port = 0)
      : socket_(io_, udp::endpoint(asio::ip::make_address("127.0.0.1"), own_port)),
        server_(asio::ip::make_address("127.0.0.1"), server_port) {}

  void send(const std::string& data) { socket_.send_to(asio::buffer(data), server_); }

  /// The next datagram, or nothing when none comes within @p timeout.
  std::optional<std::string> receive(std::chrono::milliseconds timeout = 2s) {
    std::vector<char> buffer(70'000);
    std::optional<std::string> got;
    udp::endpoint from;
    socket_.async_receive_from(asio::buffer(buffer), from, [&](const std::error_code& ec, std::size_t n) {
      if (!ec) got.emplace(buffer.data(), n);
    });
    io_.restart();
    io_.run_for(timeout);
    if (!got) {
      socket_.cancel();
      io_.restart();
      io_.run();
    }
    return got;
  }

  [[nodiscard]] std::size_t available() const { return socket_.available(); }

 private:
  asio::io_context io_;
  udp::socket socket_;
  udp::endpoint server_;
};

/// Reads (and drops) whatever @p socket receives until the server closes it, for at most @p limit.
/// @return true when the close came within @p limit: end of stream, or a reset (Linux resets a
///         connection still in the listen queue when the listener closes)
bool closed_within(asio::io_context& io, tcp::socket& socket, std::chrono::milliseconds limit) {
  std::array<char, 1024> buffer{};
  bool closed = false;
  std::function<void()> read_on = [&] {
    socket.async_read_some(asio::buffer(buffer), [&](const std::error_code& ec, std::size_t) {
      if (ec) {
        closed = ec != asio::error::operation_aborted;  // not our own cancel() below
        return;
      }
      read_on();
    });
  };
  read_on();
  io.restart();
  io.run_for(limit);
  if (!closed) {
    socket.cancel();
    io.restart();
    io.run();
  }
  return closed;
}

}  // namespace

TEST_CASE("UDP echo returns datagrams of 0, 1, 1472 and 65,507 bytes unchanged",
          "[integration][server][udp]") {
  running_udp_echo server({});
  udp_client client(server.port());
  for (const std::size_t size : {0U, 1U, 1472U, 65'507U}) {
    CAPTURE(size);
    std::string data(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
      data[i] = static_cast<char>('a' + i % 26);
    client.send(data);
    const auto echo = client.receive();
    REQUIRE(echo.has_value());
    CHECK(*echo == data);
  }
  // The server counts an echo once its send has completed, which may be just after the client
  // has it. One more round trip: the server reads it only after counting the fourth echo.
  client.send("x");
  REQUIRE(client.receive() == std::optional<std::string>("x"));
  const auto stats = server.on_server([](auto& s) { return s.stats(); });
  CHECK(stats.received == 5);
  CHECK(stats.echoed >= 4);  // the fifth's count may still be on its way
}

TEST_CASE("UDP echo never answers a service port such as echo's own port 7", "[integration][server][udp]") {
  running_udp_echo server({});
  std::optional<udp_client> from_port_7;
  try {
    from_port_7.emplace(server.port(), std::uint16_t{7});
  } catch (const std::system_error&) {
    WARN("binding port 7 needs privileges; is_loop_prone_port() is unit-tested instead");
    return;
  }
  udp_client control(server.port());
  from_port_7->send("loop?");
  control.send("after");  // processed after the first: its echo says the first was handled
  REQUIRE(control.receive() == std::optional<std::string>("after"));
  CHECK(from_port_7->available() == 0);
  CHECK(server.on_server([](auto& s) { return s.stats().refused; }) == 1);
}

TEST_CASE("UDP echo's simulated loss drops datagrams and says so", "[integration][server][udp]") {
  test::capture_stream console;
  server::udp_echo_config config;
  config.impair.drop = 1.0;
  config.verbose = true;
  config.console = [&](std::string_view text) { console << text << std::flush; };
  running_udp_echo server(config);
  udp_client client(server.port());
  client.send("1");
  client.send("22");
  client.send("333");
  REQUIRE(console.wait_for("3 bytes dropped (simulated loss)", 5s));
  const auto stats = server.on_server([](auto& s) { return s.stats(); });
  CHECK(stats.received == 3);
  CHECK(stats.dropped == 3);
  CHECK(stats.echoed == 0);
  CHECK(client.available() == 0);
}

TEST_CASE("UDP echo's simulated duplicates arrive twice", "[integration][server][udp]") {
  server::udp_echo_config config;
  config.impair.duplicate = 1.0;
  running_udp_echo server(config);
  udp_client client(server.port());
  client.send("twice");
  CHECK(client.receive() == std::optional<std::string>("twice"));
  CHECK(client.receive() == std::optional<std::string>("twice"));
}

TEST_CASE("UDP echo's simulated reordering sends a held datagram after the next",
          "[integration][server][udp]") {
  server::udp_echo_config config;
  config.impair.reorder = 0.5;
  config.impair.seed = 1;
  // Find, with this seed, a datagram that is held while its successor is not.
  server::impairment probe(config.impair);
  std::vector<bool> holds;
  for (int i = 0; i < 64; ++i)
    holds.push_back(probe.decide().hold);
  std::size_t held = 0;
  while (held + 1 < holds.size() && !(holds[held] && !holds[held + 1]))
    ++held;
  REQUIRE(held + 1 < holds.size());
  running_udp_echo server(config);
  udp_client client(server.port());
  for (std::size_t i = 0; i < held; ++i)
    client.send(std::to_string(i));  // before: some held, each released
  std::vector<std::string> got;
  for (std::size_t i = 0; i < held; ++i)
    got.push_back(client.receive().value_or("none"));
  client.send("held");
  client.send("next");
  CHECK(client.receive() == std::optional<std::string>("next"));
  CHECK(client.receive() == std::optional<std::string>("held"));
}

TEST_CASE("TCP echo returns the byte stream, however it was written", "[integration][server][tcp]") {
  running_tcp_echo server({});
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), server.port()});
  for (const std::string piece : {"one ", "two ", "three"})
    asio::write(socket, asio::buffer(piece));
  std::string back(13, '\0');
  asio::read(socket, asio::buffer(back));  // 13 bytes, in as many reads as the stream needs
  CHECK(back == "one two three");
  socket.close();
  CHECK(server.on_server([](auto& s) { return s.connections(); }) == 1);
}

TEST_CASE("TCP echo closes a connection idle for --idle-timeout, and only then",
          "[integration][server][tcp]") {
  server::tcp_echo_config config;
  config.idle = 150ms;
  running_tcp_echo server(config);
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), server.port()});
  const auto start = std::chrono::steady_clock::now();
  auto last_write = start;
  std::string back(3, '\0');
  // Each echo moves the deadline: three exchanges spread over more than the idle time.
  for (const std::string piece : {"one", "two", "six"}) {
    last_write = std::chrono::steady_clock::now();
    asio::write(socket, asio::buffer(piece));
    asio::read(socket, asio::buffer(back));  // throws on eof: closed too early
    CHECK(back == piece);
    std::this_thread::sleep_for(60ms);  // the client's think time, not a wait for readiness
  }
  CHECK(std::chrono::steady_clock::now() - start >= 150ms);  // open for longer than one idle period
  std::error_code ec;
  char byte = 0;
  const auto n = socket.read_some(asio::buffer(&byte, 1), ec);  // waits for the server's close
  CHECK(n == 0);
  CHECK(ec == asio::error::eof);
  CHECK(std::chrono::steady_clock::now() - last_write >= 150ms);  // idle counted from the last read
}

TEST_CASE("TCP echo's stop() ends connections accepted just before it at once, not after --idle-timeout",
          "[integration][server][tcp]") {
  server::tcp_echo_config config;
  config.idle = 60s;  // a connection that stop() missed would keep the server running this long
  running_tcp_echo server(config);
  // Hold the server's loop while the clients connect: their connections wait in the listen
  // queue, and are accepted one after the other once the loop is released.
  std::promise<void> holding;
  std::promise<void> release;
  server.post([&holding, released = release.get_future()](auto&) {
    holding.set_value();
    released.wait();
  });
  holding.get_future().wait();
  asio::io_context io;
  std::vector<tcp::socket> clients;
  for (int i = 0; i < 20; ++i)
    clients.emplace_back(io).connect({asio::ip::make_address("127.0.0.1"), server.port()});
  // stop() from the loop as soon as the first connection is in: the others are then accepted
  // already, with their completion still queued, or waiting in the listen queue.
  std::function<void(server::tcp_echo_server&)> stop_once_accepting = [&](server::tcp_echo_server& s) {
    if (s.connections() == 0) return server.post(stop_once_accepting);
    s.stop();
  };
  server.post(stop_once_accepting);
  release.set_value();
  CHECK(server.finished_within(5s));
  for (auto& client : clients)
    CHECK(closed_within(io, client, 1s));  // each was closed, by stop() or with the listener
}

TEST_CASE("TCP echo cleans up a connection whose coroutine threw, and still stops at once",
          "[integration][server][tcp]") {
  server::tcp_echo_config config;
  config.idle = 60s;  // a connection left behind would keep the server running this long
  config.verbose = true;
  // The -v console fails on a read's line (a closed pipe, a full disk, bad_alloc): the exception
  // leaves the connection's coroutine in the middle of its loop.
  config.console = [](std::string_view text) {
    if (text.find(": read ") != std::string_view::npos) throw std::runtime_error("console unavailable");
  };
  running_tcp_echo server(config);
  asio::io_context io;
  tcp::socket client(io);
  client.connect({asio::ip::make_address("127.0.0.1"), server.port()});
  asio::write(client, asio::buffer(std::string("ping")));
  CHECK(closed_within(io, client, 5s));  // by the clean-up, not by the idle timeout
  CHECK(server.on_server([](auto& s) { return s.open_connections(); }) == 0);
  CHECK(server.stop_within(5s));
}
