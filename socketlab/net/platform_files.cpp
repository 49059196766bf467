// The guarded platform file for files (platform.cpp has the sockets'): every #ifdef on the
// operating system that opening, stat-ing and reading a file takes is here.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ratio>

#include "socketlab/net/platform.hpp"

#if defined(_WIN32)
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
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

}  // namespace

std::intptr_t open_file(const std::filesystem::path& path, std::error_code& ec) {
  ec.clear();
#if defined(_WIN32)
  // Shared with writers and with deletion, as a POSIX open is: a file being served can still be
  // replaced (the open handle keeps the old bytes until it is closed).
  const HANDLE file =
      ::CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    ec = last_error();
    return -1;
  }
  return reinterpret_cast<std::intptr_t>(file);
#else
  // O_NONBLOCK: a FIFO put where a file was expected does not hold the server in open() (stat
  // then says it is no regular file); on a regular file it changes nothing.
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) ec = last_error();
  return fd;
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

}  // namespace socketlab::net::platform
