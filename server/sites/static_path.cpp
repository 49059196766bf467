#include "server/sites/static_path.hpp"

#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "server/sites/portable_path.hpp"
#include "socketlab/http/detail/syntax.hpp"
#include "socketlab/net/per_thread.hpp"

namespace socketlab::server {
namespace {

namespace fs = std::filesystem;

/// One way a path is refused: its status and the sentence that says why.
struct rule {
  int status;               ///< 400 (the request is malformed) or 404 (no such file may be served)
  std::string_view reason;  ///< for the log and the error page
};

// Every refusal, in the order map_target() checks them.
constexpr rule not_absolute{400, "the path does not start with '/'"};
constexpr rule bad_escape{400, "a malformed percent-escape ('%' not followed by two hex digits)"};
constexpr rule nul_byte{400, "a NUL byte"};
constexpr rule encoded_separator{404, "an encoded '/' or '\\' (%2F, %5C), which is never a separator"};
constexpr rule backslash{404, "a '\\', which Windows reads as a separator"};
constexpr rule dot_dot{400, "a '..' segment"};
constexpr rule not_utf8{404, "a name that is not UTF-8"};
constexpr rule trailing_dot_or_space{404, "a name ending in '.' or ' ', which Windows strips"};
constexpr rule device_name{404, "a Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9)"};
constexpr rule colon{404, "a ':', which names an NTFS stream on Windows"};
constexpr rule windows_forbidden{
    404, "a character Windows forbids in names (< > \" | ? * or a control character)"};
constexpr rule dotfile{404, "a name beginning with '.' (.git, .env: kept beside a site, never part of it)"};
constexpr rule unresolvable{404, "a path that cannot be resolved (a symlink loop, or no permission)"};
constexpr rule outside{404, "outside the folder"};
constexpr rule missing{404, "no such file"};
constexpr rule file_as_folder{404, "a file asked for as a folder (a '/' after its name)"};
constexpr rule no_index{404, "a folder without index.html"};
constexpr rule not_regular{404, "neither a regular file nor a folder"};

/// The answer for a path that breaks @p r.
static_target refuse(const rule& r) {
  static_target t;
  t.status = r.status;
  t.reason = r.reason;
  return t;
}

/// Percent-decodes one segment, once, into @p name.
/// @return the refusal, if the segment breaks a decoding rule
std::optional<static_target> decode(std::string_view raw, std::string& name) {
  name.clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\') return refuse(backslash);
    if (c == '%') {
      const int high = i + 2 < raw.size() ? http::detail::hex_value(raw[i + 1]) : -1;
      const int low = high >= 0 ? http::detail::hex_value(raw[i + 2]) : -1;
      if (low < 0) return refuse(bad_escape);
      c = static_cast<char>(high * 16 + low);
      i += 2;
      // Decoded here, so it is a character of the name and never a separator: refuse it rather
      // than serve a name that would mean a folder on some platform.
      if (c == '/' || c == '\\') return refuse(encoded_separator);
    }
    if (c == '\0') return refuse(nul_byte);
    name += c;
  }
  return std::nullopt;
}

/// @return the refusal, if Windows would read @p name as something else than a plain name, or if
///         it names a dotfile
std::optional<static_target> check_name(std::string_view name) {
  if (!is_utf8(name)) return refuse(not_utf8);
  if (name.ends_with('.') || name.ends_with(' ')) return refuse(trailing_dot_or_space);
  if (is_device_name(name)) return refuse(device_name);
  if (name.find(':') != std::string_view::npos) return refuse(colon);
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 ||
        std::string_view("<>\"|?*").find(c) != std::string_view::npos) {
      return refuse(windows_forbidden);
    }
  }
  // "." and ".." never get here: they were handled as segments.
  if (name.starts_with('.')) return refuse(dotfile);
  return std::nullopt;
}

/// What the file system holds at @p p (never throws).
fs::file_type type_of(const fs::path& p) {
  std::error_code ec;
  return fs::status(p, ec).type();
}

/// What resolve_under() found a path to name.
struct found {
  fs::file_type type = fs::file_type::directory;  ///< what the path names (not_found when nothing)
  net::readable_file opened;                      ///< the regular file it names, when opened
  net::file_facts facts;                          ///< with `opened`: its size and time
};

/// Opens @p p, the last name of a path, if it is a regular file and not a symlink: the one look
/// at it a file needs. Sets @p f when the answer is known (a regular file, or nothing there).
/// @return whether @p f holds the answer; when not (a symlink, a folder, no permission...), ask
///         lstat what @p p is
bool open_regular(const fs::path& p, found& f) {
  std::error_code ec;
  net::readable_file file = net::readable_file::open_no_follow(p, ec);
  if (ec == std::errc::no_such_file_or_directory) {
    f.type = fs::file_type::not_found;
    return true;
  }
  if (ec) return false;
  const net::file_facts facts = file.stat(ec);
  if (ec || !facts.regular) return false;
  f.type = fs::file_type::regular;
  f.opened = std::move(file);
  f.facts = facts;
  return true;
}

