// The guarded platform file for files (platform.cpp has the sockets'): every #ifdef on the
// operating system that opening, stat-ing, reading and sending a file takes is here.
#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <ratio>

#include <asio/error.hpp>

#include "socketlab/net/platform.hpp"
#include "socketlab/net/send_file.hpp"

#if defined(_WIN32)
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif
#if defined(__linux__)
#include <sys/sendfile.h>
#elif defined(__APPLE__)
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#endif

namespace socketlab::net::platform {

namespace {

/// The system's last error, as an error_code: errno, or GetLastError() on Windows.
std::error_code last_error() noexcept {
#if defined(_WIN32)
  return {static_cast<int>(::GetLastError()), std::system_category()};
#else
  return {errno, std::generic_category()};
#endif
}

#if !defined(_WIN32)
/// Makes SIGPIPE ignored if nothing else was asked for it: sendfile(2) cannot be told
/// MSG_NOSIGNAL, and a peer gone mid-file must be an EPIPE, not the end of the process. A handler
/// the program installed itself is left alone.
void ignore_broken_pipe_once() noexcept {
  static const bool done = [] {
    struct sigaction current {};
    if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      struct sigaction ignore {};
      ignore.sa_handler = SIG_IGN;
      ::sigemptyset(&ignore.sa_mask);
      ::sigaction(SIGPIPE, &ignore, nullptr);
    }
    return true;
  }();
  (void)done;
}

/// An errno from a socket call as Asio reports its own, so that `ec == asio::error::would_block`
/// holds as it does after a socket's write_some().
std::error_code socket_error(int code) noexcept {
  if (code == EAGAIN) code = EWOULDBLOCK;  // one value for "no room now", whichever the system gave
  return {code, asio::error::get_system_category()};
}
#endif

}  // namespace

std::intptr_t open_file(const std::filesystem::path& path, bool follow_last, std::error_code& ec) {
  ec.clear();
#if defined(_WIN32)
  // Shared with writers and with deletion, as a POSIX open is: a file being served can still be
  // replaced (the open handle keeps the old bytes until it is closed).
  const HANDLE file = ::CreateFileW(
      path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
      OPEN_EXISTING, follow_last ? FILE_ATTRIBUTE_NORMAL : FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    ec = last_error();
    return -1;
  }
  if (!follow_last) {
    // Opened as itself, a symlink (or another reparse point) is refused as O_NOFOLLOW refuses it.
    BY_HANDLE_FILE_INFORMATION info{};
    if (!::GetFileInformationByHandle(file, &info) ||
        (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0) {
      ::CloseHandle(file);
      ec = std::make_error_code(std::errc::too_many_symbolic_link_levels);
      return -1;
    }
  }
  return reinterpret_cast<std::intptr_t>(file);
#else
  // O_NONBLOCK: a FIFO put where a file was expected does not hold the server in open() (stat
  // then says it is no regular file); on a regular file it changes nothing.
  const int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow_last ? 0 : O_NOFOLLOW);
  int fd = -1;
  do {
    fd = ::open(path.c_str(), flags);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) ec = last_error();  // ELOOP for a symlink not followed: errc::too_many_symbolic_link_levels
  return fd;
#endif
}

std::intptr_t open_file_to_append(const std::filesystem::path& path, std::error_code& ec) {
  ec.clear();
#if defined(_WIN32)
  // FILE_APPEND_DATA without FILE_WRITE_DATA: every write goes to the end, as with O_APPEND.
  const HANDLE file = ::CreateFileW(path.c_str(), FILE_APPEND_DATA | SYNCHRONIZE,
                                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                    OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    ec = last_error();
    return -1;
  }
  return reinterpret_cast<std::intptr_t>(file);
#else
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) ec = last_error();
  return fd;
#endif
}

std::size_t append_to_file(std::intptr_t file, std::string_view text, std::error_code& ec) {
  ec.clear();
#if defined(_WIN32)
  DWORD written = 0;
  const auto want = static_cast<DWORD>(std::min<std::size_t>(text.size(), 1U << 30));
  if (!::WriteFile(reinterpret_cast<HANDLE>(file), text.data(), want, &written, nullptr)) {
    ec = last_error();
    return 0;
  }
  if (written == 0 && want > 0) ec = std::make_error_code(std::errc::no_space_on_device);
  return written;
#else
  ssize_t written = -1;
  do {
    written = ::write(static_cast<int>(file), text.data(), text.size());
  } while (written < 0 && errno == EINTR);
  if (written < 0) {
    ec = last_error();
    return 0;
  }
  if (written == 0 && !text.empty()) ec = std::make_error_code(std::errc::no_space_on_device);
  return static_cast<std::size_t>(written);
#endif
}

void close_file(std::intptr_t file) noexcept {
#if defined(_WIN32)
  ::CloseHandle(reinterpret_cast<HANDLE>(file));
#else
  ::close(static_cast<int>(file));
#endif
}

