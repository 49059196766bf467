#include "socketlab/net/epoll_registration.hpp"

#if defined(SOCKETLAB_NET_READABLE_WAIT_OP)

#include <cstdint>
#include <sys/epoll.h>
#include <type_traits>

namespace socketlab::net::detail {
namespace {

// Private members, by name. "The usual access checking rules do not apply to names used to
// specify explicit instantiations" ([temp.spec], C++20 13.9.1): `template struct expose<&T::m,
// tag>` may name T's private m, and the friend it defines hands the member pointer out.
template <auto Member, typename Tag>
struct expose {
  friend constexpr auto member(Tag) noexcept { return Member; }
};

using state = asio::detail::epoll_reactor::descriptor_state;

struct state_reactor {  // epoll_reactor* descriptor_state::reactor_
  friend constexpr auto member(state_reactor) noexcept;
};
struct state_mutex {  // conditionally_enabled_mutex descriptor_state::mutex_
  friend constexpr auto member(state_mutex) noexcept;
};
struct state_events {  // uint32_t descriptor_state::registered_events_
  friend constexpr auto member(state_events) noexcept;
};
struct reactor_epoll_fd {  // int epoll_reactor::epoll_fd_
  friend constexpr auto member(reactor_epoll_fd) noexcept;
};
struct operation_result {  // unsigned scheduler_operation::task_result_: a report's events
  friend constexpr auto member(operation_result) noexcept;
};
struct acceptor_impl {  // basic_socket_acceptor::impl_
  friend constexpr auto member(acceptor_impl) noexcept;
};

template struct expose<&state::reactor_, state_reactor>;
template struct expose<&state::mutex_, state_mutex>;
template struct expose<&state::registered_events_, state_events>;
template struct expose<&asio::detail::epoll_reactor::epoll_fd_, reactor_epoll_fd>;
template struct expose<&asio::detail::scheduler_operation::task_result_, operation_result>;
template struct expose<&asio::ip::tcp::acceptor::impl_, acceptor_impl>;

// The events of the last report: Asio's reactor stores them in the registration, an operation
// of its loop (set_ready_events(), or added to with add_ready_events() while it waits to run),
// and hands them to perform_io(); nothing clears them. The registration derives from the
// operation privately: a C-style cast is the conversion C++ allows to an inaccessible base
// ([expr.cast]: as static_cast, "even if the base class is inaccessible").
static_assert(std::is_base_of_v<asio::detail::scheduler_operation, state>,
              "the cast below is a conversion to a base only while the registration is an operation");
std::uint32_t last_report(registration r) noexcept {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
  const auto* op =
      (const asio::detail::scheduler_operation*)r;  // NOLINT(cppcoreguidelines-pro-type-cstyle-cast)
#pragma GCC diagnostic pop
  return op->*member(operation_result{});
}

}  // namespace

asio::detail::reactor& reactor_of(registration r) noexcept {
  return *(r->*member(state_reactor{}));
}

bool one_thread_runs(registration r) noexcept {
  // Asio makes each registration's lock from the loop's hint: enabled unless it says that one
  // thread only does I/O (ASIO_CONCURRENCY_HINT_IS_LOCKING(REACTOR_IO, hint)).
  return !(r->*member(state_mutex{})).enabled();
}

bool level_triggered(registration r) noexcept {
  return ((r->*member(state_events{})) & EPOLLET) == 0;
}

bool set_level_triggered(registration r, int descriptor, bool level) noexcept {
  auto& events = r->*member(state_events{});
  const std::uint32_t wanted = level ? events & ~std::uint32_t{EPOLLET} : events | EPOLLET;
  if (wanted == events) return false;
  epoll_event ev{};
  ev.events = wanted;
  ev.data.ptr = r;  // what Asio's reactor finds the socket's state by, in each report
  if (::epoll_ctl(reactor_of(r).*member(reactor_epoll_fd{}), EPOLL_CTL_MOD, descriptor, &ev) != 0)
    return false;  // (closed meanwhile: what its next wait says)
  events = wanted;
  return true;
}

bool flags_fin(registration r) noexcept {
  return ((r->*member(state_events{})) & EPOLLRDHUP) != 0;
}

void flag_fin_at_next_rearm(registration r) noexcept {
  r->*member(state_events{}) |= EPOLLRDHUP;  // Asio's MOD sends what it has registered
}

bool last_report_ended(registration r) noexcept {
  return (last_report(r) & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
}

acceptor_io& io_of(asio::ip::tcp::acceptor& listener) noexcept {
  return listener.*member(acceptor_impl{});
}

}  // namespace socketlab::net::detail

#endif
