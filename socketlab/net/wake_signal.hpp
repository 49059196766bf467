/// @file
/// A signal that wakes every thread waiting in wait_any() at once.
#pragma once

#include <atomic>
#include <mutex>

#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>

#include "socketlab/net/wait.hpp"

namespace socketlab::net {

/// A signal every thread waiting in wait_any() sees at once: while raised, entry() is ready to
/// read. Blocking servers use one to stop: each thread waits on its sockets and on the signal,
/// so raising it wakes them all, however many there are. A thread pool uses another, raised
/// while connections wait for a thread, and lowered when none do.
///
/// It is a UDP socket on the loopback connected to itself; raise() sends it one datagram that
/// stays unread until lower(). (A pipe would do on POSIX, but Windows can only wait on sockets.)
///
/// Threading: every member is thread safe; entry() may be waited on by any thread.
class wake_signal {
 public:
  /// Opens the socket.
  /// @throws std::system_error when the machine has no loopback interface
  wake_signal();

  /// Raises the signal; does nothing while it is raised.
  void raise() noexcept;

  /// Lowers the signal: entry() is no longer ready (reads the datagram).
  void lower() noexcept;

  /// For a wait that found entry() ready although raised() says no (a datagram still on its
  /// way when the signal was last lowered): reads it, unless the signal has been raised again.
  void clear_stale() noexcept;

  /// Whether raise() has been called since the last lower().
  /// @return true while the signal is raised
  [[nodiscard]] bool raised() const noexcept { return raised_.load(std::memory_order_acquire); }

  /// What to wait on: ready to read while raised.
  /// @return the signal's socket, waited on for reading
  [[nodiscard]] wait_entry entry() noexcept { return {socket_.native_handle(), false}; }

 private:
  /// Reads every datagram waiting; the caller holds mutex_.
  void drain() noexcept;

  std::mutex mutex_;                 ///< orders raise(), lower() and clear_stale()
  asio::io_context io_;              ///< owns the socket (never run: nothing here is asynchronous)
  asio::ip::udp::socket socket_;     ///< bound to the loopback, connected to itself
  std::atomic<bool> raised_{false};  ///< raise() was called, lower() not since
};

}  // namespace socketlab::net