/// Resolves the symlinks in @p p, which names things below @p root, in place, and says what it
/// names. The root is canonical and the names below it hold no `.` or `..` (map_target() refused
/// or dropped them), so only a symlink can take the path elsewhere: each name is looked at once
/// (lstat, or for the last name when @p open_last, an open that does not follow a symlink), and
/// only when one is a symlink does the path go through weakly_canonical(), the one call that
/// follows links, and the result is checked to be still inside the root.
/// @param root the served folder, canonical
/// @param p a path below @p root, starting with its text; resolved on return
/// @param open_last whether the last name is expected to be a file, and opened if it is one
/// @param f set to what @p p names, and the file opened
/// @return the refusal, if it cannot be resolved or ends outside @p root
std::optional<static_target> resolve_under(const fs::path& root, fs::path& p, bool open_last, found& f) {
  std::error_code ec;
  const auto& text = p.native();
  f.type = fs::file_type::directory;  // the root itself
  for (auto at = root.native().size(); at < text.size();) {
    if (is_separator(text[at])) {
      ++at;
      continue;
    }
    while (at < text.size() && !is_separator(text[at]))
      ++at;
    const bool last = at == text.size();  // then @p p itself is looked at: no path to build
    if (last && open_last && open_regular(p, f)) return std::nullopt;
    f.type = (last ? fs::symlink_status(p, ec) : fs::symlink_status(fs::path(text.substr(0, at)), ec)).type();
    if (f.type == fs::file_type::not_found) return std::nullopt;  // nothing below it either
    if (f.type == fs::file_type::none) return refuse(unresolvable);
    if (f.type != fs::file_type::symlink) continue;
    fs::path resolved = fs::weakly_canonical(p, ec);
    if (ec) return refuse(unresolvable);
    // weakly_canonical() leaves what does not exist as written, a dangling symlink included;
    // such a path stays "under the root" here, and its type (not found) refuses it.
    if (!is_under(resolved, root)) return refuse(outside);
    p = std::move(resolved);
    f.type = type_of(p);
    return std::nullopt;
  }
  return std::nullopt;
}

/// The pieces of a request path map_target() works with, kept per thread: their memory is
/// reused from one request to the next.
struct segments {
  std::vector<std::string_view> raw;  ///< each segment as received, percent-encoded
  std::vector<std::string> names;     ///< each segment decoded
  std::vector<std::size_t> kept;      ///< the segments that name something (not empty, not ".")
};

/// Splits @p path (after its first '/') on the literal '/', then decodes each segment once:
/// what was encoded can then never become a separator, a '..' or a second escape.
/// @return the refusal, if a segment breaks a decoding rule
std::optional<static_target> split_and_decode(std::string_view path, segments& s) {
  s.raw.clear();
  for (std::string_view rest = path.substr(1);;) {
    const auto slash = rest.find('/');
    s.raw.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  s.names.resize(s.raw.size());
  for (std::size_t i = 0; i < s.raw.size(); ++i) {
    if (auto refusal = decode(s.raw[i], s.names[i])) return refusal;
  }
  return std::nullopt;
}

/// The target for the regular file @p f found at @p p.
static_target file_target(fs::path p, found& f) {
  static_target t;
  t.what = static_target::kind::file;
  t.status = 200;
  t.file = std::move(p);
  t.opened = std::move(f.opened);
  t.facts = f.facts;
  return t;
}

/// The target for a folder asked for as a folder ("/docs/"): its index.html, if it has one
/// inside the root.
static_target folder_index(const fs::path& root, const fs::path& folder) {
  auto text = folder.native();
  append_name(text, "index.html");
  fs::path index(std::move(text));
  found f;
  if (auto refusal = resolve_under(root, index, true, f)) return std::move(*refusal);
  if (f.type != fs::file_type::regular) return refuse(no_index);
  return file_target(std::move(index), f);
}

}  // namespace

static_target map_target(const fs::path& root, std::string_view path) {
  if (!path.starts_with('/')) return refuse(not_absolute);

  auto& s = net::per_thread<segments>();
  if (auto refusal = split_and_decode(path, s)) return std::move(*refusal);
  auto& [raw, names, kept] = s;

  // "/sub/" and "/sub/." both ask for the folder itself (RFC 3986 removes a last "." too).
  const bool as_folder = names.back().empty() || names.back() == ".";
  kept.clear();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "..") return refuse(dot_dot);
    if (!names[i].empty() && names[i] != ".") kept.push_back(i);
  }
  for (const auto i : kept) {
    if (auto refusal = check_name(names[i])) return std::move(*refusal);
  }

  auto text = root.native();
  for (const auto i : kept)
    append_name(text, names[i]);
  fs::path p(std::move(text));
  found f;
  if (auto refusal = resolve_under(root, p, !as_folder, f)) return std::move(*refusal);

  switch (f.type) {
    case fs::file_type::regular:
      if (as_folder) return refuse(file_as_folder);
      return file_target(std::move(p), f);
    case fs::file_type::directory:
      break;
    case fs::file_type::not_found:
      return refuse(missing);
    case fs::file_type::none:  // status() failed for another reason than "not there"
      return refuse(unresolvable);
    default:
      return refuse(not_regular);
  }

  if (as_folder) return folder_index(root, p);
  // Relative links in the folder's index.html only work once the URL ends in '/'. The location
  // keeps each segment as the client encoded it, but drops empty and "." ones: "//host" would
  // be a protocol-relative URL to another server.
  static_target t;
  t.what = static_target::kind::redirect;
  t.status = 301;
  for (const auto i : kept) {
    t.location += '/';
    t.location += raw[i];
  }
  t.location += '/';
  return t;
}

}  // namespace socketlab::server
