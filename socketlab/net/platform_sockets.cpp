// The guarded platform file for a connection's own socket (platform.cpp has the listeners',
// the datagrams' and the polls'): every #ifdef on the operating system that accepting without
// waiting, and reading, writing, tuning and closing a socket by its handle take is here.
#include <algorithm>
#include <cerrno>
#include <climits>

#include <asio/error.hpp>

#include "socketlab/net/platform.hpp"

#if !defined(_WIN32)
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace socketlab::net::platform {

namespace {

/// The last socket call's error as Asio names its own, so that `ec == asio::error::would_block`
/// holds as after a socket's read_some().
std::error_code last_socket_error() noexcept {
#if defined(_WIN32)
  const int code = ::WSAGetLastError();
#else
  const int code = errno == EAGAIN ? EWOULDBLOCK : errno;  // one value for "not now"
#endif
  return {code, asio::error::get_system_category()};
}

#if defined(_WIN32)
using length_type = int;       ///< what accept() fills in with the address's size
constexpr int send_flags = 0;  ///< Windows raises no SIGPIPE
#else
using length_type = socklen_t;
#if defined(MSG_NOSIGNAL)
constexpr int send_flags = MSG_NOSIGNAL;  ///< a peer that has gone is EPIPE, not a SIGPIPE
#else
constexpr int send_flags = 0;  ///< older macOS: SO_NOSIGPIPE, set by accept_ready() (and Asio's accept)
#endif
#endif

/// The most bytes one recv() or send() is asked for: Windows counts them in an int.
constexpr std::size_t most_per_call = INT_MAX;

}  // namespace

native_socket accept_ready(native_socket listener, asio::ip::tcp::endpoint& peer,
                           std::error_code& ec) noexcept {
  ec.clear();
  auto length = static_cast<length_type>(peer.capacity());
#if defined(__linux__)
  native_socket s = invalid_socket;
  do {  // non-blocking and close-on-exec from the start: no ioctl(FIONBIO) after it
    s = ::accept4(listener, peer.data(), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
  } while (s < 0 && errno == EINTR);
#else
  native_socket s = ::accept(listener, peer.data(), &length);
#if !defined(_WIN32)
  while (s < 0 && errno == EINTR)
    s = ::accept(listener, peer.data(), &length);
#endif
#endif
  if (s == invalid_socket) {
    ec = last_socket_error();
#if defined(EPROTO)
    if (ec.value() == EPROTO) ec = asio::error::connection_aborted;  // Linux: the client gave up too
#endif
    return invalid_socket;
  }
#if defined(_WIN32)
  u_long on = 1;
  const bool set = ::ioctlsocket(s, static_cast<long>(FIONBIO), &on) == 0;  // (FIONBIO is unsigned)
#elif !defined(__linux__)
  const bool set =
      ::fcntl(s, F_SETFL, ::fcntl(s, F_GETFL) | O_NONBLOCK) == 0 && ::fcntl(s, F_SETFD, FD_CLOEXEC) == 0;
#if defined(SO_NOSIGPIPE)
  const int yes = 1;  // older macOS has no MSG_NOSIGNAL for send(): the socket says it once
  ::setsockopt(s, SOL_SOCKET, SO_NOSIGPIPE, &yes, sizeof yes);
#endif
#else
  const bool set = true;
#endif
  if (!set) {
    ec = last_socket_error();
    close_socket(s);
    return invalid_socket;
  }
  peer.resize(static_cast<std::size_t>(length));
  return s;
}

std::size_t receive_now(native_socket socket, std::span<char> into, std::error_code& ec) noexcept {
  ec.clear();
  const auto want = std::min(into.size(), most_per_call);
#if defined(_WIN32)
  const int n = ::recv(socket, into.data(), static_cast<int>(want), 0);
#else
  ssize_t n = -1;
  do {
    n = ::recv(socket, into.data(), want, 0);
  } while (n < 0 && errno == EINTR);
#endif
  if (n < 0) {
    ec = last_socket_error();
    return 0;
  }
  if (n == 0 && want > 0) ec = asio::error::eof;  // the peer closed its side: no more will come
  return static_cast<std::size_t>(n);
}

std::size_t send_now(native_socket socket, std::span<const char> bytes, std::error_code& ec) noexcept {
  ec.clear();
  const auto want = std::min(bytes.size(), most_per_call);
#if defined(_WIN32)
  const int n = ::send(socket, bytes.data(), static_cast<int>(want), send_flags);
#else
  ssize_t n = -1;
  do {
    n = ::send(socket, bytes.data(), want, send_flags);
  } while (n < 0 && errno == EINTR);
#endif
  if (n < 0) {
    ec = last_socket_error();
    return 0;
  }
  return static_cast<std::size_t>(n);
}

void set_no_delay(native_socket socket, std::error_code& ec) noexcept {
  ec.clear();
#if defined(_WIN32)
  const BOOL yes = TRUE;
  const char* value = reinterpret_cast<const char*>(&yes);
#else
  const int yes = 1;
  const int* value = &yes;
#endif
  if (::setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, value, sizeof yes) != 0) ec = last_socket_error();
}

void limit_unsent(native_socket socket, std::size_t bytes) noexcept {
#if defined(TCP_NOTSENT_LOWAT)
  // An older kernel without it: the writer is woken later, nothing breaks.
  const int most = static_cast<int>(std::min<std::size_t>(bytes, INT_MAX));
  ::setsockopt(socket, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &most, sizeof most);
#else
  (void)socket;  // Windows: no such option
  (void)bytes;
#endif
}

void shutdown_send(native_socket socket) noexcept {
#if defined(_WIN32)
  ::shutdown(socket, SD_SEND);
#else
  ::shutdown(socket, SHUT_WR);
#endif
}

void close_socket(native_socket socket) noexcept {
#if defined(_WIN32)
  ::closesocket(socket);
#else
  ::close(socket);  // not retried on EINTR: Linux has closed it whatever close() says
#endif
}

}  // namespace socketlab::net::platform
