/// @file
/// A listening TCP socket, built one visible step at a time.
#pragma once

#include <optional>
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
