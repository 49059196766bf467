#include "socketlab/net/accepted_socket.hpp"

#include <utility>

#if defined(SOCKETLAB_NET_READABLE_WAIT_OP)
#include <asio/detail/concurrency_hint.hpp>
#include <asio/detail/scheduler.hpp>
#include <asio/execution/context.hpp>
#include <asio/query.hpp>
#endif

#include "socketlab/net/platform.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::net {

native_socket accept_ready(asio::ip::tcp::acceptor& listener, asio::ip::tcp::endpoint& peer,
                           std::error_code& ec) noexcept {
  return platform::accept_ready(listener.native_handle(), peer, ec);
}

asio::awaitable<std::tuple<std::error_code, accepted_socket>> accept_next(asio::ip::tcp::acceptor& listener,
                                                                          asio::any_io_executor ex,
                                                                          asio::ip::tcp::endpoint& peer,
                                                                          accept_pace pace) {
  using result = std::tuple<std::error_code, accepted_socket>;
  // Windows. (Not `if constexpr`: Clang 14 then leaves the coroutine frame's constructor out.)
  if (!platform::accepts_after_a_wait) {
    auto [ec, socket] = co_await listener.async_accept(ex, peer, use_nothrow);
    if (ec) co_return result{ec, accepted_socket(ex, peer.protocol(), platform::invalid_socket)};
    co_return result{ec, accepted_socket(std::move(socket))};
  }
  for (bool wait = pace == accept_pace::one_per_wait;; wait = true) {
    std::error_code ec;
    if (wait) std::tie(ec) = co_await listener.async_wait(asio::ip::tcp::acceptor::wait_read, use_nothrow);
    if (ec) co_return result{ec, accepted_socket(ex, peer.protocol(), platform::invalid_socket)};
    const auto handle = accept_ready(listener, peer, ec);
    if (ec != asio::error::would_block) co_return result{ec, accepted_socket(ex, peer.protocol(), handle)};
  }  // (would_block after a wait: a wake-up with nothing to take; another process took it)
}

accepted_socket::accepted_socket(const asio::any_io_executor& ex, const asio::ip::tcp& protocol,
                                 native_socket handle) try
    : socket_(ex), protocol_(protocol), handle_(handle) {
} catch (...) {  // Asio could not make the socket object: the connection is not left open, owned by none
  if (handle != platform::invalid_socket) platform::close_socket(handle);
}  // (and the exception goes on)

accepted_socket::accepted_socket(asio::ip::tcp::socket&& registered) noexcept
    : socket_(std::move(registered)),
      protocol_(asio::ip::tcp::v4()),  // (for waitable(), which has nothing left to do)
      handle_(socket_.native_handle()) {
  std::error_code ignored;              // cannot fail on an open socket
  socket_.non_blocking(true, ignored);  // read_some() reads what has arrived, and never waits in a read
}

accepted_socket::accepted_socket(accepted_socket&& other) noexcept
    : socket_(std::move(other.socket_)),
      protocol_(other.protocol_),
      handle_(std::exchange(other.handle_, platform::invalid_socket)),
      emptied_(other.emptied_) {}

bool accepted_socket::is_open() const noexcept {
  return handle_ != platform::invalid_socket;
}

asio::ip::tcp::socket& accepted_socket::waitable() {
  if (!socket_.is_open() && is_open()) socket_.adopt(protocol_, handle_);  // Asio owns it from now on
  return socket_;
}

void accepted_socket::adopting_socket::adopt(const asio::ip::tcp& protocol, native_socket handle) {
  assign(protocol, handle);  // epoll_ctl ADD (Linux), kqueue (macOS), the IOCP (Windows)
  // Asio's reactor (Linux, macOS) keeps flags for each socket in its implementation, which this
  // class, deriving from tcp::socket, may reach. Without these two, Asio would make the socket
  // non-blocking before its first wait (ioctl), and unregister it before closing it (epoll_ctl
  // DEL), since a socket it did not open might have duplicates. (accepted_socket_test checks what
  // Asio then says of the socket.)
#if !defined(ASIO_HAS_IOCP)
  auto& state = impl_.get_implementation().state_;
  state |= asio::detail::socket_ops::internal_non_blocking;  // accept_ready() made it non-blocking
  state &= static_cast<asio::detail::socket_ops::state_type>(~asio::detail::socket_ops::possible_dup);
#endif
}

#if defined(SOCKETLAB_NET_READABLE_WAIT_OP)
void accepted_socket::adopting_socket::find_reactor() {
  reactor_ = &asio::use_service<asio::detail::reactor>(asio::query(get_executor(), asio::execution::context));
}

bool accepted_socket::adopting_socket::loop_has_one_thread() {
  auto& loop =
      asio::use_service<asio::detail::scheduler>(asio::query(get_executor(), asio::execution::context));
  const int hint = loop.concurrency_hint();
  return !ASIO_CONCURRENCY_HINT_IS_LOCKING(REACTOR_IO, hint);  // (else another thread could be in epoll_wait)
}
#endif

void accepted_socket::cancel() noexcept {
  std::error_code ignored;
  if (socket_.is_open()) socket_.cancel(ignored);
}

void accepted_socket::shutdown_send() noexcept {
  if (is_open()) platform::shutdown_send(handle_);
}

void accepted_socket::close() noexcept {
  if (!is_open()) return;
  std::error_code ignored;
  if (socket_.is_open()) {
    socket_.close(ignored);  // Asio's: unregistered, then closed
  } else {
    platform::close_socket(handle_);
  }
  handle_ = platform::invalid_socket;
}

}  // namespace socketlab::net
