// net::accepted_socket::async_wait_readable() on real loopback sockets, on a loop run by one
// thread and by several: it ends when bytes come, whether they came before the wait (just
// registered, or while nothing waited) or after; a read that did not empty the socket makes the
// next wait re-arm, as does one that took bytes the end of the stream came with; cancel(), a
// cancellation slot and close() end it; a coroutine can await it; a socket Asio accepted itself
// (Windows' way) waits as well. (That it saves Asio's epoll_ctl MOD on Linux: lesson 10's strace.)
#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/write.hpp>

#include "socketlab/net/accepted_socket.hpp"
#include "socketlab/net/use_nothrow.hpp"
#include "support/accepting.hpp"
#include "support/catch.hpp"

namespace net = socketlab::net;
using namespace std::chrono_literals;
using asio::ip::tcp;
using socketlab::test::accepting;
using socketlab::test::readable;

namespace {

/// What a wait ended with, set by its handler.
struct outcome {
  std::error_code ec = asio::error::timed_out;  ///< not ended yet
  bool ended = false;
  auto handler() {
    return [this](const std::error_code& e) {
      ec = e;
      ended = true;
    };
  }
};

/// Runs @p io until @p o has ended (at most 10 s).
void run_until_ended(asio::io_context& io, const outcome& o) {
  io.restart();
  for (auto until = std::chrono::steady_clock::now() + 10s;
       !o.ended && std::chrono::steady_clock::now() < until;)
    io.run_one_for(until - std::chrono::steady_clock::now());
  REQUIRE(o.ended);
}

/// The first wait on @p s, ended by @p bytes the client sends after it began.
void first_wait(accepting& l, net::accepted_socket& s, std::string_view bytes) {
  outcome first;
  s.async_wait_readable(first.handler());
  asio::write(l.client, asio::buffer(bytes));
  run_until_ended(l.io, first);
  REQUIRE_FALSE(first.ec);
}

/// Reads @p expected from @p s, then finds it empty (would_block): its next wait needs no re-arm.
void read_all(net::accepted_socket& s, std::string_view expected) {
  std::array<char, 64> buffer{};
  std::error_code ec;
  const auto n = s.read_some(buffer, ec);
  REQUIRE_FALSE(ec);
  CHECK(std::string_view(buffer.data(), n) == expected);
  CHECK(s.read_some(buffer, ec) == 0);
  REQUIRE(ec == asio::error::would_block);
}

/// Reads what has arrived on @p s.
std::string_view read(net::accepted_socket& s, std::array<char, 64>& buffer) {
  std::error_code ec;
  const auto n = s.read_some(buffer, ec);
  REQUIRE_FALSE(ec);
  return {buffer.data(), n};
}

}  // namespace

TEST_CASE("async_wait_readable: the first wait ends when bytes come, or at once if they came before",
          "[integration][net][accepted-socket]") {
  accepting l(ANY_HINT);
  const bool bytes_first = GENERATE(false, true);
  auto s = l.accept();
  if (bytes_first) {
    asio::write(l.client, asio::buffer(std::string_view("x")));
    REQUIRE(readable(s.native_handle()));  // there before the socket joins the loop
  }
  outcome waited;
  s.async_wait_readable(waited.handler());
  CHECK(s.registered());
  if (!bytes_first) asio::write(l.client, asio::buffer(std::string_view("x")));
  run_until_ended(l.io, waited);
  CHECK_FALSE(waited.ec);
  std::array<char, 64> buffer{};
  CHECK(read(s, buffer) == "x");
}

