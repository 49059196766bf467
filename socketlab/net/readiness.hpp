/// @file
/// Blocking until a socket is ready, with a deadline: what poll() does for a blocking server.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <span>
#include <system_error>

#include <asio/detail/socket_types.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>

namespace socketlab::net {

/// A socket as the system knows it (a file descriptor on POSIX, a SOCKET on Windows). Not a
/// socket's native_handle_type: on Windows that is a class of its own per protocol.
using native_socket = asio::detail::socket_type;

/// What a thread waits for on a socket.
struct wait_entry {
  native_socket socket;  ///< the socket
  bool write = false;    ///< false: bytes to read, a connection to accept, or the peer's close;
                         ///< true: room to write
};

/// Blocks until one of @p entries is ready or @p deadline passes: poll() on POSIX, WSAPoll()
/// on Windows. An error or a hang-up on a socket counts as ready, so the read or write that
/// follows reports it.
///
/// This is how a blocking server keeps a deadline. A plain `recv()` waits forever for a
/// client that sends nothing; waiting here first, for at most the time left, lets the server
/// answer 408 and move on.
///
/// @code
///   const wait_entry entries[] = {{socket.native_handle()}, {stop.entry()}};
///   auto ready = wait_any(entries, session.deadline(), ec);
///   if (ready == std::size(entries)) ... // the deadline passed
/// @endcode
/// @param entries the sockets and what to wait for on each (at most a few hundred)
/// @param deadline when to give up; time_point::max() waits without limit
/// @param ec set when the wait itself fails (an invalid socket)
/// @return the index of the first ready entry, or entries.size() when the deadline passed first
[[nodiscard]] std::size_t wait_any(std::span<const wait_entry> entries,
                                   std::chrono::steady_clock::time_point deadline, std::error_code& ec);

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
