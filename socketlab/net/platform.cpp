// The one guarded platform file: every #ifdef on the operating system in socketlab/net is here
// (with, at its end, the slots net::per_thread() uses with MinGW-w64's compiler).
#include "socketlab/net/platform.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <csignal>
#include <vector>

#include <asio/error.hpp>
#include <asio/socket_base.hpp>

#if defined(__linux__)
#include <fstream>
#endif
#if defined(__MINGW32__)
#include <pthread.h>

#include "socketlab/net/per_thread.hpp"
#endif
#if !defined(_WIN32)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#endif

namespace socketlab::net::platform {

void reuse_address(asio::ip::tcp::acceptor& acceptor, std::error_code& ec) {
//! [reuse-address]
#if defined(_WIN32)
  // On Windows SO_REUSEADDR means something else than on POSIX: it lets *another* socket
  // bind a port that is already listening and steal its connections. So a server asks for
  // the opposite, exclusive use, which makes a second server fail cleanly with WSAEADDRINUSE.
  // Microsoft documents the price: the port may stay taken until the connections accepted
  // on it have fully ended. Asio has no option type for it, so we name one with Asio's own
  // boolean template.
  using exclusive_address_use = asio::detail::socket_option::boolean<SOL_SOCKET, SO_EXCLUSIVEADDRUSE>;
  acceptor.set_option(exclusive_address_use(true), ec);
#else
  // POSIX: without it, bind() fails with EADDRINUSE for as long as connections of the
  // previous run sit in TIME_WAIT (up to 2 minutes). On Linux it never lets two listeners
  // share a port. macOS and the BSDs let a more specific address listen beside a wildcard
  // (127.0.0.1:P beside 0.0.0.0:P), the specific one taking the connections to its address.
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
#endif
  //! [reuse-address]
}

void defer_accept(asio::ip::tcp::acceptor& acceptor, std::chrono::seconds wait, std::error_code& ec) {
#if defined(TCP_DEFER_ACCEPT)
  // Linux: the kernel answers the handshake as ever, but keeps the connection out of the accept
  // queue until data comes; past `wait` (counted in SYN/ACK retransmissions), the client's next
  // ACK puts it there anyway.
  using defer = asio::detail::socket_option::integer<IPPROTO_TCP, TCP_DEFER_ACCEPT>;
  acceptor.set_option(
      defer(static_cast<int>(std::clamp<std::chrono::seconds::rep>(wait.count(), 1, INT_MAX))), ec);
#else
  (void)acceptor;  // macOS and Windows have no such option (FreeBSD's accept filters are a module)
  (void)wait;
  ec = asio::error::operation_not_supported;
#endif
}

bool is_address_not_available(const std::error_code& code) noexcept {
#if defined(_WIN32)
  constexpr int not_available = WSAEADDRNOTAVAIL;
#else
  constexpr int not_available = EADDRNOTAVAIL;
#endif
  return code == std::error_code(not_available, asio::error::get_system_category()) ||
         code == std::errc::address_not_available;
}

int max_backlog() noexcept {
  // SOMAXCONN as the system headers say; Asio spells it max_listen_connections.
  constexpr int header_max = asio::socket_base::max_listen_connections;
#if defined(_WIN32)
  // Windows' SOMAXCONN (0x7fffffff) is not a count but a request: "provider, pick your
  // maximum", and the provider then silently uses a few hundred (or thousands) instead.
  // Reporting two billion would mislead a learner and overflow any arithmetic done with it,
  // so we report 4096: Linux's default net.core.somaxconn since 5.4, and a value listen()
  // on Windows also accepts (it clamps it to what it supports).
  constexpr int windows_reasonable_max = 4096;
  return header_max > windows_reasonable_max ? windows_reasonable_max : header_max;
#elif defined(__linux__)
  //! [max-backlog]
  // Linux caps every listen() backlog at net.core.somaxconn (by default 4096 since Linux 5.4,
  // 128 before), which the administrator can change. SOMAXCONN is the C library's header's
  // number (glibc: 4096 since 2.35, 128 before), fixed when the program was built, so it may
  // be wrong for this machine. The file can be missing (restricted containers); then the
  // header is our best guess.
  try {
    std::ifstream file("/proc/sys/net/core/somaxconn");
    int value = 0;
    if (file >> value && value > 0) return value;
  } catch (...) {
    // Reading a number from a file does not throw unless asked to; stay noexcept regardless.
  }
  return header_max;
  //! [max-backlog]
#else
  // macOS and the BSDs: kern.ipc.somaxconn may be larger, but SOMAXCONN is what the
  // documentation promises to honour.
  return header_max;
#endif
}

std::span<const named_signal> stop_signals() noexcept {
#if defined(_WIN32)
  // The C runtime raises SIGBREAK for Ctrl+Break and when the console window is closed.
  static constexpr std::array signals{named_signal{SIGINT, "SIGINT"}, named_signal{SIGTERM, "SIGTERM"},
                                      named_signal{SIGBREAK, "SIGBREAK"}};
#else
  static constexpr std::array signals{named_signal{SIGINT, "SIGINT"}, named_signal{SIGTERM, "SIGTERM"}};
#endif
  return signals;
}

datagram_receipt receive_datagram(asio::ip::udp::socket& socket, std::span<char> buffer,
                                  std::error_code& ec) {
  ec.clear();
  datagram_receipt got;
#if defined(_WIN32)
  // WSARecv() fills the buffer and fails with WSAEMSGSIZE when the datagram was longer; the
  // real size is not told. The socket is put in non-blocking mode so that "nothing waiting"
  // is WSAEWOULDBLOCK rather than a wait.
  socket.non_blocking(true, ec);
  if (ec) return got;
  WSABUF piece{static_cast<ULONG>(buffer.size()), buffer.data()};
  DWORD received = 0;
  DWORD flags = 0;
  if (::WSARecv(socket.native_handle(), &piece, 1, &received, &flags, nullptr, nullptr) == SOCKET_ERROR) {
    const int error = ::WSAGetLastError();
    if (error == WSAEMSGSIZE) {
      got.bytes = buffer.size();
      got.truncated = true;
      return got;
    }
    // On a UDP socket WSAECONNRESET is an ICMP "port unreachable" answering an earlier send.
    ec = error == WSAECONNRESET ? std::error_code(asio::error::connection_refused)
                                : std::error_code(error, asio::error::get_system_category());
    return got;
  }
  got.bytes = got.size = received;
  return got;
#else
  iovec piece{buffer.data(), buffer.size()};
  msghdr message{};
  message.msg_iov = &piece;
  message.msg_iovlen = 1;
  //! [receive-datagram]
  int flags = MSG_DONTWAIT;
#if defined(__linux__)
  flags |= MSG_TRUNC;  // Linux then returns the datagram's real length, even past the buffer
#endif
  const auto n = ::recvmsg(socket.native_handle(), &message, flags);
  if (n < 0) {
    ec = std::error_code(errno, asio::error::get_system_category());
    return got;
  }
  const auto length = static_cast<std::size_t>(n);
  got.truncated = (message.msg_flags & MSG_TRUNC) != 0 || length > buffer.size();
  //! [receive-datagram]
  got.bytes = length < buffer.size() ? length : buffer.size();
#if defined(__linux__)
  got.size = length;
#else
  got.size = got.truncated ? 0 : length;
#endif
  return got;
#endif
}

std::size_t wait_any(std::span<const wait_entry> entries, std::chrono::steady_clock::time_point deadline,
                     std::error_code& ec) {
  ec.clear();
#if defined(_WIN32)
  using poll_entry = WSAPOLLFD;
  // WSAPoll() rejects POLLPRI, so ask for normal data only.
  constexpr short want_read = POLLRDNORM;
  constexpr short want_write = POLLWRNORM;
#else
  using poll_entry = pollfd;
  constexpr short want_read = POLLIN;
  constexpr short want_write = POLLOUT;
#endif
  std::vector<poll_entry> polled(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    polled[i].fd = entries[i].socket;
    polled[i].events = entries[i].write ? want_write : want_read;
  }
  for (;;) {
    // poll() counts in milliseconds: round up, so that it never wakes just before the deadline.
    int timeout = -1;
    if (deadline != std::chrono::steady_clock::time_point::max()) {
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      timeout = static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(left.count(), 0, INT_MAX));
    }
#if defined(_WIN32)
    const int n = ::WSAPoll(polled.data(), static_cast<ULONG>(polled.size()), timeout);
    if (n == SOCKET_ERROR) {
      ec = std::error_code(::WSAGetLastError(), asio::error::get_system_category());
      return entries.size();
    }
#else
    const int n = ::poll(polled.data(), static_cast<nfds_t>(polled.size()), timeout);
    if (n < 0) {
      if (errno == EINTR) continue;  // a signal arrived: wait again for the time left
      ec = std::error_code(errno, asio::error::get_system_category());
      return entries.size();
    }
#endif
    if (n == 0) {
      if (timeout >= 0 && std::chrono::steady_clock::now() >= deadline) return entries.size();
      continue;  // woke early (timer granularity): wait for the rest
    }
    for (std::size_t i = 0; i < polled.size(); ++i) {
      if (polled[i].revents != 0) return i;  // ready, or an error / hang-up the next call reports
    }
  }
}

}  // namespace socketlab::net::platform

#if defined(__MINGW32__)
// net::per_thread()'s slots: winpthreads' keys, whose values live in the thread's own record, not
// in emutls's memory, and whose destructors run on them when the thread ends.
namespace socketlab::net::detail {

unsigned make_thread_slot(void (*destroy)(void*)) {
  pthread_key_t key{};
  if (const int err = ::pthread_key_create(&key, destroy))
    throw std::system_error(err, std::generic_category(), "pthread_key_create");
  return static_cast<unsigned>(key);
}

void* thread_slot_value(unsigned slot) noexcept {
  return ::pthread_getspecific(static_cast<pthread_key_t>(slot));
}

void set_thread_slot_value(unsigned slot, void* value) {
  if (const int err = ::pthread_setspecific(static_cast<pthread_key_t>(slot), value))
    throw std::system_error(err, std::generic_category(), "pthread_setspecific");
}

}  // namespace socketlab::net::detail
#endif
