// Lesson 09's platform file: every difference between POSIX sockets (Linux, macOS, the BSDs) and
// Windows sockets (Winsock) that poll_server.cpp needs, each behind one #ifdef, and nothing else.
// The program itself has no #ifdef. socket(), bind(), listen(), accept(), setsockopt() and
// getsockopt() are the same calls on both (Winsock copied Berkeley sockets in 1992), so they
// are not here. Asio's asio/detail/impl/socket_ops.ipp is this file, grown to cover everything.
#pragma once

#include <algorithm>
#include <climits>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX  // windows.h would define macros min and max, which break std::min
#endif
#include <winsock2.h>  // sockets, WSAPoll, closesocket, ioctlsocket
#include <ws2tcpip.h>  // inet_ntop, socklen_t
#else
#include <arpa/inet.h>   // inet_ntop, htons
#include <fcntl.h>       // fcntl, O_NONBLOCK
#include <netinet/in.h>  // sockaddr_in
#include <poll.h>        // poll, pollfd
#include <sys/socket.h>  // socket, bind, listen, accept, recv, send
#include <unistd.h>      // close

#include <cerrno>
#include <csignal>
#endif

namespace sockets {

#ifdef _WIN32
using native = SOCKET;  // a handle, an unsigned number the size of a pointer: not a file
constexpr native invalid = INVALID_SOCKET;
using poll_entry = WSAPOLLFD;  // { SOCKET fd; SHORT events; SHORT revents; }
#else
using native = int;  // a file descriptor, like an open file's or a pipe's
constexpr native invalid = -1;
using poll_entry = pollfd;  // { int fd; short events; short revents; }
#endif

/// The sockets library, for as long as the program uses sockets: one, made first in main().
class library {
 public:
  library() {
#ifdef _WIN32
    // Winsock is a library that must be started before any socket call (version 2.2 asked for).
    WSADATA data;
    if (const int error = WSAStartup(MAKEWORD(2, 2), &data)) {
      throw std::system_error(error, std::system_category(), "WSAStartup");
    }
#else
    // A send() to a connection already broken (its reset reported by an earlier call, with
    // ECONNRESET and no signal) raises SIGPIPE, whose default action ends the process: one
    // client hanging up would kill the server. Ignored, such a send() fails with EPIPE.
    std::signal(SIGPIPE, SIG_IGN);
#endif
  }
  ~library() {
#ifdef _WIN32
    WSACleanup();
#endif
  }
  library(const library&) = delete;
  library& operator=(const library&) = delete;
};

/// The error of the socket call that just failed.
inline int last_error() {
#ifdef _WIN32
  return WSAGetLastError();  // Winsock keeps its own, apart from errno
#else
  return errno;
#endif
}

//! [errors]
/// Whether @p error means "not now": nothing to read, no room to write, nobody to accept.
inline bool would_block(int error) {
#ifdef _WIN32
  return error == WSAEWOULDBLOCK;
#else
#if EAGAIN == EWOULDBLOCK
  return error == EAGAIN;  // Linux and macOS: two names, one number
#else
  return error == EAGAIN || error == EWOULDBLOCK;  // some systems: two numbers, both meaning "not now"
#endif
#endif
}
//! [errors]

/// What a would-block error is called on this system, for the log.
#ifdef _WIN32
constexpr const char* would_block_name = "WSAEWOULDBLOCK";
#else
constexpr const char* would_block_name = "EAGAIN";
#endif

/// Whether poll() was woken by a signal before anything was ready: then it is simply called again.
inline bool interrupted(int error) {
#ifdef _WIN32
  (void)error;
  return false;  // WSAPoll() is not interrupted by signals
#else
  return error == EINTR;
#endif
}

/// The system's words for @p error: "Connection reset by peer".
inline std::string message(int error) { return std::system_category().message(error); }

//! [non-blocking]
/// Puts @p s in non-blocking mode: a call that would wait fails with would_block() instead.
inline bool make_non_blocking(native s) {
#ifdef _WIN32
  u_long on = 1;
  return ioctlsocket(s, static_cast<long>(FIONBIO), &on) == 0;
#else
  const int flags = fcntl(s, F_GETFL);  // the socket's flags, like any file's
  return flags >= 0 && fcntl(s, F_SETFL, flags | O_NONBLOCK) == 0;
#endif
}
//! [non-blocking]

/// Lets a restarted server bind its port at once, and no second server share it (lesson 02).
inline void reuse_address(native s) {
  const int on = 1;
#ifdef _WIN32
  // On Windows SO_REUSEADDR would let a second server take the port over: ask for it alone.
  setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, reinterpret_cast<const char*>(&on), sizeof on);
#else
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
#endif
}

/// Waits until at least one of @p entries is ready, or @p timeout_ms passes (-1: no limit).
/// @return how many entries have revents set; 0 on timeout; -1 on error (see last_error()).
inline int poll(std::vector<poll_entry>& entries, int timeout_ms) {
#ifdef _WIN32
  return WSAPoll(entries.data(), static_cast<ULONG>(entries.size()), timeout_ms);
#else
  return ::poll(entries.data(), static_cast<nfds_t>(entries.size()), timeout_ms);
#endif
}

/// recv(): the bytes that have arrived, at most @p buffer's size.
/// @return how many (0: the peer closed its side); -1 on error (see last_error()).
inline std::ptrdiff_t receive(native s, std::span<char> buffer) {
#ifdef _WIN32
  return ::recv(s, buffer.data(), static_cast<int>(std::min<std::size_t>(buffer.size(), INT_MAX)), 0);
#else
  return ::recv(s, buffer.data(), buffer.size(), 0);
#endif
}

/// send(): as many of @p bytes as the socket's send buffer takes now.
/// @return how many; -1 on error (see last_error()).
inline std::ptrdiff_t send(native s, std::string_view bytes) {
#ifdef _WIN32
  return ::send(s, bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), INT_MAX)), 0);
#else
  return ::send(s, bytes.data(), bytes.size(), 0);
#endif
}

/// The error waiting on @p s (SO_ERROR), which is what a POLLERR is about. The same call on
/// both systems: POSIX takes a void*, Windows a char*, and a char* converts to a void*.
inline int pending_error(native s) {
  int error = 0;
  socklen_t length = sizeof error;
  getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&error), &length);
  return error;
}

/// A socket, closed when its owner goes: close() on POSIX (a socket is a file there),
/// closesocket() on Windows (where close() knows nothing of sockets).
class handle {
 public:
  /// Takes charge of @p s (none by default).
  /// @param s a socket, or invalid
  explicit handle(native s = invalid) noexcept : s_(s) {}
  /// Takes @p other's socket; @p other is left with none.
  /// @param other the handle moved from
  handle(handle&& other) noexcept : s_(std::exchange(other.s_, invalid)) {}
  /// Swaps sockets with @p other, which closes this one's old socket when it goes.
  /// @param other the handle moved from
  /// @return this handle
  handle& operator=(handle&& other) noexcept {
    std::swap(s_, other.s_);
    return *this;
  }
  ~handle() {
    if (s_ == invalid) return;
#ifdef _WIN32
    ::closesocket(s_);
#else
    ::close(s_);
#endif
  }
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;

  /// @return the system's number for the socket, for the calls
  native get() const noexcept { return s_; }
  /// @return whether it holds a socket
  explicit operator bool() const noexcept { return s_ != invalid; }

 private:
  native s_;
};

}  // namespace sockets
