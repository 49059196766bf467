/// @file
/// Ctrl+C and `kill` as an event on the event loop.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <asio/any_io_executor.hpp>
#include <asio/signal_set.hpp>

namespace socketlab::net {

/// Calls a function once when the process is asked to stop: SIGINT (Ctrl+C) or SIGTERM
/// (`kill`); on Windows also SIGBREAK (Ctrl+Break, console close). signal_name() names the
/// number it is called with.
///
/// The handler runs on the executor, like any other completion — not in a signal handler —
/// so it may do anything (close acceptors, tell connections to finish). After that first
/// signal, or after cancel(), the signals get their default action back: a second Ctrl+C
/// ends a process whose graceful shutdown hangs.
///
/// Threading: construct and cancel from the executor's thread (or strand).
class shutdown_signal {
 public:
  /// Starts waiting.
  /// @param ex executor to run @p on_signal on
  /// @param on_signal called once with the signal number (signal_name() gives its name)
  shutdown_signal(const asio::any_io_executor& ex, std::function<void(int)> on_signal);

  /// Stops waiting; @p on_signal will not be called.
  void cancel();

 private:
  asio::signal_set signals_;  ///< the signals waited for
  /// The function to call; shared with the pending wait, which holds it weakly, so that
  /// dropping it (cancel(), destruction, or the first signal) means "never call it again".
  std::shared_ptr<std::function<void(int)>> on_signal_;
};

/// The name of a signal that a shutdown_signal waits for, from its number, for messages
/// ("SIGTERM received; stopping"): "SIGINT", "SIGTERM", and on Windows "SIGBREAK" (Ctrl+Break,
/// the console closed), which is not a SIGTERM; any other number as "signal 11".
/// @param signal_number the number a shutdown_signal's function was called with
/// @return the name
[[nodiscard]] std::string signal_name(int signal_number);

}  // namespace socketlab::net
