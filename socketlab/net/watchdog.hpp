/// @file
/// A deadline for an asynchronous connection that moves as often as it likes, kept with one timer.
#pragma once

#include <chrono>
#include <cstdint>
#include <system_error>
#include <utility>

#include <asio/any_io_executor.hpp>
#include <asio/bind_allocator.hpp>
#include <asio/steady_timer.hpp>

#include "socketlab/net/exact_allocator.hpp"

namespace socketlab::net {

/// Keeps one connection's deadline: sleeps until it, and when it has really passed (the
/// connection may have moved it meanwhile), calls the action given to start(), which cancels
/// or closes the socket so that the pending read or write ends. Then it sleeps until the
/// next deadline is set, until stop().
///
/// Moving the deadline is an assignment, not a system call: the timer is re-armed only when
/// the new deadline is earlier than the one it sleeps for, or once it wakes. That matters for
/// a server that moves the deadline on every read. The TCP echo server gives each connection
/// one; the async HTTP model gives one to a connection while a coroutine serves it (an idle one
/// is timed out by the server's park_queue instead).
///
/// @code
///   c->idle.set_deadline(clock::now() + 15s);
///   c->idle.start(c, [&c = *c] { c.socket.cancel(); });    // the read then ends: operation_aborted
///   ...
///   c->idle.stop();                                          // the connection is done
/// @endcode
///
/// Threading: every member on the connection's executor (its strand), like the socket's own.
class watchdog {
 public:
  using clock = std::chrono::steady_clock;  ///< every deadline here is on the steady clock

  /// @param executor the connection's executor (its strand), which the timer's callbacks run on
  explicit watchdog(const asio::any_io_executor& executor) : timer_(executor) {}

  /// Moves the deadline; wakes the timer when it sleeps past the new one.
  /// @param when the new deadline; time_point::max() for none
  void set_deadline(clock::time_point when) {
    deadline_ = when;
    if (when < timer_.expiry()) timer_.cancel();
  }

  /// @return the deadline now set
  [[nodiscard]] clock::time_point deadline() const noexcept { return deadline_; }

  /// Starts watching. Each time the deadline passes, calls @p on_due once and waits for a new one.
  /// A watchdog stopped may be started again, though the wait stop() cancelled has not ended yet:
  /// that wait then ends without a word.
  /// @param keep_alive what the watchdog lives in (a shared_ptr to the connection, say), held
  ///        while a wait is pending, so the callback never finds the watchdog destroyed
  /// @param on_due what to do when the deadline passes; called on the executor
  template <typename KeepAlive, typename OnDue>
  void start(KeepAlive keep_alive, OnDue on_due) {
    stopped_ = false;
    watch(++starts_, std::move(keep_alive), std::move(on_due));
  }

  /// Stops watching: the pending wait ends without calling the action again.
  void stop() {
    stopped_ = true;
    timer_.cancel();
  }

 private:
  /// Sleeps until the deadline, for the start() numbered @p start.
  //! [watchdog]
  template <typename KeepAlive, typename OnDue>
  void watch(std::uint32_t start, KeepAlive keep_alive, OnDue on_due) {
    timer_.expires_at(deadline_);
    // Allocated to its own size (exact_allocator.hpp): the wait may last as long as the connection.
    timer_.async_wait(asio::bind_allocator(
        exact_allocator<void>(), [this, start, keep = std::move(keep_alive),
                                  on_due = std::move(on_due)](const std::error_code&) mutable {
          if (stopped_ || start != starts_) return;  // stopped, or started again: another wait watches
          if (clock::now() >= deadline_) {
            deadline_ = clock::time_point::max();  // sleep until a new deadline is set
            on_due();
          }
          watch(start, std::move(keep), std::move(on_due));
        }));
  }
  //! [watchdog]

  asio::steady_timer timer_;                               ///< sleeps until deadline_ (or later)
  clock::time_point deadline_ = clock::time_point::max();  ///< when the pending operation times out
  std::uint32_t starts_ = 0;                               ///< how many times start() was called
  bool stopped_ = false;                                   ///< stop() was called
};

}  // namespace socketlab::net
