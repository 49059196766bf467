/// @file
/// A file that many threads append lines to, as a server's access log is: each line one system
/// call, at the end of the file, with no lock and no stream buffer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "socketlab/net/file_handle.hpp"

namespace socketlab::net {

/// A file open for appending: each write() goes to the end of the file as it is then, in one
/// call (O_APPEND; on Windows, a handle with FILE_APPEND_DATA only), so the lines of several
/// threads, or of several programs writing the same file, never overlap nor interleave, and no
/// lock is needed. nginx writes its access log the same way.
///
/// Compared with a std::ofstream flushed after each line: no mutex, no copy into the stream's
/// buffer, one system call (write) either way.
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

  /// @return whether a file is open
  [[nodiscard]] explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

  /// Appends @p text at the end of the file: one system call (more only when the system takes
  /// part of it, as it may when the disk fills).
  /// @param text the bytes, a line end included
  /// @param ec set on failure (no_space_on_device, say); what went before it stays
  void write(std::string_view text, std::error_code& ec) const;

 private:
  explicit log_file(std::intptr_t handle) noexcept : handle_(handle) {}
  file_handle handle_;  ///< the file, closed when it goes (a log_file moves, never copies)
};

}  // namespace socketlab::net
