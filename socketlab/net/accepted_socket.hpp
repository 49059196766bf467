/// @file
/// A connection accepted without the event loop, and handed to it only when it must wait: how a
/// connection answered at once costs accept, recv, send and close, and no other system call.
#pragma once

#include <cstddef>
#include <span>
#include <system_error>
#include <tuple>
#include <utility>

#include <asio/any_io_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>
#include <asio/error.hpp>
#include <asio/ip/tcp.hpp>

#include "socketlab/net/epoll_registration.hpp"  // (and readable_wait_op.hpp)
#include "socketlab/net/native_socket.hpp"

namespace socketlab::net {

/// Accepts a connection that is waiting in @p listener's queue, without waiting for one:
/// accept4() with SOCK_NONBLOCK and SOCK_CLOEXEC on Linux, so the new socket is non-blocking from
/// its first moment (elsewhere accept(), then the same two settings, and SO_NOSIGPIPE on macOS).
/// Asio's accept() leaves a socket blocking, and an event loop's socket must not be.
/// @param listener a listening acceptor in non-blocking mode (acceptor.non_blocking(true))
/// @param peer set to the client's address and port
/// @param ec would_block when no connection is waiting; else as accept() (connection_aborted: the
///        client gave up before it was accepted; no_descriptors...; see classify_accept_error())
/// @return the new connection's handle, to own (accepted_socket); invalid when @p ec is set
[[nodiscard]] native_socket accept_ready(asio::ip::tcp::acceptor& listener, asio::ip::tcp::endpoint& peer,
                                         std::error_code& ec) noexcept;

class accepted_socket;

/// How accept_next() takes a burst of clients from the listen queue.
enum class accept_pace {
  /// A wait for the listener to be readable, then one accept(), as nginx's default (multi_accept
  /// off). A wait on a listener whose queue is not empty ends at once, while an accept() that finds
  /// the queue empty, which taking every waiting client ends with, costs Linux more than the wait
  /// (it makes the new socket's file before it looks at the queue): best when bursts are short,
  /// a connection or two, as when each connection must wait for its request.
  one_per_wait,
  /// accept() until the queue is empty, then a wait (nginx's multi_accept on): best when bursts are
  /// long, as when each connection is served at once (a listener that defers accept) and more
  /// clients queue up meanwhile.
  all_waiting,
};

/// Takes the next connection on @p listener, at @p pace. The connection joins the event loop only
/// if it must wait (accepted_socket). On Windows, whose event loop cannot wait on a listener, it is
/// Asio's async_accept() (AcceptEx), whatever the pace: the connection is registered from the start.
/// On Linux, on a loop one thread runs, the listener is level-triggered from the first wait on
/// (epoll reports it at every epoll_wait() while clients are queued, so no wait re-arms it), and
/// edge-triggered again when this returns an error; a loop that stops calling it for another
/// reason calls accepting_ended().
/// @param listener a listening acceptor in non-blocking mode (acceptor.non_blocking(true))
/// @param ex the executor the connection's waits will run on
/// @param peer set to the client's address and port
/// @param pace whether to wait before each accept (one_per_wait) or only once the queue is empty
/// @return the error (operation_aborted once the listener is closed; else see
///         classify_accept_error()) and the connection (closed when there is an error)
[[nodiscard]] asio::awaitable<std::tuple<std::error_code, accepted_socket>> accept_next(
    asio::ip::tcp::acceptor& listener, asio::any_io_executor ex, asio::ip::tcp::endpoint& peer,
    accept_pace pace);

/// Says that nothing waits on @p listener any more, for now: a loop that called accept_next() has
/// ended (an exception, say). On Linux, where accept_next() keeps a listener level-triggered, it is
/// made edge-triggered again, as Asio registers it, so that epoll does not report it at every turn
/// of the loop while clients are queued; elsewhere, and on a listener closed already, nothing.
/// @param listener the acceptor accept_next() took connections from
void accepting_ended(asio::ip::tcp::acceptor& listener) noexcept;

/// An accepted TCP connection that joins the event loop only the first time it must wait.
///
/// Asio registers every socket it holds with its event loop at once (epoll_ctl ADD, or the IOCP),
/// and unregisters one it did not open itself before closing it (epoll_ctl DEL: the handle might be
/// a duplicate, which closing would not take out of epoll); its accept also leaves the socket
/// blocking, and making it non-blocking is one more call (ioctl). A client whose request is there
/// when it is accepted (with a listener that defers accept, tcp_listener::defer_accept(), every
/// client) would pay those three calls for a wait that never comes. An accepted_socket is read and
/// written straight through its handle, and becomes an Asio socket in waitable(), when the
/// connection must wait for bytes or for room: a connection served without waiting costs accept,
/// recv, send and close, as in lesson 02's server. One that must wait pays the registration only:
/// waitable() tells Asio what accept_ready() already made sure of, that the handle is non-blocking
/// and is nobody's duplicate, so Asio makes neither the ioctl nor the unregistering call (epoll_ctl
/// DEL on Linux, kevent on macOS) for it. (On Windows, where the connection comes from Asio's
/// accept, registered, there is nothing to tell.)
///
/// Threading: as asio::ip::tcp::socket (use one from its executor only).
class accepted_socket {
 public:
  /// Owns @p handle, a connection accept_ready() gave.
  /// @param ex the executor its waits will run on (a strand, when several threads run the loop)
  /// @param protocol IPv4 or IPv6, as the peer's address (peer.protocol())
  /// @param handle the connected, non-blocking socket; closed here if this throws (out of memory)
  accepted_socket(const asio::any_io_executor& ex, const asio::ip::tcp& protocol, native_socket handle);
  /// Owns @p registered, a connection Asio accepted (already in the event loop), made non-blocking.
  /// @param registered the socket, open
  explicit accepted_socket(asio::ip::tcp::socket&& registered) noexcept;
  /// Closes the connection.
  ~accepted_socket() { close(); }
  /// Takes @p other's connection; @p other is left closed.
  /// @param other the socket moved from
  accepted_socket(accepted_socket&& other) noexcept;
  accepted_socket& operator=(accepted_socket&&) = delete;
  accepted_socket(const accepted_socket&) = delete;
  accepted_socket& operator=(const accepted_socket&) = delete;

