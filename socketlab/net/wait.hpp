/// @file
/// Blocking until a socket is ready, with a deadline: what poll() does for a blocking server.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <system_error>

#include "socketlab/net/native_socket.hpp"

namespace socketlab::net {

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

}  // namespace socketlab::net
