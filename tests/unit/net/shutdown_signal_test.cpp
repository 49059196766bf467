// Ctrl+C and kill as events: raised in-process, delivered on the io_context.
#include "socketlab/net/shutdown_signal.hpp"

#include <chrono>
#include <csignal>
#include <optional>
#include <string>

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>

#include "support/catch.hpp"

namespace net = socketlab::net;

namespace {

/// Upper bound for a delivery that normally takes microseconds; the loop returns as soon
/// as it runs out of work, so a passing test never waits this long.
constexpr auto delivery_bound = std::chrono::seconds(10);

}  // namespace

TEST_CASE("shutdown_signal calls back once with the signal", "[unit][net]") {
  const int signal_number = GENERATE(SIGINT, SIGTERM);
  CAPTURE(signal_number);
  asio::io_context io;
  int calls = 0;
  int received = 0;
  net::shutdown_signal shutdown(io.get_executor(), [&](int number) {
    ++calls;
    received = number;
  });

  // Twice before the loop runs: the second must not make a second call.
  REQUIRE(std::raise(signal_number) == 0);
  REQUIRE(std::raise(signal_number) == 0);
  CHECK(calls == 0);  // never from inside the signal handler

  io.run_for(delivery_bound);
  CHECK(calls == 1);
  CHECK(received == signal_number);
}

TEST_CASE("signal_name names a stop signal from its own number", "[unit][net]") {
  CHECK(net::signal_name(SIGINT) == "SIGINT");
  CHECK(net::signal_name(SIGTERM) == "SIGTERM");
#ifdef SIGBREAK  // Windows' Ctrl+Break (the MinGW build runs this under Wine): not a SIGTERM
  CHECK(net::signal_name(SIGBREAK) == "SIGBREAK");
#endif
  CHECK(net::signal_name(SIGSEGV) == "signal " + std::to_string(SIGSEGV));  // not a stop signal
}

TEST_CASE("shutdown_signal calls nothing after cancel", "[unit][net]") {
  asio::io_context io;
  // A second set keeps SIGINT caught (the default action would end the test run) and
  // proves that the signal did arrive.
  asio::signal_set witness(io, SIGINT);
  bool witnessed = false;
  witness.async_wait([&](const std::error_code& ec, int) { witnessed = !ec; });

  int calls = 0;
  net::shutdown_signal shutdown(io.get_executor(), [&](int) { ++calls; });
  shutdown.cancel();
  REQUIRE(std::raise(SIGINT) == 0);

  io.run_for(delivery_bound);
  CHECK(witnessed);
  CHECK(calls == 0);
}

TEST_CASE("shutdown_signal cancelled after the signal arrived calls nothing", "[unit][net]") {
  asio::io_context io;
  // One SIGTERM completes both waits before either handler runs; whichever runs first
  // cancels the other, whose completion is then already queued. Exactly one call, in any order.
  int calls = 0;
  std::optional<net::shutdown_signal> first;
  std::optional<net::shutdown_signal> second;
  first.emplace(io.get_executor(), [&](int) {
    ++calls;
    second->cancel();
  });
  second.emplace(io.get_executor(), [&](int) {
    ++calls;
    first->cancel();
  });
  REQUIRE(std::raise(SIGTERM) == 0);
  io.run_for(delivery_bound);
  CHECK(calls == 1);
}

TEST_CASE("shutdown_signal destroyed before the loop runs calls nothing", "[unit][net]") {
  asio::io_context io;
  int calls = 0;
  {
    net::shutdown_signal shutdown(io.get_executor(), [&](int) { ++calls; });
  }
  io.run_for(delivery_bound);
  CHECK(calls == 0);
}
