/// @file
/// A connection's socket by the system's own handle: read, write and tune it without the event
/// loop. What a server does on a connection that needs no waiting (net::accepted_socket), and the
/// one write step every serving model shares.
#pragma once

#include <cstddef>
#include <span>
#include <system_error>

#include <asio/detail/socket_types.hpp>

namespace socketlab::net {

/// A socket as the system knows it (a file descriptor on POSIX, a SOCKET on Windows): what
/// `socket.native_handle()` converts to. Not a socket's native_handle_type: on Windows that is a
/// class of its own per protocol.
using native_socket = asio::detail::socket_type;

/// Reads what has arrived on @p socket, without waiting: one recv().
/// @param socket a connected socket in non-blocking mode
/// @param into where the bytes go
/// @param ec would_block when nothing has arrived; eof when the peer has closed its side; else the
///        error that ends the connection (connection_reset...), as Asio's read_some() says them
/// @return the bytes read (at least 1 unless @p ec is set)
[[nodiscard]] std::size_t read_now(native_socket socket, std::span<char> into, std::error_code& ec) noexcept;

/// Writes what of @p bytes @p socket takes now, without waiting: one send(), which never raises
/// SIGPIPE (a peer that has gone is an error here, broken_pipe or connection_reset).
/// @param socket a connected socket in non-blocking mode
/// @param bytes what to send; not empty
/// @param ec would_block when the socket has no room now; else the error that ends the connection
/// @return the bytes sent (at least 1 unless @p ec is set)
[[nodiscard]] std::size_t write_now(native_socket socket, std::span<const char> bytes,
                                    std::error_code& ec) noexcept;

/// Turns Nagle's algorithm off on @p socket (TCP_NODELAY): what it writes goes at once, not held
/// back until the peer has acknowledged what went before.
/// @param socket a TCP socket
/// @param ec set when the system refuses
void set_no_delay(native_socket socket, std::error_code& ec) noexcept;

}  // namespace socketlab::net
