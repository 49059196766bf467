/// @file
/// A site that serves the files of a folder, with the validators (ETag, Last-Modified) that let
/// a browser ask "has it changed?" and get 304 instead of the bytes again. No sockets.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "server/sites/site.hpp"
#include "server/sites/static_path.hpp"

namespace socketlab::server {

/// A site that serves the files under one folder, like `python -m http.server` without the
/// listings but with nginx's answers. `--site 8080=./public` makes one; it answers:
/// - a file: 200 with its bytes, Content-Type from its extension (see mime_type()),
///   Last-Modified, a strong ETag `"<mtime hex>-<size hex>"` as nginx makes it, and
///   `Accept-Ranges: bytes`. The body is the open file (reply::file), which the connection sends
///   from the file: a file of any size costs a connection the same memory;
/// - a GET with one `Range: bytes=...` (and an `If-Range` that still matches, if any): 206 with
///   those bytes and `Content-Range`, or 416 when the range begins past the end (see
///   requested_range() in server/sites/byte_range.hpp);
/// - a conditional GET or HEAD whose validator still matches: 304 with no body (RFC 9110
///   §13.2.2: If-None-Match decides when present, else If-Modified-Since);
/// - a folder asked for without its '/': 301 to the path with it, the query kept;
/// - a folder with its '/': its index.html; nothing is ever listed;
/// - no such file, or a path map_target() refuses (dotfiles included): 404 with an HTML page, the
///   folder's own `404.html` when it has one; a malformed path: 400;
/// - a file that cannot be opened: 403.
///
/// Which file a path names, and why none, is decided by map_target() (server/sites/static_path.hpp);
/// this class only opens the file and builds the response. No answer names a file-system path.
///
/// Threading: handle() may be called from several threads at once; it reads the file system on
/// every request, so an edited file is served at once (and so is a replaced 404.html).
class static_site final : public site {
 public:
  /// @param folder the folder to serve, relative to the working directory or absolute
  /// @throws std::invalid_argument when @p folder does not exist or is not a folder
  explicit static_site(const std::filesystem::path& folder);

  /// The file the request's path names, or the refusal (see the class comment).
  /// @param req the request (method is GET or HEAD; the connection layer drops HEAD's body)
  /// @return the response
  [[nodiscard]] reply handle(const http::request& req) const override;

  /// "files from /abs/folder".
  /// @return the line, naming the canonical folder
  [[nodiscard]] std::string describe() const override;

  /// The folder served, canonical (absolute, symlinks resolved).
  /// @return the folder's path
  [[nodiscard]] const std::filesystem::path& root() const noexcept { return root_; }

 private:
  /// The file map_target() chose, or 304 when the client's copy is still current.
  /// @param target map_target()'s answer, a file (opened here if map_target() did not); its
  ///        open file is taken
  /// @param path the request's path, for a 404 if the file went away since
  /// @param req the request, for its conditional fields
  [[nodiscard]] reply serve(static_target& target, std::string_view path, const http::request& req) const;

  /// The 404 page: the folder's top-level 404.html, else a built-in page naming @p path.
  [[nodiscard]] reply not_found(std::string_view path) const;

  std::filesystem::path root_;  ///< the folder, canonical: map_target() compares paths under it
};

}  // namespace socketlab::server
