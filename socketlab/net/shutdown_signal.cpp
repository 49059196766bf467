#include "socketlab/net/shutdown_signal.hpp"

#include <algorithm>
#include <utility>

#include <asio/error.hpp>

#include "socketlab/net/platform.hpp"

namespace socketlab::net {

shutdown_signal::shutdown_signal(const asio::any_io_executor& ex, std::function<void(int)> on_signal)
    : signals_(ex), on_signal_(std::make_shared<std::function<void(int)>>(std::move(on_signal))) {
  for (const auto& signal : platform::stop_signals()) {
    // Adding fails only for a signal the system does not have; the others still work.
    std::error_code ignored;
    signals_.add(signal.number, ignored);
  }
  // The handler holds a weak reference: once cancel() or the destructor has dropped the
  // callback, a completion already queued on the executor finds nothing to call (and does
  // not touch this object, which may be gone).
  signals_.async_wait([this, weak = std::weak_ptr(on_signal_)](const std::error_code& ec, int signal_number) {
    // operation_aborted: cancel() or destruction; nobody is waiting for this any more.
    if (ec == asio::error::operation_aborted) return;
    const auto callback = weak.lock();
    if (!callback) return;
    // Give the signals their default action back, so that a second Ctrl+C ends a process
    // whose graceful shutdown hangs, instead of being swallowed by a set nobody waits on.
    std::error_code ignored;
    signals_.clear(ignored);
    on_signal_.reset();  // once only
    if (!ec && *callback) (*callback)(signal_number);
  });
}

void shutdown_signal::cancel() {
  on_signal_.reset();
  std::error_code ignored;
  signals_.cancel(ignored);
  // Without this the signals would stay caught by Asio and silently ignored.
  signals_.clear(ignored);
}

std::string signal_name(int signal_number) {
  const auto signals = platform::stop_signals();
  const auto it = std::ranges::find(signals, signal_number, &platform::named_signal::number);
  return it != signals.end() ? std::string(it->name) : "signal " + std::to_string(signal_number);
}

}  // namespace socketlab::net
