/// @file
/// The one step of writing a session's output that every serving model takes: send what the
/// socket takes now, from memory or from the file, and tell the session.
#pragma once

#include <system_error>

#include "server/http_session.hpp"
#include "socketlab/net/native_socket.hpp"

namespace socketlab::server {

/// What send_some() has set on a connection's socket: each once, when first needed.
struct send_tuning {
  bool unsent_limited = false;  ///< net::limit_unsent(): before the first wait for room
  bool no_delay = false;        ///< TCP_NODELAY: before a response's second write
};

/// Sends what @p session has to send next, as much as @p socket takes now without waiting:
/// output()'s bytes, or once they have gone, the file body's, straight from the file
/// (net::send_file()); then tells the session (on_written(), or on_file_short() when the file
/// ended early). A model's write loop calls it until has_output() is false, waiting for the
/// socket to be writable when it says would_block, each wait due by the session's deadline().
///
/// Before the first such wait, it limits what the kernel keeps unsent on the connection
/// (net::limit_unsent(), http_session::unsent_limit), so that the wait ends each time a slow
/// reader has taken that much: the progress the send timeout counts. A connection whose
/// responses always fit in the socket (most) never waits, and makes no system call for it.
///
/// Before a response's second write (its file body after its header, or the rest of bytes the
/// socket took only part of), it turns Nagle's algorithm off (TCP_NODELAY, as nginx does on its
/// kept-alive connections): otherwise the response's last, short segment waits for the
/// client's acknowledgement of the ones before, which a client may delay by tens of
/// milliseconds. A response that leaves in one write (most) makes no system call for it.
/// @param socket the connection, in non-blocking mode: an accepted_socket's handle, or an Asio
///        socket's native_handle() after socket.non_blocking(true)
/// @param session its session, with has_output()
/// @param tuning what is set on @p socket; all false at first, set here
/// @param now the time, as the caller last read the clock (after its last wait: one reading
///        serves a whole turn of reading and writing); the progress the session records
/// @return empty when bytes went (or the file ended early: the session then closes);
///   would_block when the socket has no room now; else the error that ends the connection
[[nodiscard]] std::error_code send_some(net::native_socket socket, http_session& session, send_tuning& tuning,
                                        http_session::clock::time_point now);

}  // namespace socketlab::server