TEST_CASE(
    "async_wait_readable: after a read that emptied the socket, bytes end the wait, "
    "even those that came while nothing waited",
    "[integration][net][accepted-socket]") {
  accepting l(ANY_HINT);
  auto s = l.accept();
  std::array<char, 64> buffer{};
  first_wait(l, s, "a");
  read_all(s, "a");

  SECTION("bytes after the wait began") {
    outcome next;
    s.async_wait_readable(next.handler());
    asio::write(l.client, asio::buffer(std::string_view("b")));
    run_until_ended(l.io, next);
    CHECK_FALSE(next.ec);
    CHECK(read(s, buffer) == "b");
  }
  SECTION("bytes whose report the loop took while nothing waited for them") {
    asio::write(l.client, asio::buffer(std::string_view("c")));
    REQUIRE(readable(s.native_handle()));
    // A wait for room to write takes epoll's report for the socket, "readable" included, while
    // no read waits: Asio notes it, and the next wait for bytes must end at once.
    outcome writable;
    s.waitable().async_wait(tcp::socket::wait_write, writable.handler());
    run_until_ended(l.io, writable);
    outcome next;
    s.async_wait_readable(next.handler());
    run_until_ended(l.io, next);
    CHECK_FALSE(next.ec);
    CHECK(read(s, buffer) == "c");
  }
}

TEST_CASE(
    "async_wait_readable: bytes and the end of the stream (a FIN or a reset) in one report, on a first "
    "request or a later one: after a read that took the bytes, the next wait ends at once",
    "[integration][net][accepted-socket]") {
  // On a loop one thread runs, the first re-arm asks epoll to flag a FIN (EPOLLRDHUP), and a
  // later wait after a short read re-arms only if the last report flagged a FIN, a reset or an
  // error: here the last report does, every time.
  accepting l(ANY_HINT);
  const int kept = GENERATE(0, 1, 2, 3);  // requests answered before the last
#if defined(ASIO_HAS_IOCP)
  const bool reset = false;  // (Windows may report a reset before the bytes that came ahead of it)
#else
  const bool reset = GENERATE(false, true);
#endif
  auto s = l.accept();
  std::array<char, 64> buffer{};
  for (int i = 0; i <= kept; ++i) {
    if (i > 0) CHECK(read(s, buffer) == std::to_string(i - 1));  // fewer bytes than asked: a short read
    outcome o;
    s.async_wait_readable(o.handler());
    asio::write(l.client, asio::buffer(i == kept ? std::string("last") : std::to_string(i)));
    if (i == kept && reset) {  // in the same report as "last": on loopback there before the loop looks
      l.client.set_option(asio::socket_base::linger(true, 0));
      l.client.close();
    } else if (i == kept) {
      l.client.shutdown(tcp::socket::shutdown_send);
    }
    run_until_ended(l.io, o);
    REQUIRE_FALSE(o.ec);
  }
  CHECK(read(s, buffer) == "last");  // fewer bytes than asked, and the end of the stream waits behind them
  outcome next;
  s.async_wait_readable(next.handler());  // no report will come for the end: it shared the bytes'
  run_until_ended(l.io, next);
  CHECK_FALSE(next.ec);
  std::error_code ec;
  CHECK(s.read_some(buffer, ec) == 0);
  if (reset) {
    CHECK(ec == asio::error::connection_reset);
  } else {
    CHECK(ec == asio::error::eof);
  }
}

TEST_CASE("async_wait_readable: a read that filled its buffer leaves bytes, and the next wait ends at once",
          "[integration][net][accepted-socket]") {
  accepting l(ANY_HINT);
  auto s = l.accept();
  first_wait(l, s, "0123456789abcdef");
  REQUIRE(readable(s.native_handle()));
  std::array<char, 8> half{};
  std::error_code ec;
  CHECK(s.read_some(half, ec) == half.size());  // as much as asked: more may be there, and is
  REQUIRE_FALSE(ec);
  outcome next;
  s.async_wait_readable(next.handler());  // no bytes will come: only the 8 left can end it
  run_until_ended(l.io, next);
  CHECK_FALSE(next.ec);
  std::array<char, 64> buffer{};
  CHECK(read(s, buffer) == "89abcdef");
}

