#include "server/sites/static_path.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "socketlab/http/detail/syntax.hpp"

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

/// Whether @p s is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
/// Windows keeps names in UTF-16, and a path cannot be made from anything else there.
bool is_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t more = 0;  // continuation bytes that follow
    std::uint32_t code = 0;
    std::uint32_t smallest = 0;  // below this, the same character has a shorter form
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0u) == 0xC0u) {
      more = 1, code = lead & 0x1Fu, smallest = 0x80;
    } else if ((lead & 0xF0u) == 0xE0u) {
      more = 2, code = lead & 0x0Fu, smallest = 0x800;
    } else if ((lead & 0xF8u) == 0xF0u) {
      more = 3, code = lead & 0x07u, smallest = 0x10000;
    } else {
      return false;
    }
    if (s.size() - i <= more) return false;
    for (std::size_t k = 1; k <= more; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0u) != 0x80u) return false;
      code = (code << 6) | (next & 0x3Fu);
    }
    if (code < smallest || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += more + 1;
  }
  return true;
}

/// Whether Windows opens a device for @p name: CON, PRN, AUX, NUL, COM1-9, LPT1-9 (and COM¹²³,
/// LPT¹²³), in any case, with any extension ("nul.tar.gz"), with spaces before it ("con .txt").
bool is_device_name(std::string_view name) {
  std::string_view base = name.substr(0, name.find('.'));
  while (base.ends_with(' '))
    base.remove_suffix(1);
  std::string upper(base);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
  if (upper == "CON" || upper == "PRN" || upper == "AUX" || upper == "NUL") return true;
  if (!upper.starts_with("COM") && !upper.starts_with("LPT")) return false;
  const std::string_view number = std::string_view(upper).substr(3);
  constexpr std::array<std::string_view, 12> numbers{"1", "2", "3",        "4",        "5",       "6", "7",
                                                     "8", "9", "\xC2\xB9", "\xC2\xB2", "\xC2\xB3"};  // ¹ ² ³
  return std::find(numbers.begin(), numbers.end(), number) != numbers.end();
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

/// A path from a UTF-8 name, on every platform (a plain std::string would mean the ANSI code
/// page to MSVC on Windows).
fs::path from_utf8(std::string_view name) {
  std::u8string text;
  text.reserve(name.size());
  for (const char c : name)
    text.push_back(static_cast<char8_t>(c));
  return fs::path(text);
}

/// Whether @p p is @p root or inside it, component by component: "/srv/site2" shares the
/// characters "/srv/site" but is not inside it.
bool is_under(const fs::path& p, const fs::path& root) {
  const auto [r, q] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  // A root written with a trailing separator ends in an empty component.
  return r == root.end() || (std::next(r) == root.end() && r->empty());
}

/// What the file system holds at @p p (never throws).
fs::file_type type_of(const fs::path& p) {
  std::error_code ec;
  return fs::status(p, ec).type();
}

/// Resolves the symlinks in @p p, which names things below @p root, in place, and says what it
/// names. The root is canonical and the names below it hold no `.` or `..` (map_target() refused
/// or dropped them), so only a symlink can take the path elsewhere: each name is looked at once
/// (lstat), and only when one is a symlink does the path go through weakly_canonical(), the one
/// call that follows links, and the result is checked to be still inside the root.
/// @param root the served folder, canonical
/// @param p a path below @p root; resolved on return
/// @param type set to what @p p names (not_found when nothing)
/// @return the refusal, if it cannot be resolved or ends outside @p root
std::optional<static_target> resolve_under(const fs::path& root, fs::path& p, fs::file_type& type) {
  std::error_code ec;
  fs::path walked = root;
  type = fs::file_type::directory;  // the root itself
  auto below = std::distance(root.begin(), root.end());
  if (root.has_relative_path() && root.filename().empty()) --below;  // "/srv/site/" ends in an empty name
  for (auto name = std::next(p.begin(), below); name != p.end(); ++name) {
    walked /= *name;
    type = fs::symlink_status(walked, ec).type();
    if (type == fs::file_type::not_found) return std::nullopt;  // nothing below it either
    if (type == fs::file_type::none) return refuse(unresolvable);
    if (type != fs::file_type::symlink) continue;
    fs::path resolved = fs::weakly_canonical(p, ec);
    if (ec) return refuse(unresolvable);
    // weakly_canonical() leaves what does not exist as written, a dangling symlink included;
    // such a path stays "under the root" here, and its type (not found) refuses it.
    if (!is_under(resolved, root)) return refuse(outside);
    p = std::move(resolved);
    type = type_of(p);
    return std::nullopt;
  }
  return std::nullopt;
}

/// Splits @p path (after its first '/') on the literal '/', then decodes each segment once:
/// what was encoded can then never become a separator, a '..' or a second escape.
/// @return the refusal, if a segment breaks a decoding rule
std::optional<static_target> split_and_decode(std::string_view path, std::vector<std::string_view>& raw,
                                              std::vector<std::string>& names) {
  for (std::string_view rest = path.substr(1);;) {
    const auto slash = rest.find('/');
    raw.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  names.resize(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (auto refusal = decode(raw[i], names[i])) return refusal;
  }
  return std::nullopt;
}

/// The target for a folder asked for as a folder ("/docs/"): its index.html, if it has one
/// inside the root.
static_target folder_index(const fs::path& root, const fs::path& folder) {
  fs::path index = folder / "index.html";
  fs::file_type type{};
  if (auto refusal = resolve_under(root, index, type)) return *refusal;
  if (type != fs::file_type::regular) return refuse(no_index);
  static_target t;
  t.what = static_target::kind::file;
  t.status = 200;
  t.file = std::move(index);
  return t;
}

}  // namespace

static_target map_target(const fs::path& root, std::string_view path) {
  if (!path.starts_with('/')) return refuse(not_absolute);

  std::vector<std::string_view> raw;
  std::vector<std::string> names;
  if (auto refusal = split_and_decode(path, raw, names)) return *refusal;

  // "/sub/" and "/sub/." both ask for the folder itself (RFC 3986 removes a last "." too).
  const bool as_folder = names.back().empty() || names.back() == ".";
  std::vector<std::size_t> kept;  // the segments that name something
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "..") return refuse(dot_dot);
    if (!names[i].empty() && names[i] != ".") kept.push_back(i);
  }
  for (const auto i : kept) {
    if (auto refusal = check_name(names[i])) return *refusal;
  }

  fs::path p = root;
  for (const auto i : kept)
    p /= from_utf8(names[i]);
  fs::file_type type{};
  if (auto refusal = resolve_under(root, p, type)) return *refusal;

  static_target t;
  switch (type) {
    case fs::file_type::regular:
      if (as_folder) return refuse(file_as_folder);
      t.what = static_target::kind::file;
      t.status = 200;
      t.file = std::move(p);
      return t;
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
