/// @file
/// A file that many threads append lines to, as a server's access log is: each line one system
/// call, at the end of the file, with no stream buffer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <system_error>
#include <utility>

#include "socketlab/net/file_handle.hpp"

namespace socketlab::net {

/// A file open for appending: each write() goes to the end of the file as it is then (O_APPEND;
/// on Windows, a handle with FILE_APPEND_DATA only), so other programs' lines are never
/// overwritten, and one line at a time (a lock, held for the one system call a line takes), so
/// the lines of several threads never interleave, whatever the system does with a write that
/// only part of goes out (under Wine, lines of 4 threads were lost without it). nginx writes its
/// access log the same way, one write per line.
///
/// Compared with a std::ofstream flushed after each line: no copy into the stream's buffer and
/// no stream machinery; one system call either way.
///
/// Threading: write() may be called from several threads at once.
class log_file {
 public:
  /// No file: write() fails with bad_file_descriptor.
  log_file() noexcept = default;
  /// Opens @p path for appending, creating it if it does not exist (readable by others, as
  /// logs are: 0644 before the umask on POSIX).
  /// @param path the file
  /// @param ec set when it cannot be opened: permission_denied, no_such_file_or_directory (its
  ///        folder missing)...
  /// @return the open file; an empty one on failure
  [[nodiscard]] static log_file open(const std::filesystem::path& path, std::error_code& ec);

  /// Takes @p other's file; @p other is left with none. (Not while another thread writes.)
  /// @param other the file moved from
  log_file(log_file&& other) noexcept : handle_(std::move(other.handle_)) {}
  /// Closes this one's file (once @p other goes) and takes @p other's. (Not while another thread
  /// writes.)
  /// @param other the file moved from
  /// @return this
  log_file& operator=(log_file&& other) noexcept {
    handle_ = std::move(other.handle_);
    return *this;
  }
  log_file(const log_file&) = delete;
  log_file& operator=(const log_file&) = delete;
  ~log_file() = default;

  /// @return whether a file is open
  [[nodiscard]] explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

  /// Appends @p text at the end of the file: one system call (more only when the system takes
  /// part of it, as it may when the disk fills).
  /// @param text the bytes, a line end included
  /// @param ec set on failure (no_space_on_device, say); what went before it stays
  void write(std::string_view text, std::error_code& ec) const;

 private:
  explicit log_file(std::intptr_t handle) noexcept : handle_(handle) {}
  file_handle handle_;        ///< the file, closed when it goes (a log_file moves, never copies)
  mutable std::mutex mutex_;  ///< one line at a time
};

}  // namespace socketlab::net
