/// @file
/// The one owner of a file the system opened: closed when it goes, moved but never copied. What
/// net::readable_file and net::log_file each hold.
#pragma once

#include <cstdint>
#include <utility>

namespace socketlab::net {

/// A descriptor on POSIX, a HANDLE on Windows, closed (platform::close_file()) when it goes.
class file_handle {
 public:
  /// No file.
  file_handle() noexcept = default;
  /// Owns @p handle, as the system's open call gave it (-1: none).
  /// @param handle the descriptor or HANDLE
  explicit file_handle(std::intptr_t handle) noexcept : handle_(handle) {}
  /// Closes the file.
  ~file_handle();
  /// Takes @p other's file; @p other is left with none.
  /// @param other the handle moved from
  file_handle(file_handle&& other) noexcept : handle_(std::exchange(other.handle_, -1)) {}
  /// Closes this one's file (once @p other goes) and takes @p other's.
  /// @param other the handle moved from
  /// @return this
  file_handle& operator=(file_handle&& other) noexcept {
    std::swap(handle_, other.handle_);
    return *this;
  }
  file_handle(const file_handle&) = delete;
  file_handle& operator=(const file_handle&) = delete;

  /// @return whether a file is open
  [[nodiscard]] explicit operator bool() const noexcept { return handle_ != -1; }
  /// @return the descriptor or HANDLE; -1 when none
  [[nodiscard]] std::intptr_t get() const noexcept { return handle_; }

 private:
  std::intptr_t handle_ = -1;  ///< the descriptor or HANDLE; -1 when none
};

}  // namespace socketlab::net
