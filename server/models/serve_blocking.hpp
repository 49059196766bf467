/// @file
/// One connection of a blocking model, served start to end on the calling thread.
#pragma once

#include <functional>

#include <asio/ip/tcp.hpp>

#include "server/config.hpp"
#include "server/models/driver.hpp"
#include "socketlab/net/wake_signal.hpp"

namespace socketlab::server {

/// A connection the accepting thread took from a listen queue.
struct accepted_connection {
  asio::ip::tcp::socket socket;  ///< the connection
  asio::ip::tcp::endpoint peer;  ///< the client's address and port
  const served_port* port;       ///< the port it came in on, and its site
};

/// The server's stop, as a connection served by a blocking model watches it.
struct stop_watch {
  net::wake_signal& signal;  ///< raised by the server's stop()
  /// Called once, on the serving thread, the moment the connection first sees the signal: the
  /// iterative model, whose accepting thread is the one serving, stops accepting then, not once
  /// the response under way has gone. Empty for the models whose accepting thread is free.
  std::function<void()> on_seen;
};

/// Serves one connection on the calling thread until it closes: wait for bytes (or the
/// deadline, or the stop signal), hand them to an http_session, write what it answers,
/// again. The session decides everything; this only moves bytes, as async_driver does with
/// coroutines. The socket is non-blocking, and every wait goes through net::wait_any() with
/// the session's deadline: that is how a blocking server answers 408 to a slow client
/// instead of waiting for it forever.
///
/// Never throws: an exception while serving (out of memory, say) ends this connection only, and
/// is reported on the console.
/// @param c the connection (closed when this returns)
/// @param config the settings
/// @param stop raised when the server stops: an idle connection then closes, one in the middle
///             of a request is answered first (its simulated work cut short); every wait watches it
/// @param hand_back when not null: raised while other connections wait for this thread. A
///             request that arrives then gets the last response on this connection
///             (`Connection: close`), and a connection idle for 100 ms closes.
void serve_blocking(accepted_connection c, const server_config& config, const stop_watch& stop,
                    net::wake_signal* hand_back = nullptr);

}  // namespace socketlab::server
