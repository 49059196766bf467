/// @file
/// Which file in a static site's folder a request path names, or why it names none. No I/O
/// beyond asking the file system what exists, and opening the file found; no sockets.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "socketlab/net/readable_file.hpp"

namespace socketlab::server {

/// What a request path names in a static site's folder.
struct static_target {
  /// The three answers a static site can give.
  enum class kind {
    file,      ///< send `file`
    redirect,  ///< send the client to `location` (a folder asked for without its '/')
    refused    ///< answer `status`; `reason` says why
  };
  kind what = kind::refused;   ///< which of the three
  std::filesystem::path file;  ///< kind::file: the file to send (canonical, under the root)
  net::readable_file opened;   ///< kind::file: `file`, open, when the mapping opened it (else empty:
                               ///< open `file`, which may then fail: no permission, say)
  net::file_facts facts;       ///< kind::file with `opened`: its size and time, a regular file
  std::string location;        ///< kind::redirect: where to send the client (the path with a '/' added),
                               ///< percent-encoded as received
  int status = 0;              ///< kind::file: 200; kind::redirect: 301; kind::refused: 400 or 404
  std::string reason;          ///< one sentence for the log / error page, e.g. "a '..' segment"
};

/// Maps a request path to a file in a site's folder, or to a refusal. The rules, in order:
/// - the path starts with '/' (else 400);
/// - it is percent-decoded exactly once: a malformed escape or a NUL is a 400; an encoded
///   '/' or '\' and a literal '\' are a 404 (they are never separators);
/// - split on '/': empty and `.` segments are ignored, a `..` segment is a 400 (even one that
///   would stay inside: a site never needs it);
/// - names Windows would read differently are a 404 on every platform, so that a site behaves
///   the same everywhere: not UTF-8, ending in '.' or ' ', device names (CON, NUL.txt, LPT1...),
///   a ':' (NTFS streams), and the other characters Windows forbids;
/// - a name beginning with '.' is a 404: a dotfile or dotfolder (.git, .env, .htpasswd) sits
///   beside a site's files but is never part of the site (serve-static's default, and the
///   `location ~ /\.` rule nginx configurations add); decoded first, so "%2egit" counts too;
/// - symlinks are resolved, and the result must still be under @p root (else 404: a refusal
///   must not tell what exists outside); the last name is opened without following a symlink
///   (net::readable_file::open_no_follow()), and when it opens as a regular file, that is the
///   answer: one open and one stat of the open file, the calls a server sending it makes anyway
///   (a name that opens as something else is looked at again: lstat);
/// - a folder asked for with a trailing '/' gives its index.html (checked the same way), else
///   404 (no listings); without the '/' it is a 301 to the path with a '/' added;
/// - anything missing or neither a regular file nor a folder is a 404.
///
/// The first rule broken decides the answer. No exception escapes for anything a client sends.
/// The answer is only as fresh as the call: the file system may change before the file is opened.
///
/// @code
///   map_target("/srv/site", "/docs")        -> redirect 301 "/docs/"
///   map_target("/srv/site", "/docs/")       -> file "/srv/site/docs/index.html"
///   map_target("/srv/site", "/%2e%2e/etc")  -> refused 400 "a '..' segment"
/// @endcode
///
/// Threading: safe to call from several threads at once.
/// @param root the site's folder, already canonical (std::filesystem::canonical at start-up)
/// @param path the request target's path, without query (server::target_path() in server/sites/site.hpp
///             gives it), still percent-encoded
/// @return the file, the redirect, or the refusal with its status and reason
[[nodiscard]] static_target map_target(const std::filesystem::path& root, std::string_view path);

}  // namespace socketlab::server
