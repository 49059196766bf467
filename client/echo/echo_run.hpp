/// @file
/// An echo run's sender, the same over both transports: the three phases (the numbered messages,
/// the burst, the large messages), their pacing and their deadlines. tcp_echo_run and
/// udp_echo_run add what differs: connecting, sending and receiving.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <system_error>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "client/echo/echo_client.hpp"
#include "client/echo/echo_tally.hpp"

namespace socketlab::client {

/// One echo exchange on one event loop: run() is the sender, which paces the messages and waits
/// for their echoes; from the connect on, a receiver coroutine (receive()) takes whatever arrives
/// and hands it to the tally, then wakes the sender with notify().
///
/// Neither ever blocks the event loop: the receiver must be able to read while the sender
/// writes, or a server echoing into a client that does not read stops reading in turn, and
/// both sides wait for each other for ever (issue 15). The sockets are non-blocking for that.
///
/// Threading: one thread, the event loop's.
class echo_run {
 public:
  using clock = std::chrono::steady_clock;  ///< the clock of every time here

  /// A run not yet started.
  /// @param io the event loop it runs on
  /// @param transport TCP or UDP (the derived class's)
  /// @param options the workload
  /// @param observer told of each echo of a numbered message; may be empty
  echo_run(asio::io_context& io, echo_transport transport, const echo_options& options,
           const echo_observer& observer);
  /// Destroys the run (its coroutines must be over: run() has returned).
  virtual ~echo_run();

  /// Connects, runs the three phases, and closes; the receiver runs alongside from the connect on.
  /// @return the coroutine; result is complete once it has returned
  asio::awaitable<void> run();

  echo_result result;  ///< what the run measured

 protected:
  /// Connects to the first of @p addresses that takes it.
  /// @param addresses the server's addresses, in the resolver's order
  /// @return whether one did (if not, fail() has been told why)
  virtual asio::awaitable<bool> connect(const std::vector<asio::ip::tcp::endpoint>& addresses) = 0;

  /// Sends one message and lets the sender go on at once; the receiver sees the echo.
  /// @param message the bytes
  /// @return the error; empty when sent
  virtual asio::awaitable<std::error_code> send(const std::string& message) = 0;

  /// Sends right after the previous send: while the system takes the bytes at once, the
  /// receiver gets no turn in between, so the burst's writes leave one after another. When it
  /// cannot (the send buffer is full: over TCP, the server's echoes are piling up unread), waits
  /// for room as send() does, and the receiver reads the echoes meanwhile.
  /// @param message the bytes
  /// @return the error; empty when sent
  virtual asio::awaitable<std::error_code> send_back_to_back(const std::string& message) = 0;

  /// Receives until the sender has finished, handing what comes to tally_ and calling notify().
  /// @return the coroutine
  virtual asio::awaitable<void> receive() = 0;

  /// Closes the socket, which ends the receiver's pending operation.
  virtual void close() = 0;

  /// @return whether the run has failed
  [[nodiscard]] bool failed() const noexcept { return static_cast<bool>(result.failure); }

  /// Ends the run with @p ec at @p step, unless it has failed or finished already.
  /// @param step "resolve", "connect", "send" or "receive"
  /// @param ec what went wrong
  void fail(const char* step, std::error_code ec);

  /// Wakes the sender when what it waits for has happened (or the run failed).
  void notify();

  asio::io_context& io_;         ///< the run's event loop
  const echo_options& options_;  ///< the workload
  asio::steady_timer wake_;      ///< the sender sleeps on it (TCP: and connect's deadline)
  echo_tally tally_;             ///< what the receiver gets back, counted into result
  bool finished_ = false;        ///< the sender is done and has closed the socket

 private:
  /// Resolves the server's name, then connect()s.
  asio::awaitable<bool> resolve_and_connect();
  /// Suspends until @p done() is true, the run failed, or @p deadline.
  template <typename Done>
  asio::awaitable<void> wait_until(Done done, clock::time_point deadline);
  /// Waits up to --timeout for @p d to come back whole.
  asio::awaitable<void> await_delivery(const delivery& d);
  /// Phase 1: the numbered messages, paced by --interval or one at a time.
  asio::awaitable<void> numbered_messages();
  /// Phase 2: the burst, written back to back: before a single echo is read, unless it is more
  /// than the sockets' buffers hold (then the receiver reads while a write waits for room).
  asio::awaitable<void> back_to_back();
  /// Phase 3: large message @p i on its own.
  asio::awaitable<void> one_large(std::size_t i);
  /// Whether the run is over TCP (a byte stream: nothing can be lost and the run go on).
  [[nodiscard]] bool tcp() const noexcept { return result.transport == echo_transport::tcp; }

  std::function<bool()> waiting_for_;  ///< what the sender waits for, if it waits
};

}  // namespace socketlab::client