  /// @return the system's handle, the same before and after waitable()
  [[nodiscard]] native_socket native_handle() const noexcept { return handle_; }
  /// @return whether the connection is open
  [[nodiscard]] bool is_open() const noexcept;
  /// @return whether waitable() has handed it to the event loop
  [[nodiscard]] bool registered() const noexcept { return socket_.is_open(); }
  /// @return the executor its waits run on
  [[nodiscard]] asio::any_io_executor get_executor() noexcept { return socket_.get_executor(); }

  /// Reads what has arrived, without waiting (net::read_now()).
  /// @param into where the bytes go
  /// @param ec would_block when nothing has; eof at the end of the stream; else the error
  /// @return the bytes read
  [[nodiscard]] std::size_t read_some(std::span<char> into, std::error_code& ec) noexcept {
    const std::size_t n = read_now(handle_, into, ec);
    emptied_ = ec == asio::error::would_block;  // (async_wait_readable())
    drained_ = emptied_ || (!ec && n < into.size());
    return n;
  }

  /// The connection as an Asio socket, to wait on (async_wait()) and cancel: registered with the
  /// event loop on the first call (one epoll_ctl ADD on Linux).
  /// @return the socket; its handle is native_handle()
  /// @throws std::system_error when the event loop refuses it (out of memory, epoll's limit on
  ///         watched sockets); the connection stays open and unregistered
  asio::ip::tcp::socket& waitable();

  /// Waits until bytes, or the peer's end of the stream, can be read, as
  /// `waitable().async_wait(wait_read, token)` does, registering the connection as waitable() does,
  /// but, where it can, without the system call Asio makes for each wait on Linux (epoll_ctl MOD,
  /// which re-arms the registration: readable_wait_op.hpp says why Asio needs it, and when this
  /// wait does not). Such a wait costs nothing until epoll_wait() reports the bytes, as nginx's.
  /// Elsewhere it is `waitable().async_wait()`.
  ///
  /// The system call is saved when nothing can have come unreported: the connection is registered
  /// by this wait, on a loop one thread runs (its concurrency hint unlocks Asio's I/O, as
  /// socketlab-server's with one thread), or its last read_some() found nothing (would_block)
  /// after its last wait began, or, on such a loop, that read returned fewer bytes than asked and
  /// the last report epoll made for the socket said the peer's FIN had not come (EPOLLRDHUP, which
  /// the first re-arm asks epoll for, as nginx does: a FIN that comes later makes epoll report
  /// again); else this wait re-arms as Asio's does. (A short read alone is not enough: the peer's
  /// FIN or reset may have come with those bytes, in the same report, and would not be reported
  /// again.)
  /// Read it with read_some() only, and not while a wait is pending (an Asio read, which this
  /// wait tells there is nothing to try, could wait for bytes already there).
  /// @param token how to complete: a handler taking (std::error_code), use_nothrow...
  /// @return what @p token makes of it
  /// @throws std::system_error as waitable()
  template <typename Token>
  auto async_wait_readable(Token&& token);

