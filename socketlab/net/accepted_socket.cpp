#include "socketlab/net/accepted_socket.hpp"

#include <utility>

#include <asio/async_result.hpp>

#include "socketlab/net/epoll_registration.hpp"
#include "socketlab/net/platform.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::net {

namespace {

#if defined(SOCKETLAB_NET_READABLE_WAIT_OP)
// A listener's wait for a client. On a loop one thread runs, its first wait makes the listener's
// registration level-triggered (one epoll_ctl MOD, which reports what is queued already, as an ADD
// does), and each wait is then queued with no MOD: epoll reports the listener at every
// epoll_wait() while a client is queued, as nginx's listener, so one accept per wait leaves none
// behind. Elsewhere, Asio's wait (a MOD for each).
template <typename Token>
auto async_wait_acceptable(asio::ip::tcp::acceptor& listener, Token&& token) {
  return asio::async_initiate<Token, void(std::error_code)>(
      [&listener](auto handler) {
        auto& io = detail::io_of(listener);
        auto& impl = io.get_implementation();
        bool changed = false;  // (refused: a closed listener, which Asio's wait below reports)
        if (impl.reactor_data_ && detail::one_thread_runs(impl.reactor_data_))
          changed = detail::set_level_triggered(impl.reactor_data_, impl.socket_, true);
        if (!impl.reactor_data_ || !detail::level_triggered(impl.reactor_data_))
          return listener.async_wait(asio::ip::tcp::acceptor::wait_read, std::move(handler));
        // (just_registered after the MOD: the MOD reports what is queued. Were Asio's flag clear
        // then, the first report would be let pass: level-triggered, epoll makes it again.)
        using how = detail::readable_wait;
        detail::start_readable_wait(detail::reactor_of(impl.reactor_data_), impl.socket_, impl.reactor_data_,
                                    io.get_executor(), handler,
                                    changed ? how::just_registered : how::level_triggered);
      },
      token);
}

#else
template <typename Token>
auto async_wait_acceptable(asio::ip::tcp::acceptor& listener, Token&& token) {
  return listener.async_wait(asio::ip::tcp::acceptor::wait_read, std::forward<Token>(token));
}
#endif

}  // namespace

void accepting_ended([[maybe_unused]] asio::ip::tcp::acceptor& listener) noexcept {
#if defined(SOCKETLAB_NET_READABLE_WAIT_OP)
  auto& impl = detail::io_of(listener).get_implementation();
  if (impl.reactor_data_ && detail::level_triggered(impl.reactor_data_))  // (closed: none any more)
    detail::set_level_triggered(impl.reactor_data_, impl.socket_, false);
#endif
}

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
    if (wait) std::tie(ec) = co_await async_wait_acceptable(listener, use_nothrow);
    native_socket handle = platform::invalid_socket;
    if (!ec) handle = accept_ready(listener, peer, ec);
    if (ec == asio::error::would_block) continue;  // a wake-up with nothing to take: another process took it
    if (ec) accepting_ended(listener);  // the caller may pause (out of descriptors) before its next wait
    co_return result{ec, accepted_socket(ex, peer.protocol(), handle)};
  }
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
detail::readable_wait accepted_socket::next_wait() {
  using how = detail::readable_wait;
  const bool emptied = std::exchange(emptied_, false);
  const bool drained = std::exchange(drained_, false);
  const bool flagged = std::exchange(fin_flagged_, false);
  if (!socket_.is_open()) {
    waitable();  // (epoll_ctl ADD)
    return detail::one_thread_runs(socket_.registration()) ? how::just_registered : how::rearm;
  }
  const auto r = socket_.registration();
  if (!detail::one_thread_runs(r))
    return emptied ? how::no_rearm : how::rearm;  // (another may be in epoll_wait)
  // Whatever came after the socket was found empty is a report still to come, or one that came
  // while nothing waited (then the wait ends at once), unless it is a FIN or a reset that came
  // with the bytes last read: then the last report epoll made flags it (its flags are the
  // socket's state when epoll made it, a FIN's included once EPOLLRDHUP is asked for).
  const bool unreported = !emptied && !(drained && flagged && !detail::last_report_ended(r));
  if (unreported) detail::flag_fin_at_next_rearm(r);  // this re-arm asks for EPOLLRDHUP, from now on
  return unreported ? how::rearm : how::no_rearm;
}

void accepted_socket::wait_started() noexcept {
  fin_flagged_ = detail::flags_fin(socket_.registration());
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
