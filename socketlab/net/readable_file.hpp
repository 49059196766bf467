/// @file
/// A file open for reading by the system's own handle: one open, one stat of what was opened, and
/// reads at an offset without a seek. What a server needs to send a file, and no more.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <system_error>

#include "socketlab/net/file_handle.hpp"

namespace socketlab::net {

/// What a stat of an open file says, as a server needs it.
struct file_facts {
  std::uint64_t size = 0;                      ///< bytes
  std::filesystem::file_time_type modified{};  ///< the last write, as std::filesystem tells it
  bool regular = false;                        ///< a plain file (not a folder, a device, a pipe)
};

/// A file open for reading: a descriptor on POSIX, a HANDLE on Windows, closed when it goes.
///
/// Compared with std::ifstream: the size and time come from the file that was opened (fstat),
/// not from its name again, so a file replaced meanwhile cannot be sent with another's length;
/// a read at an offset needs no seek; and no stream buffer is allocated. A server answering a
/// small file makes four calls: open, stat, read, close.
class readable_file {
 public:
  /// No file.
  readable_file() noexcept = default;
  /// Opens @p path for reading (shared with other readers and writers on Windows).
  /// @param path the file
  /// @param ec set when it cannot be opened: no_such_file_or_directory, permission_denied...
  /// @return the open file; an empty one on failure
  [[nodiscard]] static readable_file open(const std::filesystem::path& path, std::error_code& ec);
  /// Opens @p path as open() does, but not through a symlink that is its last name: asking what a
  /// name is and opening it in one call, as a server does that must not follow a link out of its
  /// folder (O_NOFOLLOW; on Windows, no reparse point). Names before the last are followed.
  /// @param path the file
  /// @param ec set when it cannot be opened: std::errc::too_many_symbolic_link_levels when the
  ///        last name is a symlink, else as open()
  /// @return the open file; an empty one on failure
  [[nodiscard]] static readable_file open_no_follow(const std::filesystem::path& path, std::error_code& ec);

  /// @return whether a file is open
  [[nodiscard]] explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

  /// The open file's size, last write and type (fstat; GetFileInformationByHandle on Windows).
  /// @param ec set on failure
  /// @return the facts
  [[nodiscard]] file_facts stat(std::error_code& ec) const;

  /// Reads from @p offset into @p into, as much as is there: fewer bytes only at the end of the
  /// file (or when the system gives fewer: call again).
  /// @param offset where to read, from the file's start
  /// @param into where the bytes go
  /// @param ec set on failure
  /// @return the bytes read; 0 at the end of the file
  [[nodiscard]] std::size_t read_at(std::uint64_t offset, std::span<char> into, std::error_code& ec) const;

  /// The system's handle, for what this class does not do itself (net::send_file()).
  /// @return the descriptor on POSIX, the HANDLE on Windows; -1 when no file is open
  [[nodiscard]] std::intptr_t native_handle() const noexcept { return handle_.get(); }

 private:
  explicit readable_file(std::intptr_t handle) noexcept : handle_(handle) {}
  file_handle handle_;  ///< the file, closed when it goes (a readable_file moves, never copies)
};

}  // namespace socketlab::net
