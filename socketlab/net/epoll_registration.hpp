/// @file
/// What socketlab::net reads, and changes, in Asio's registration of a socket with its epoll
/// reactor, on Linux: the reactor, whether one thread only runs its loop, whether epoll reports
/// the socket edge- or level-triggered, whether it flags the peer's FIN (EPOLLRDHUP), and what its
/// last report said. Internal to socketlab::net (accept_next() and accepted_socket use it).
///
/// Asio keeps these private: its reactor registers every socket edge-triggered (EPOLLET) and
/// re-arms the registration before each wait (epoll_ctl MOD), and it offers no other way. A
/// listener wants to be level-triggered, as nginx's is: epoll then reports it at every
/// epoll_wait() while clients are queued, so one accept per report loses none, and no wait needs a
/// MOD. A connection wants EPOLLRDHUP, as nginx's: a report that does not flag a FIN says none had
/// come, so after a read that left the socket empty its next wait needs no MOD either. The
/// members are reached with C++'s rule that an explicit template instantiation may name a private
/// member (epoll_registration.cpp): each is named, so a build against an Asio whose members differ
/// fails to compile, rather than misbehave (checked: Asio 1.22, Debian 12, and 1.30, Debian 13).
/// What Asio does with them (its MOD sends the registered events; it never clears a report's
/// events) is read from its sources, not checked by the compiler: lesson 10's strace shows it.
#pragma once

#include "socketlab/net/readable_wait_op.hpp"  // SOCKETLAB_NET_READABLE_WAIT_OP

#if defined(SOCKETLAB_NET_READABLE_WAIT_OP)

#include <asio/any_io_executor.hpp>
#include <asio/detail/io_object_impl.hpp>
#include <asio/detail/reactive_socket_service.hpp>
#include <asio/detail/reactor.hpp>
#include <asio/ip/tcp.hpp>

namespace socketlab::net::detail {

/// A socket's state in Asio's epoll reactor, made when the socket is registered (epoll_ctl ADD).
using registration = asio::detail::reactor::per_descriptor_data;

/// @param r a socket's registration
/// @return the reactor (the event loop's epoll) it is registered with: no lookup
[[nodiscard]] asio::detail::reactor& reactor_of(registration r) noexcept;

/// Whether one thread only runs the loop @p r is registered with: its concurrency hint leaves
/// Asio's I/O unlocked (ASIO_CONCURRENCY_HINT_UNSAFE_IO, as socketlab-server's loop with one
/// thread), so no other thread can be in epoll_wait() meanwhile, and a registration can be
/// changed without Asio's lock, which is then none.
/// @param r a socket's registration
[[nodiscard]] bool one_thread_runs(registration r) noexcept;

/// @param r a socket's registration
/// @return whether epoll reports it level-triggered (Asio registers every socket edge-triggered)
[[nodiscard]] bool level_triggered(registration r) noexcept;

/// Makes epoll report @p descriptor level-triggered (@p level), or edge-triggered again: one
/// epoll_ctl MOD, none when it is so already. Asio's own later MODs (a wait for room to write)
/// keep the choice. Only on a loop one thread runs (one_thread_runs()).
/// @param r the socket's registration
/// @param descriptor the socket
/// @param level level-triggered, or edge-triggered as Asio registers it
/// @return whether it changed (the MOD makes epoll report what is there now, as an ADD does);
///         when epoll refuses (the socket was closed meanwhile), nothing changes
bool set_level_triggered(registration r, int descriptor, bool level) noexcept;

/// Whether epoll flags the peer's FIN in its reports for @p r (EPOLLRDHUP): Asio does not ask
/// for it; flag_fin_at_next_rearm() does.
/// @param r a socket's registration
[[nodiscard]] bool flags_fin(registration r) noexcept;

/// Makes the next re-arm of @p r (Asio's epoll_ctl MOD, before a wait that re-arms) ask epoll to
/// flag the peer's FIN in its reports (EPOLLRDHUP), as nginx registers its connections: no system
/// call of its own. Only on a loop one thread runs (one_thread_runs()).
/// @param r a socket's registration
void flag_fin_at_next_rearm(registration r) noexcept;

/// Whether the last report epoll made for @p r, which Asio keeps in the registration until the
/// next, said the stream had ended or failed: the peer's FIN (EPOLLRDHUP, when flags_fin() was
/// so when epoll made it), a reset or an error (EPOLLHUP, EPOLLERR).
/// @param r a socket's registration
[[nodiscard]] bool last_report_ended(registration r) noexcept;

/// A listener's implementation in Asio: its handle, its registration, its executor.
using acceptor_io =
    asio::detail::io_object_impl<asio::detail::reactive_socket_service<asio::ip::tcp>, asio::any_io_executor>;

/// @param listener an acceptor
/// @return its implementation (Asio's basic_socket_acceptor keeps it private)
[[nodiscard]] acceptor_io& io_of(asio::ip::tcp::acceptor& listener) noexcept;

}  // namespace socketlab::net::detail

#endif
