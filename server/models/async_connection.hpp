/// @file
/// The async model's connection: its state, and how its bytes move on the event loop (read into
/// the thread's buffer, written as the peer takes them, drained before a close).
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <system_error>
#include <utility>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "server/http_session.hpp"
#include "server/models/admission.hpp"
#include "server/models/driver.hpp"
#include "server/models/park_queue.hpp"
#include "server/models/send_some.hpp"
#include "socketlab/net/accepted_socket.hpp"
#include "socketlab/net/running_in_this_thread.hpp"
#include "socketlab/net/use_nothrow.hpp"
#include "socketlab/net/watchdog.hpp"

namespace socketlab::server::async {

using asio::ip::tcp;
using clock = http_session::clock;  ///< the clock of every deadline here

/// One accepted socket, its session and its deadline. Everything in it is touched only on the
/// socket's executor (its strand), but its place in the park_queue (under the queue's lock).
///
/// Its deadline is kept by the driver's park_queue while it is parked (idle, waiting for a
/// request: one timer for every idle connection), and by its own watchdog while a coroutine
/// serves it (made the first time one does).
struct connection : park_node, std::enable_shared_from_this<connection> {
  /// A connection accepted on @p port, its session started now.
  /// @param s the accepted socket
  /// @param port the port it came in on: its site and simulated work
  /// @param config limits, timeouts and logging
  /// @param peer the client's address and port
  connection(net::accepted_socket s, const served_port& port, const server_config& config,
             const tcp::endpoint& peer)
      : socket(std::move(s)),
        session(http_session::for_peer(*port.served, config, peer, clock::now(), port.work)) {}

  /// Whether the calling thread may touch this connection now: the contract above, checked.
  /// @return true on the connection's strand
  [[nodiscard]] bool on_its_strand() { return net::running_in_this_thread(socket.get_executor()); }

  /// The accepted connection: read and written through its handle, and registered with the
  /// event loop only when it first waits (a connection answered at once never is).
  net::accepted_socket socket;
  /// Cancels the pending read or write at the session's deadline while a coroutine serves the
  /// connection (start_watchdog()); none until one first does.
  std::unique_ptr<net::watchdog> watchdog;
  /// Simulated work (--work-ms), made at the first; stop() cuts it short. A pointer: a
  /// connection without --work-ms holds no timer for it.
  std::unique_ptr<asio::steady_timer> work_timer;
  http_session session;                   ///< what to answer, and when to close
  bool timed_out = false;                 ///< the watchdog cancelled the pending operation
  send_tuning tuning;                     ///< what send_some() has set on the socket
  bool awaiting_request = false;          ///< the coroutine waits for a request: stop() may cut it
  admission admitted = admission::serve;  ///< served, or refused with a 503
};

/// Where reads land: one buffer per thread, none per connection. A connection waits for bytes
/// holding no buffer (as nginx's do), and what a read brings is handed to its session before
/// the coroutine waits again, so the buffer is never held across a wait: ten thousand idle
/// keep-alive connections do not hold ten thousand buffers.
/// @return this thread's buffer
std::span<char> read_buffer();

/// Reads what has arrived on @p c into this thread's buffer, without waiting, and hands it to
/// @p take. A caller that gets would_block waits for readability holding no buffer
/// (socket.async_wait_readable()), then calls again: Asio's speculative read, by hand, with no
/// coroutine frame of its own.
/// @tparam Take a callable taking the bytes as a std::string_view
/// @param c the connection, its socket non-blocking
/// @param take called with the bytes read, if any, before the caller waits again
/// @return empty when bytes were taken; would_block when none had arrived; else the end of the
///   stream or the error
template <typename Take>
std::error_code read_arrived(connection& c, Take take) {
  std::error_code ec;
  const auto buffer = read_buffer();
  const std::size_t n = c.socket.read_some(buffer, ec);
  if (!ec) take(std::string_view(buffer.data(), n));
  return ec;
}

/// Starts @p c's watchdog (made if it has none): at each deadline the session gives, it cancels
/// the pending wait, which then ends with operation_aborted and c.timed_out set. Call it on the
/// connection's strand.
/// @param c the connection, kept alive by the watchdog's pending wait until watchdog->stop()
void start_watchdog(const std::shared_ptr<connection>& c);

/// Times out parked @p c, which the park_queue's sweep found due: posts to its strand a cancel of
/// its wait for a request (which then ends with operation_aborted and c.timed_out set), unless it
/// has woken meanwhile (its serial moved). Call it under the park_queue's lock.
/// @param n the connection (a park_node of the queue), kept alive by the post
void time_out_parked(park_node& n);

/// What a server's stop() does to @p c, on its strand: its session learns of the stop, simulated
/// work is cut short, and a wait for a request is cancelled (the connection then closes); a
/// response being written goes out whole first.
/// @param c the connection
void on_stop(connection& c);

/// Calls its action when the coroutine serving a connection ends, however it ends (an exception
/// included), unless the connection was parked: then it lives on in its wait for a request.
/// @tparam Action what closes the connection and counts it out
template <typename Action>
class unless_parked {
 public:
  /// @param action called by the destructor unless parked() was called
  explicit unless_parked(Action action) : action_(std::move(action)) {}
  ~unless_parked() {
    if (!parked_) action_();
  }
  unless_parked(const unless_parked&) = delete;
  unless_parked& operator=(const unless_parked&) = delete;
  /// The connection waits on, idle: the action is not to be called.
  void parked() noexcept { parked_ = true; }

 private:
  Action action_;        ///< closes the connection
  bool parked_ = false;  ///< parked(): the connection lives on
};

/// Closes gracefully when the peer may still be sending: stop sending (FIN), then read and
/// discard until the peer closes, for a bounded time. Closing with unread bytes would make
/// the system send a reset, which can destroy our last response before the peer reads it.
/// @param c the connection, its socket non-blocking
/// @return the coroutine; it ends when the peer has closed, or after linger_time
asio::awaitable<void> linger(connection& c);

/// Writes what the session has to send as the peer takes it: each write is due within the send
/// timeout of the previous one that made progress (http_session::deadline()), so a slow reader
/// of a large file is served for as long as it keeps reading.
/// @param c the connection
/// @return false when the peer is gone or stopped reading
asio::awaitable<bool> write_output(connection& c);

}  // namespace socketlab::server::async
