/// @file
/// Sending a file's bytes on a socket straight from the file: how a static server sends a large
/// file without copying it through its own memory (nginx's `sendfile on`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <system_error>

#include "socketlab/net/native_socket.hpp"
#include "socketlab/net/readable_file.hpp"

namespace socketlab::net {

/// Sends up to @p count bytes of @p file, from @p offset, on @p socket: as many as the socket
/// takes now, without waiting, like a write_some() whose bytes are in the file.
///
/// Linux and macOS call sendfile(2): the kernel hands the file's cached pages to TCP, and the
/// bytes never pass through this process (no read into a buffer, no copy out of it). Windows'
/// TransmitFile needs an overlapped socket to not block a thread, so there the bytes are read
/// into a buffer of this thread (at most send_file_buffer at a time) and sent from it: a bounded
/// buffered stream, still holding nothing per connection between calls.
///
/// sendfile(2) has no MSG_NOSIGNAL: a peer that has gone would raise SIGPIPE, whose default
/// action ends the process. So the first call sets SIGPIPE to be ignored when it still has its
/// default action (as nginx does at start); the broken connection is then an error here, EPIPE.
/// @param socket a connected socket in non-blocking mode (an Asio socket's native_handle() after
///        socket.non_blocking(true), or an accepted_socket's)
/// @param file the file, open
/// @param offset the first byte to send
/// @param count how many bytes to send at most
/// @param ec would_block when the socket has no room now (wait until it is writable, then call
///   again); another error when the connection or the file failed
/// @return the bytes sent; 0 with no error when the file has no byte at @p offset any more (it
///   shrank since its length was taken)
[[nodiscard]] std::size_t send_file(native_socket socket, const readable_file& file, std::uint64_t offset,
                                    std::uint64_t count, std::error_code& ec);

/// The most bytes of a file held in memory at once where the system cannot send from the file
/// itself (Windows): the buffer of each thread that calls send_file().
inline constexpr std::size_t send_file_buffer = 64 * 1024;

}  // namespace socketlab::net
