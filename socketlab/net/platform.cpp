// The one guarded platform file: every #ifdef on the operating system in socketlab/net is here.
#include "socketlab/net/platform.hpp"

#include <array>
#include <cerrno>
#include <csignal>

#include <asio/error.hpp>
#include <asio/socket_base.hpp>

#if defined(__linux__)
#include <fstream>
#endif

namespace socketlab::net::platform {

void reuse_address(asio::ip::tcp::acceptor& acceptor, std::error_code& ec) {
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
  // previous run sit in TIME_WAIT (up to 2 minutes). It never lets two listeners share a port.
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
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
  // Linux caps every listen() backlog at net.core.somaxconn, which the administrator can
  // change, so the header's SOMAXCONN (4096 since 5.4, 128 before) may be wrong for this
  // machine. The file can be missing (restricted containers); then the header is our best guess.
  try {
    std::ifstream file("/proc/sys/net/core/somaxconn");
    int value = 0;
    if (file >> value && value > 0) return value;
  } catch (...) {
    // Reading a number from a file does not throw unless asked to; stay noexcept regardless.
  }
  return header_max;
#else
  // macOS and the BSDs: kern.ipc.somaxconn may be larger, but SOMAXCONN is what the
  // documentation promises to honour.
  return header_max;
#endif
}

std::span<const int> stop_signals() noexcept {
#if defined(_WIN32)
  // The C runtime raises SIGBREAK for Ctrl+Break and when the console window is closed.
  static constexpr std::array signals{SIGINT, SIGTERM, SIGBREAK};
#else
  static constexpr std::array signals{SIGINT, SIGTERM};
#endif
  return signals;
}

}  // namespace socketlab::net::platform
