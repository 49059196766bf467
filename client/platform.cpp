// The client's guarded platform file for processes: every #ifdef on the operating system that
// hold needs is here (console.cpp has the console's).
#include "client/platform.hpp"

#if defined(__linux__)
#include <fstream>
#include <sstream>
#include <string>
#endif
#if defined(_WIN32)
#include <process.h>
#else
#include <algorithm>
#include <climits>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace socketlab::client::platform {

#if !defined(_WIN32)
namespace {

/// A limit as a count, RLIM_INFINITY as open_file_limit::unlimited.
std::uint64_t to_count(rlim_t value) noexcept {
  return value == RLIM_INFINITY ? open_file_limit::unlimited : static_cast<std::uint64_t>(value);
}

}  // namespace
#endif

open_file_limit raise_open_file_limit() noexcept {
#if defined(_WIN32)
  return {};  // sockets are handles, not C runtime descriptors: there is no limit to raise
#else
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  open_file_limit result{to_count(limit.rlim_cur), to_count(limit.rlim_cur)};
  rlim_t wanted = limit.rlim_max;
#if defined(__APPLE__) && defined(OPEN_MAX)
  wanted = std::min<rlim_t>(wanted, OPEN_MAX);  // macOS: setrlimit() refuses more, even below the hard limit
#endif
  if (limit.rlim_cur != RLIM_INFINITY && wanted > limit.rlim_cur) {
    limit.rlim_cur = wanted;
    if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) result.now = to_count(wanted);
  }
  return result;
#endif
}

std::int64_t process_id() noexcept {
#if defined(_WIN32)
  return static_cast<std::int64_t>(::_getpid());
#else
  return static_cast<std::int64_t>(::getpid());
#endif
}

std::uint64_t resident_memory(std::int64_t pid, std::error_code& ec) {
  ec.clear();
#if defined(__linux__)
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  if (pid <= 0 || !status) {
    ec = std::make_error_code(std::errc::no_such_process);
    return 0;
  }
  // "VmRSS:	    5120 kB": the kernel's kB are 1024 bytes.
  std::string line;
  while (std::getline(status, line)) {
    if (!line.starts_with("VmRSS:")) continue;
    std::istringstream fields(line.substr(6));
    std::uint64_t kib = 0;
    if (fields >> kib) return kib * 1024;
  }
  ec = std::make_error_code(std::errc::invalid_argument);
  return 0;
#else
  (void)pid;
  ec = std::make_error_code(std::errc::not_supported);
  return 0;
#endif
}

}  // namespace socketlab::client::platform
