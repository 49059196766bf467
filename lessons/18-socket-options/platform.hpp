// Lesson 18's platform file: what options.cpp does that each system spells its own way, each
// behind one #ifdef, and nothing else. The program itself has no #ifdef.
#pragma once

#include <chrono>
#include <string_view>
#include <system_error>

#include <asio.hpp>

#ifdef _WIN32
#include <mstcpip.h>  // SIO_KEEPALIVE_VALS, tcp_keepalive
#else
#include <netinet/in.h>   // IPPROTO_TCP
#include <netinet/tcp.h>  // TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT (macOS: TCP_KEEPALIVE)
#include <sys/socket.h>   // send, setsockopt, MSG_NOSIGNAL

#include <cerrno>
#include <csignal>
#endif

namespace platform {

using asio::ip::tcp;

#if defined(TCP_KEEPIDLE)
constexpr int tcp_keepidle = TCP_KEEPIDLE;  // Linux, the BSDs: the idle time before the first probe
#elif defined(TCP_KEEPALIVE)
constexpr int tcp_keepidle = TCP_KEEPALIVE;  // macOS names the same option this way
#endif

/// The error of the socket call that just failed.
inline std::error_code last_error() {
#ifdef _WIN32
  return {WSAGetLastError(), std::system_category()};  // Winsock keeps its own, apart from errno
#else
  return {errno, std::generic_category()};
#endif
}

/// One send(), as C (and Python's sock.send) makes it: with @p flags and nothing more. Asio's
/// own writes add MSG_NOSIGNAL on Linux; on macOS Asio sets SO_NOSIGPIPE (see allow_sigpipe).
inline std::error_code plain_send(tcp::socket& socket, std::string_view data, int flags) {
#ifdef _WIN32
  const int sent = ::send(socket.native_handle(), data.data(), static_cast<int>(data.size()), flags);
#else
  const auto sent = ::send(socket.native_handle(), data.data(), data.size(), flags);
#endif
  return sent < 0 ? last_error() : std::error_code{};
}

/// Undoes what Asio adds to every socket it opens or accepts on macOS (and FreeBSD): the option
/// SO_NOSIGPIPE, so that a send() on @p socket raises SIGPIPE, as on a socket C's socket() made.
/// Elsewhere Asio sets no option, and there is nothing to undo.
inline void allow_sigpipe(tcp::socket& socket) {
#if defined(SO_NOSIGPIPE)
  const int off = 0;
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_NOSIGPIPE, &off, sizeof off);
#else
  (void)socket;
#endif
}

/// Asks that no send() on @p socket raise SIGPIPE; returns the flag to pass to each send().
inline int no_sigpipe(tcp::socket& socket) {
#if defined(MSG_NOSIGNAL)
  (void)socket;
  return MSG_NOSIGNAL;  // Linux, the BSDs: a flag of each call
#elif defined(SO_NOSIGPIPE)
  const int on = 1;  // macOS: an option of the socket, once
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
  return 0;
#else
  (void)socket;
  return 0;  // Windows: no SIGPIPE to ask about
#endif
}

/// Ignores SIGPIPE in the whole process, as Python does at start-up: send() fails with EPIPE instead.
inline void ignore_sigpipe() {
#ifndef _WIN32
  std::signal(SIGPIPE, SIG_IGN);
#endif
}

/// Waits until the peer's reset (RST) has arrived on @p socket: poll() reports it as an error.
inline void wait_for_reset(tcp::socket& socket) {
#ifdef _WIN32
  // Asio waits for errors with select(), whose "exceptional" set misses a reset on Windows;
  // WSAPoll reports it as POLLHUP or POLLERR, whatever the events asked for (1 s at most).
  WSAPOLLFD entry{socket.native_handle(), 0, 0};
  WSAPoll(&entry, 1, 1000);
#else
  socket.wait(tcp::socket::wait_error);  // poll() for POLLERR: a FIN alone does not set it
#endif
}

/// Asks the kernel to hand @p server's connections to accept() only once their first bytes have
/// arrived, or @p wait has passed: TCP_DEFER_ACCEPT, which only Linux has.
inline std::error_code defer_accept(tcp::acceptor& server, std::chrono::seconds wait) {
#if defined(TCP_DEFER_ACCEPT)
  const int seconds = static_cast<int>(wait.count());
  const int failed = ::setsockopt(server.native_handle(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &seconds, sizeof seconds);
  return failed ? last_error() : std::error_code{};
#else
  (void)server;  // macOS and Windows: no such option (FreeBSD has accept filters, a kernel module)
  (void)wait;
  return std::make_error_code(std::errc::operation_not_supported);
#endif
}

/// When keepalive probes go: the first after @p idle without traffic, then one every
/// @p interval; after @p probes unanswered ones the connection ends (Windows always sends 10).
inline std::error_code set_keepalive_times(tcp::socket& socket, std::chrono::seconds idle,
                                           std::chrono::seconds interval, int probes) {
#ifdef _WIN32
  tcp_keepalive times{1, static_cast<ULONG>(idle.count() * 1000), static_cast<ULONG>(interval.count() * 1000)};
  DWORD returned = 0;
  const int failed = WSAIoctl(socket.native_handle(), SIO_KEEPALIVE_VALS, &times, sizeof times, nullptr, 0,
                              &returned, nullptr, nullptr);
  (void)probes;
  return failed ? last_error() : std::error_code{};
#else
  const auto set = [&socket](int option, int value) {  // s.setsockopt(IPPROTO_TCP, option, value)
    return ::setsockopt(socket.native_handle(), IPPROTO_TCP, option, &value, sizeof value) == 0;
  };
  if (set(tcp_keepidle, static_cast<int>(idle.count())) && set(TCP_KEEPINTVL, static_cast<int>(interval.count())) &&
      set(TCP_KEEPCNT, probes))
    return {};
  return last_error();
#endif
}

}  // namespace platform
