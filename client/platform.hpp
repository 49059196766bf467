/// @file
/// Internal: what socketlab-client asks of the operating system about processes, which differs
/// between systems: its own open-file limit, its id, and another process's resident memory.
///
/// With console.hpp, the client's only file pairs allowed to test _WIN32 or __linux__ (as
/// socketlab/net/platform is the socket layer's): everything else in client/ is written once.
#pragma once

#include <cstdint>
#include <system_error>

namespace socketlab::client::platform {

/// The soft limit on open files (RLIMIT_NOFILE) before and after raise_open_file_limit().
struct open_file_limit {
  /// The value that stands for "no limit" (RLIM_INFINITY).
  static constexpr std::uint64_t unlimited = UINT64_MAX;
  std::uint64_t before = 0;  ///< the limit the process started with; 0 where there is none (Windows)
  std::uint64_t now = 0;     ///< the limit after raising it; 0 where there is none (Windows)
};

/// Raises this process's soft limit on open files to its hard limit (setrlimit RLIMIT_NOFILE),
/// as a server that holds thousands of connections must: each socket is a descriptor, and the
/// soft limit is often 1024. macOS refuses more than OPEN_MAX, so it gets that. Windows has no
/// such limit on sockets: nothing to do there.
/// @return the limit before and after; both 0 on Windows
open_file_limit raise_open_file_limit() noexcept;

/// This process's id, as `ps` and `pgrep` show it.
/// @return getpid() (GetCurrentProcessId() on Windows)
[[nodiscard]] std::int64_t process_id() noexcept;

/// A process's resident memory (RSS): Linux's VmRSS in /proc/PID/status, the memory of the
/// process that is in RAM now (not the kernel's socket buffers, which are not the process's).
/// @param pid the process
/// @param ec set on failure: std::errc::no_such_process when there is no such process (or its
///   status cannot be read), std::errc::invalid_argument when it has no resident memory (a
///   kernel thread, a zombie), std::errc::not_supported off Linux
/// @return the bytes; 0 on failure
[[nodiscard]] std::uint64_t resident_memory(std::int64_t pid, std::error_code& ec);

}  // namespace socketlab::client::platform
