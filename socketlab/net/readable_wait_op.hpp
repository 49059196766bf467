/// @file
/// The operation behind accepted_socket::async_wait_readable() on Linux: a wait for bytes that
/// Asio's epoll reactor queues without re-arming the socket's registration (no epoll_ctl MOD).
/// Internal to socketlab::net; it builds on Asio's detail namespace (its reactor and the way its
/// own reactive_wait_op completes a handler), checked with Asio 1.22 (Debian 12) and 1.30 (Debian
/// 13): lesson 10's strace of a kept-alive connection shows the calls it saves.
#pragma once

#include <asio/detail/config.hpp>

#if defined(ASIO_HAS_EPOLL) && !defined(ASIO_HAS_IO_URING_AS_DEFAULT)
#define SOCKETLAB_NET_READABLE_WAIT_OP 1

#include <cstddef>
#include <memory>
#include <system_error>
#include <utility>

#include <asio/associated_cancellation_slot.hpp>
#include <asio/cancellation_type.hpp>
#include <asio/detail/bind_handler.hpp>
#include <asio/detail/fenced_block.hpp>
#include <asio/detail/handler_alloc_helpers.hpp>
#include <asio/detail/handler_cont_helpers.hpp>
#include <asio/detail/handler_work.hpp>
#include <asio/detail/reactor.hpp>
#include <asio/detail/reactor_op.hpp>

namespace socketlab::net::detail {

/// How accepted_socket::async_wait_readable() starts its readable_wait_op.
enum class readable_wait {
  rearm,            ///< as Asio's own wait: epoll_ctl MOD, then queued
  no_rearm,         ///< the socket was found empty since the last wait began: queued, no MOD
  just_registered,  ///< registered in this same turn of a loop one thread runs: queued, no MOD
  level_triggered,  ///< the registration is level-triggered (a listener's): queued, no MOD
};

/// Asio's epoll reactor registers a socket edge-triggered (EPOLLET): epoll reports new bytes when
/// they arrive, and what it has reported does not make it report again, however long it stays
/// unread. So before each wait Asio cannot know whether bytes came, and were reported, while
/// nothing waited, and it re-arms the registration (epoll_ctl MOD: epoll reports again
/// what is there now), one system call per wait, except for a read it first tries at once (a
/// "speculative" one: when that read finds nothing, any byte to come will be reported).
///
/// This wait is such an operation, whose "read" is the caller's: it is queued without a MOD.
/// The reactor's per-socket flag says whether an edge came while nothing waited: set then, and
/// cleared when an operation reports it consumed what was there (done_and_exhausted). The flag
/// set, start_op() performs the operation at once: it completes at once (a wake-up for bytes
/// that may be there). The flag clear, it is queued, and the next edge completes it. That is
/// exact when the caller read until a read found nothing (would_block) since the last wait
/// ended: every byte, FIN or reset that came after is an edge still to come or one that set the
/// flag. A read that returned fewer bytes than asked is not enough alone: a FIN or a reset that
/// came with those bytes shared their edge, and none comes for it again. nginx knows of it from
/// EPOLLRDHUP in the report, which Asio neither asks for nor hands to an operation:
/// accepted_socket asks for it at its first re-arm, and reads the last report's flags from the
/// registration (epoll_registration.hpp), on a loop one thread runs.
///
/// Right after the registration (epoll_ctl ADD), the flag is set, but the ADD itself makes
/// epoll report what is there already: the first wait, started at once by the loop's only
/// thread (no other can take that report meanwhile), need not complete at once
/// (readable_wait::just_registered). Started with a re-arm instead (readable_wait::rearm), the
/// operation still clears the flag when it completes, so the next wait needs none.
///
/// A registration made level-triggered (a listener's, in accept_next(): epoll_registration.hpp)
/// is reported at every epoll_wait() while something is there: a wait on it never needs the
/// re-arm (readable_wait::level_triggered), and the MOD that makes it level-triggered reports what
/// is there as an ADD does (readable_wait::just_registered for that first wait).
template <typename Handler, typename IoExecutor>
class readable_wait_op : public asio::detail::reactor_op {
 public:
  ASIO_DEFINE_HANDLER_PTR(readable_wait_op);

