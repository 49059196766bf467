/// @file
/// The bytes of a file, sent from the file: a static site's large body never sits in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "socketlab/net/readable_file.hpp"

namespace socketlab::server {

/// A range of one open file's bytes, sent as the peer takes them. A static site answers with one
/// instead of the file's contents, so a connection's memory does not grow with the file's size:
/// a driver sends the bytes straight from the file (net::send_file()), or a small body is read
/// into memory whole, to go out with its header in one write.
///
/// The file stays open from the site's answer to its last piece: a file replaced meanwhile is
/// sent as it was when opened (on Windows, an open file cannot be replaced). One that shrinks
/// meanwhile ends the body early: read() fails, and the connection must close, since the
/// response's Content-Length promised more.
class file_body {
 public:
  /// The bytes [@p offset, @p offset + @p length) of @p file.
  /// @param file the file, open for reading
  /// @param offset where the bytes begin
  /// @param length how many there are
  file_body(net::readable_file file, std::uint64_t offset, std::uint64_t length);

  /// How many bytes are left to read.
  /// @return the count; 0 once the body has been read
  [[nodiscard]] std::uint64_t remaining() const noexcept { return remaining_; }

  /// The file.
  /// @return the open file
  [[nodiscard]] const net::readable_file& file() const noexcept { return file_; }

  /// Where the next byte to send is in the file.
  /// @return the offset from the file's start
  [[nodiscard]] std::uint64_t offset() const noexcept { return offset_; }

  /// The first @p n of the remaining bytes have been sent from the file itself.
  /// @param n how many, at most remaining()
  void advance(std::uint64_t n) noexcept {
    offset_ += n;
    remaining_ -= n;
  }

  /// Appends the next piece, at most @p max bytes, to @p out.
  /// @param out where the bytes go
  /// @param max the most to read now (the piece size)
  /// @return false when the file ended early or could not be read; @p out is then as it was
  [[nodiscard]] bool read(std::string& out, std::size_t max);

 private:
  net::readable_file file_;  ///< the file
  std::uint64_t offset_;     ///< where the next byte to read is
  std::uint64_t remaining_;  ///< bytes not yet read
};

}  // namespace socketlab::server