file_facts stat_file(std::intptr_t file, std::error_code& ec) {
  ec.clear();
  file_facts facts;
#if defined(_WIN32)
  BY_HANDLE_FILE_INFORMATION info{};
  if (!::GetFileInformationByHandle(reinterpret_cast<HANDLE>(file), &info)) {
    ec = last_error();
    return facts;
  }
  facts.size = (std::uint64_t{info.nFileSizeHigh} << 32) | info.nFileSizeLow;
  facts.regular = (info.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_DEVICE)) == 0;
  // FILETIME counts 100 ns since 1601-01-01; the Unix epoch is 11,644,473,600 s later.
  using ticks = std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>;
  const auto written =
      (std::uint64_t{info.ftLastWriteTime.dwHighDateTime} << 32) | info.ftLastWriteTime.dwLowDateTime;
  const std::chrono::sys_time<ticks> since_1970{ticks(static_cast<std::int64_t>(written)) -
                                                std::chrono::seconds(11'644'473'600)};
#else
  struct stat st {};
  if (::fstat(static_cast<int>(file), &st) != 0) {
    ec = last_error();
    return facts;
  }
  facts.size = static_cast<std::uint64_t>(st.st_size);
  facts.regular = S_ISREG(st.st_mode);
#if defined(__APPLE__)
  const auto& mtime = st.st_mtimespec;
#else
  const auto& mtime = st.st_mtim;
#endif
  const std::chrono::sys_time<std::chrono::nanoseconds> since_1970{std::chrono::seconds(mtime.tv_sec) +
                                                                   std::chrono::nanoseconds(mtime.tv_nsec)};
#endif
  facts.modified = std::chrono::time_point_cast<std::filesystem::file_time_type::duration>(
      std::chrono::file_clock::from_sys(since_1970));
  return facts;
}

std::size_t read_file_at(std::intptr_t file, std::uint64_t offset, std::span<char> into,
                         std::error_code& ec) {
  ec.clear();
#if defined(_WIN32)
  OVERLAPPED at{};  // on a handle opened for synchronous use, only the offset: the read still waits
  at.Offset = static_cast<DWORD>(offset & 0xffff'ffffU);
  at.OffsetHigh = static_cast<DWORD>(offset >> 32);
  DWORD got = 0;
  const auto want = static_cast<DWORD>(std::min<std::size_t>(into.size(), 1U << 30));
  if (!::ReadFile(reinterpret_cast<HANDLE>(file), into.data(), want, &got, &at)) {
    if (::GetLastError() == ERROR_HANDLE_EOF) return 0;
    ec = last_error();
    return 0;
  }
  return got;
#else
  ssize_t got = -1;
  do {
    got = ::pread(static_cast<int>(file), into.data(), into.size(), static_cast<off_t>(offset));
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    ec = last_error();
    return 0;
  }
  return static_cast<std::size_t>(got);
#endif
}

std::size_t send_file(native_socket socket, std::intptr_t file, std::uint64_t offset, std::uint64_t count,
                      std::error_code& ec) {
  ec.clear();
  if (count == 0) return 0;
#if defined(__linux__) || defined(__APPLE__)
  ignore_broken_pipe_once();
  // At most 1 GiB a call: both systems' limits are above it, and off_t/size_t hold it anywhere.
  const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(count, std::uint64_t{1} << 30));
  const auto at = static_cast<off_t>(offset);
#endif
#if defined(__linux__)
  off_t next = at;
  ssize_t sent = -1;
  do {
    sent = ::sendfile(socket, static_cast<int>(file), &next, want);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    ec = socket_error(errno);
    return 0;
  }
  return static_cast<std::size_t>(sent);
#elif defined(__APPLE__)
  // macOS's sendfile(file, socket, offset, &length, headers, flags) says in `length` how much
  // went, even when it fails with EAGAIN or EINTR part-way: that part counts as sent.
  off_t length = static_cast<off_t>(want);
  if (::sendfile(static_cast<int>(file), socket, at, &length, nullptr, 0) == 0) {
    return static_cast<std::size_t>(length);  // 0: the end of the file
  }
  if (length > 0 && (errno == EAGAIN || errno == EINTR)) return static_cast<std::size_t>(length);
  ec = errno == EINTR ? socket_error(EAGAIN) : socket_error(errno);  // interrupted before a byte: try again
  return 0;
#else
  // Windows: read a bounded piece into this thread's buffer and send what the socket takes. A
  // part the socket refused is read again at the next call: nothing is held per connection.
  thread_local std::array<char, net::send_file_buffer> buffer;  // not zeroed: only read into
  const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(count, buffer.size()));
  const std::size_t got = read_file_at(file, offset, std::span(buffer.data(), want), ec);
  if (ec || got == 0) return 0;
  return send_now(socket, std::span<const char>(buffer.data(), got), ec);
#endif
}

}  // namespace socketlab::net::platform