  /// @param handler called when the socket is readable, or with the error
  /// @param io_ex the socket's executor
  /// @param just_registered whether the socket was added to epoll in this same turn of the loop
  readable_wait_op(Handler& handler, const IoExecutor& io_ex, bool just_registered)
      : reactor_op(std::error_code(), &readable_wait_op::do_perform, &readable_wait_op::do_complete),
        handler_(std::move(handler)),
        work_(handler_, io_ex),
        just_registered_(just_registered) {}

  /// Called by start_op() when the flag is set, and by the reactor at each edge.
  static status do_perform(reactor_op* base) {
    auto* o = static_cast<readable_wait_op*>(base);
    if (std::exchange(o->just_registered_, false)) return not_done;  // epoll reports what the ADD saw
    return done_and_exhausted;  // the caller reads until would_block: the flag may be cleared
  }

  /// As Asio's reactive_wait_op::do_complete(): frees the operation, then calls the handler
  /// through its executor (@p owner null: the loop is being destroyed, the handler is not called).
  static void do_complete(void* owner, asio::detail::operation* base, const std::error_code& /*ec*/,
                          std::size_t /*bytes_transferred*/) {
    auto* o = static_cast<readable_wait_op*>(base);
    ptr p = {std::addressof(o->handler_), o, o};
    asio::detail::handler_work<Handler, IoExecutor> w(std::move(o->work_));
    asio::detail::binder1<Handler, std::error_code> handler(o->handler_, o->ec_);
    p.h = std::addressof(handler.handler_);
    p.reset();
    if (owner) {
      asio::detail::fenced_block b(asio::detail::fenced_block::half);
      w.complete(handler, handler.handler_);
    }
  }

 private:
  Handler handler_;                                       ///< called at completion
  asio::detail::handler_work<Handler, IoExecutor> work_;  ///< keeps the handler's executor busy
  bool just_registered_;                                  ///< see do_perform()
};

/// Per-operation cancellation (a cancellation slot the handler carries), as Asio's own
/// reactor_op_cancellation.
class readable_wait_cancellation {
 public:
  /// @param reactor the loop's reactor
  /// @param data the socket's state in it
  /// @param descriptor the socket
  readable_wait_cancellation(asio::detail::reactor* reactor, asio::detail::reactor::per_descriptor_data* data,
                             int descriptor) noexcept
      : reactor_(reactor), data_(data), descriptor_(descriptor) {}
  /// Cancels the wait, unless @p type asks for none of these.
  void operator()(asio::cancellation_type_t type) {
    using asio::cancellation_type;
    if (!!(type & (cancellation_type::terminal | cancellation_type::partial | cancellation_type::total)))
      reactor_->cancel_ops_by_key(descriptor_, *data_, asio::detail::reactor::read_op, this);
  }

 private:
  asio::detail::reactor* reactor_;                    ///< the loop's reactor
  asio::detail::reactor::per_descriptor_data* data_;  ///< the socket's state in it
  int descriptor_;                                    ///< the socket
};

/// Queues a readable_wait_op for @p handler on a socket registered with @p reactor, started as
/// @p way says: accepted_socket::async_wait_readable() and a listener's wait (accept_next()).
/// @param reactor the loop's epoll reactor
/// @param descriptor the socket
/// @param data its registration
/// @param io_ex the socket's executor
/// @param handler moved into the operation
/// @param way whether epoll's registration must be re-armed first
template <typename Handler, typename IoExecutor>
void start_readable_wait(asio::detail::reactor& reactor, int descriptor,
                         asio::detail::reactor::per_descriptor_data& data, const IoExecutor& io_ex,
                         Handler& handler, readable_wait way) {
  using op = readable_wait_op<Handler, IoExecutor>;
  const bool is_continuation = asio_handler_cont_helpers::is_continuation(handler);
  auto slot = asio::get_associated_cancellation_slot(handler);
  typename op::ptr p = {std::addressof(handler), op::ptr::allocate(handler), nullptr};
  p.p = new (p.v) op(handler, io_ex, way == readable_wait::just_registered);
  if (slot.is_connected())
    p.p->cancellation_key_ = &slot.template emplace<readable_wait_cancellation>(&reactor, &data, descriptor);
  // "Speculative": performed at once if an edge came while nothing waited, else queued without a
  // MOD. Not speculative: Asio re-arms (MOD), then queues it.
  const bool speculative = way != readable_wait::rearm;
  reactor.start_op(asio::detail::reactor::read_op, descriptor, data, p.p, is_continuation, speculative);
  p.v = p.p = nullptr;
}

}  // namespace socketlab::net::detail

#endif