  /// Ends the wait pending on it, if any (it ends with operation_aborted).
  void cancel() noexcept;
  /// Sends a FIN: the peer reads the end of the stream; reading goes on (shutdown(SHUT_WR)).
  void shutdown_send() noexcept;
  /// Closes the connection (a pending wait ends with operation_aborted). Closing twice is harmless.
  void close() noexcept;

 private:
  /// tcp::socket, which can be told what accept_ready() made sure of (waitable()).
  class adopting_socket : public asio::ip::tcp::socket {
   public:
    explicit adopting_socket(const asio::any_io_executor& ex) : asio::ip::tcp::socket(ex) {}
    explicit adopting_socket(asio::ip::tcp::socket&& registered) noexcept
        : asio::ip::tcp::socket(std::move(registered)) {}
    /// Registers @p handle, a socket accept_ready() gave, with the event loop, as Asio's assign()
    /// does, and records in Asio's state for it that it is non-blocking already and no duplicate.
    void adopt(const asio::ip::tcp& protocol, native_socket handle);
#if defined(SOCKETLAB_NET_READABLE_WAIT_OP)
    /// @return its state in the loop's epoll reactor (registered only)
    [[nodiscard]] asio::detail::reactor::per_descriptor_data registration() {
      return impl_.get_implementation().reactor_data_;
    }
    /// Queues a readable_wait_op for @p handler (async_wait_readable()).
    /// @param handler moved into the operation
    /// @param way whether epoll's registration must be re-armed first
    template <typename Handler>
    void wait_readable(Handler& handler, detail::readable_wait way);
#endif
  };

  adopting_socket socket_;  ///< unopened until waitable(), then the owner of handle_
  asio::ip::tcp protocol_;  ///< IPv4 or IPv6, for waitable()'s assign()
  native_socket handle_;    ///< the connection; invalid once closed
#if defined(SOCKETLAB_NET_READABLE_WAIT_OP)
  /// How the next wait starts (async_wait_readable()), the connection registered first if it is
  /// not yet.
  /// @throws std::system_error as waitable()
  detail::readable_wait next_wait();
  /// Records, once a wait is queued, whether the reports that can end it flag the peer's FIN.
  void wait_started() noexcept;

  bool fin_flagged_ = false;  ///< the reports that end the wait under way flag the peer's FIN (EPOLLRDHUP)
#endif
  bool emptied_ = false;  ///< read_some() found nothing (would_block) since the last wait began
  bool drained_ = false;  ///< the last read_some() left the socket empty: would_block, or a short read
};

template <typename Token>
auto accepted_socket::async_wait_readable(Token&& token) {
#if defined(SOCKETLAB_NET_READABLE_WAIT_OP)
  return asio::async_initiate<Token, void(std::error_code)>(
      [this](auto handler) {
        if (!is_open()) return socket_.async_wait(asio::ip::tcp::socket::wait_read, std::move(handler));
        socket_.wait_readable(handler, next_wait());
        wait_started();  // (only once the wait is queued: its re-arm, if any, made)
      },
      token);
#else
  return waitable().async_wait(asio::ip::tcp::socket::wait_read, std::forward<Token>(token));
#endif
}

#if defined(SOCKETLAB_NET_READABLE_WAIT_OP)
template <typename Handler>
void accepted_socket::adopting_socket::wait_readable(Handler& handler, detail::readable_wait way) {
  auto& impl = impl_.get_implementation();
  detail::start_readable_wait(detail::reactor_of(impl.reactor_data_), impl.socket_, impl.reactor_data_,
                              impl_.get_executor(), handler, way);
}
#endif

}  // namespace socketlab::net
