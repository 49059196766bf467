/// @file
/// A listening TCP socket, built one visible step at a time.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include <asio/any_io_executor.hpp>
#include <asio/ip/tcp.hpp>

namespace socketlab::net {

/// The largest listen backlog the system accepts: on Linux net.core.somaxconn
/// (/proc/sys/net/core/somaxconn), elsewhere SOMAXCONN.
/// @return a positive number
[[nodiscard]] int max_backlog();

/// Why listening failed: the step that failed and the system's error.
struct listen_error {
  std::string_view step;  ///< "open", "reuse_address", "bind" or "listen"
  std::error_code code;   ///< what the system said
};

/// One sentence for people about a failed listen, such as
/// "port 8888 is already in use (another server?)" or
/// "cannot bind 192.0.2.1:80: that address is not on this machine".
/// @param err the failure
/// @param where the endpoint that was tried
/// @return the sentence, without a trailing period or newline
[[nodiscard]] std::string describe(const listen_error& err, const asio::ip::tcp::endpoint& where);

/// A failed listen as an exception, for a server that cannot start without its port: what()
/// is describe()'s sentence.
class listen_failure : public std::runtime_error {
 public:
  /// @param error the failed step and the system's error
  /// @param where the endpoint tried
  listen_failure(const listen_error& error, const asio::ip::tcp::endpoint& where);

  listen_error error;             ///< the failed step and why
  asio::ip::tcp::endpoint where;  ///< the endpoint tried
};

/// What an accept loop does after accept() failed. Every accept loop of the kit (each serving
/// model's and the TCP echo server's) decides with this, so that none spins on an error or ends
/// on one that passes.
enum class after_accept_error {
  accept_again,  ///< nobody was waiting after all (would_block), or the client gave up before
                 ///< the accept (connection_aborted): accept the next at once
  pause,         ///< out of descriptors or memory, say: report it, wait accept_retry_pause, go on
  stop           ///< the listener was closed (operation_aborted): the loop ends
};

/// The step an accept loop takes after @p ec.
/// @param ec what accept() reported (not empty)
/// @return what to do
[[nodiscard]] after_accept_error classify_accept_error(const std::error_code& ec) noexcept;

/// How long an accept loop pauses after accept() failed for a reason that may pass (out of file
/// descriptors, say), instead of spinning on it.
inline constexpr std::chrono::milliseconds accept_retry_pause{50};

/// A TCP socket in the listening state — the Python exercise's
/// `socket()`, `setsockopt(SO_REUSEADDR)`, `bind()`, `listen(5)`:
///
/// @code
///   open(protocol)          socket(AF_INET, SOCK_STREAM)
///   reuse_address           setsockopt(SO_REUSEADDR, 1)   (Windows: SO_EXCLUSIVEADDRUSE)
///   bind(endpoint)          bind(("127.0.0.1", 8888))
///   listen(backlog)         listen(5)
/// @endcode
///
/// On Windows SO_REUSEADDR would let a second server bind the same port and steal
/// connections, so the listener asks for exclusive use instead; on POSIX SO_REUSEADDR
/// only allows a restart while old connections sit in TIME_WAIT.
/// An IPv6 listener is IPv6 only (IPV6_V6ONLY), the same on every system.
///
/// Threading: as asio::ip::tcp::acceptor (not thread safe; use from one strand).
class tcp_listener {
 public:
  /// An unopened listener.
  /// @param ex executor the acceptor runs on
  explicit tcp_listener(const asio::any_io_executor& ex);

  /// Opens, sets the address option, binds and listens.
  /// @param where address and port; port 0 lets the system choose (see local_endpoint())
  /// @param backlog the listen queue length; max_backlog() for the system maximum
  /// @return nothing on success, otherwise the failed step and its error (the socket is closed)
  [[nodiscard]] std::optional<listen_error> listen(const asio::ip::tcp::endpoint& where, int backlog);

  /// Lets accept() see a connection only once its first bytes have arrived (Linux's
  /// TCP_DEFER_ACCEPT; nginx's `listen ... deferred`, Apache's `AcceptFilter http data`). The
  /// handshake is answered as ever; the connection waits in the kernel, not in the accept queue.
  /// A server that reads a request right after accept() then always finds one: no wait for it,
  /// and no registration with an event loop for that wait. A client that sends nothing is
  /// accepted all the same once @p wait has passed, and then timed out as usual: Linux counts the
  /// wait in retransmissions of its SYN/ACK, sent after 1, 3, 7, 15, 31... s, and lets the
  /// connection through at the client's answer to the first one at or past @p wait (2 s: after 3).
  /// @param wait how long a silent connection is held back at least
  /// @param ec operation_not_supported on systems without it (macOS, Windows)
  void defer_accept(std::chrono::seconds wait, std::error_code& ec);

  /// The bound address and the port actually taken.
  /// @return the local endpoint; after listening on port 0, the port the system chose
  [[nodiscard]] asio::ip::tcp::endpoint local_endpoint() const;

  /// The acceptor, to accept connections with.
  /// @return the listening socket, owned by this listener
  [[nodiscard]] asio::ip::tcp::acceptor& acceptor() noexcept { return acceptor_; }

  /// Stops listening; pending accepts finish with asio::error::operation_aborted.
  void close() noexcept;

 private:
  asio::ip::tcp::acceptor acceptor_;  ///< the listening socket
};

}  // namespace socketlab::net