TEST_CASE("async_wait_readable: cancel(), a cancellation slot and close() end it",
          "[integration][net][accepted-socket]") {
  accepting l(ANY_HINT);
  auto s = l.accept();
  const bool registered_before = GENERATE(false, true);
  if (registered_before) {  // a later wait (the socket emptied), not the first
    first_wait(l, s, "a");
    read_all(s, "a");
  }
  outcome waited;
  asio::cancellation_signal signal;
  const std::string_view how = GENERATE("cancel", "slot", "close");
  INFO("ended by " << how << (registered_before ? ", after a first wait" : ", the first wait"));
  s.async_wait_readable(asio::bind_cancellation_slot(signal.slot(), waited.handler()));
  if (how == "cancel") s.cancel();
  if (how == "slot") signal.emit(asio::cancellation_type::terminal);
  if (how == "close") s.close();
  run_until_ended(l.io, waited);
#if defined(ASIO_HAS_IOCP)
  // Windows' wait (Asio's) ends with whatever error the system gives the closed socket's pending
  // operation (Wine: its own).
  if (how == "close") {
    CHECK(waited.ec);
    return;
  }
#endif
  CHECK(waited.ec == asio::error::operation_aborted);
}

TEST_CASE("async_wait_readable: a wait its loop never ran again is dropped, its handler not called",
          "[integration][net][accepted-socket]") {
  bool called = false;
  {
    accepting l;
    auto s = l.accept();
    s.async_wait_readable([&called](const std::error_code&) { called = true; });
    l.io.poll();        // (the wait is queued; nothing comes)
  }                     // the socket closes (its wait cancelled), then the loop goes, never run again
  CHECK_FALSE(called);  // and the wait's memory is freed (the asan preset checks that)
}

TEST_CASE("async_wait_readable: awaited by a coroutine, with two threads running the loop",
          "[integration][net][accepted-socket]") {
  accepting l(2);
  auto s = l.accept();
  std::size_t taken = 0;   // bytes read (by the coroutine, on either thread, one at a time)
  std::error_code failed;  // a wait or a read that failed
  asio::co_spawn(
      l.io,
      [&]() -> asio::awaitable<void> {
        std::array<char, 64> buffer{};
        while (taken < 3 && !failed) {
          std::tie(failed) = co_await s.async_wait_readable(net::use_nothrow);
          std::error_code ec;
          while (!failed && !ec)
            taken += s.read_some(buffer, ec);  // until empty, then wait again
          if (ec != asio::error::would_block) failed = ec;
        }
      },
      asio::detached);
  std::jthread second([&] { l.io.run_for(10s); });
  for (const std::string_view byte : {"1", "2", "3"})
    asio::write(l.client, asio::buffer(byte));
  l.io.run_for(10s);
  second.join();
  CHECK_FALSE(failed);
  CHECK(taken == 3);
}

TEST_CASE("async_wait_readable: a socket Asio accepted itself (Windows' way) waits too",
          "[integration][net][accepted-socket]") {
  accepting l;
  l.client.connect(l.listener.local_endpoint());
  tcp::socket accepted(l.io);
  l.listener.acceptor().non_blocking(false);
  l.listener.acceptor().accept(accepted);
  net::accepted_socket s(std::move(accepted));
  REQUIRE(s.registered());
  std::array<char, 64> buffer{};
  std::error_code ec;
  CHECK(s.read_some(buffer, ec) == 0);
  CHECK(ec == asio::error::would_block);  // emptied: the wait may skip the re-arm
  asio::write(l.client, asio::buffer(std::string_view("x")));
  std::string got;
  while (got.empty()) {  // (a wait may end with nothing there: a report Asio noted when it registered it)
    outcome waited;
    s.async_wait_readable(waited.handler());
    run_until_ended(l.io, waited);
    REQUIRE_FALSE(waited.ec);
    const auto n = s.read_some(buffer, ec);
    if (!ec) got.append(buffer.data(), n);
  }
  CHECK(got == "x");
}
