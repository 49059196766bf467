#include "server/static_site.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <type_traits>
#include <utility>

#include "server/static_path.hpp"
#include "socketlab/http/date.hpp"
#include "socketlab/http/fields.hpp"
#include "socketlab/http/status.hpp"

namespace socketlab::server {
namespace {

namespace fs = std::filesystem;
using std::chrono::system_clock;

/// One extension and the media type it is served as.
struct media {
  std::string_view extension;  ///< lower case, without the dot
  std::string_view type;       ///< the Content-Type value
};

// The types a small site uses (nginx's mime.types and the IANA registry agree on these).
constexpr std::array<media, 34> media_types{{
    {"avif", "image/avif"},
    {"css", "text/css; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"gif", "image/gif"},
    {"gz", "application/gzip"},
    {"htm", "text/html; charset=utf-8"},
    {"html", "text/html; charset=utf-8"},
    {"ico", "image/x-icon"},
    {"jpeg", "image/jpeg"},
    {"jpg", "image/jpeg"},
    {"js", "text/javascript; charset=utf-8"},  // RFC 9239 made text/javascript the one name
    {"json", "application/json"},
    {"map", "application/json"},  // source maps
    {"md", "text/markdown; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"mp3", "audio/mpeg"},
    {"mp4", "video/mp4"},
    {"ogg", "audio/ogg"},
    {"otf", "font/otf"},
    {"pdf", "application/pdf"},
    {"png", "image/png"},
    {"svg", "image/svg+xml"},
    {"tar", "application/x-tar"},
    {"ttf", "font/ttf"},
    {"txt", "text/plain; charset=utf-8"},
    {"wasm", "application/wasm"},  // browsers compile WebAssembly while it streams only with this type
    {"wav", "audio/wav"},
    {"webm", "video/webm"},
    {"webmanifest", "application/manifest+json"},
    {"webp", "image/webp"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"xml", "application/xml"},
    {"zip", "application/zip"},
}};
// An entry the count above left empty would match a name ending in '.'.
static_assert(std::ranges::none_of(media_types, [](const media& m) { return m.extension.empty(); }));

constexpr std::string_view unknown_type = "application/octet-stream";
constexpr std::string_view html_type = "text/html; charset=utf-8";
constexpr std::uintmax_t mebibyte = 1024 * 1024;

/// @p p as UTF-8 text, for messages (never for a response: no answer names a file-system path).
std::string to_utf8(const fs::path& p) {
  const std::u8string text = p.u8string();
  return {text.begin(), text.end()};
}

/// @p folder, canonical.
/// @throws std::invalid_argument when it is not an existing folder
fs::path canonical_folder(const fs::path& folder) {
  const std::string name = "'" + to_utf8(folder) + "'";
  std::error_code ec;
  const auto type = fs::status(folder, ec).type();
  if (type == fs::file_type::not_found) {
    std::error_code ignored;
    const auto here = fs::current_path(ignored);
    throw std::invalid_argument("no folder " + name + " to serve" +
                                (folder.is_relative() && !here.empty()
                                     ? " (a relative path starts from " + to_utf8(here) + ")"
                                     : std::string()));
  }
  if (ec) throw std::invalid_argument("cannot serve " + name + ": " + ec.message());
  if (type != fs::file_type::directory) {
    throw std::invalid_argument("cannot serve " + name +
                                ": it is not a folder; give the folder that holds it");
  }
  auto canonical = fs::canonical(folder, ec);
  if (ec) throw std::invalid_argument("cannot serve " + name + ": " + ec.message());
  return canonical;
}

/// A file's modification time on the system clock, floored to seconds: HTTP dates carry no
/// more, and a finer time would never compare equal to the If-Modified-Since it came back as.
system_clock::time_point modified_time(fs::file_time_type t) {
#if defined(__cpp_lib_chrono) && __cpp_lib_chrono >= 201907L
  const auto on_system = std::chrono::clock_cast<system_clock>(t);
#else
  const auto on_system = fs::file_time_type::clock::to_sys(t);  // libstdc++ before clock_cast
#endif
  return std::chrono::floor<std::chrono::seconds>(on_system);
}

/// Appends @p value in lower-case hex.
template <typename Integer>
void append_hex(std::string& out, Integer value) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value, 16).ptr;
  out.append(digits.data(), end);
}

/// A strong entity tag the way nginx makes it, `"<mtime hex>-<size hex>"`: it changes when the
/// file is rewritten, without reading the file to hash it.
std::string entity_tag(std::uintmax_t size, system_clock::time_point modified) {
  std::string tag = "\"";
  append_hex(tag, std::chrono::duration_cast<std::chrono::seconds>(modified.time_since_epoch()).count());
  tag += '-';
  append_hex(tag, size);
  tag += '"';
  return tag;
}

/// Whether an If-None-Match list holds `*` or a tag equal to @p etag under the weak comparison
/// (RFC 9110 §8.8.3.2: the `W/` prefixes are ignored, the quoted parts compared).
/// @param list e.g. `"a", W/"b"`
/// @param etag our tag, quoted, e.g. `"5f3a-1c"`
bool list_matches(std::string_view list, std::string_view etag) {
  for (std::size_t i = 0; i < list.size();) {
    if (list[i] == ' ' || list[i] == '\t' || list[i] == ',') {
      ++i;
      continue;
    }
    if (list[i] == '*') return true;
    if (list.substr(i).starts_with("W/")) i += 2;
    // A tag is a quoted string, and may hold a ',': after a malformed one, no boundary can be trusted.
    if (i >= list.size() || list[i] != '"') return false;
    const auto close = list.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    if (list.substr(i, close + 1 - i) == etag) return true;
    i = close + 1;
  }
  return false;
}

/// Whether the client's copy is still current, so 304 answers instead of the bytes
/// (RFC 9110 §13.2.2, steps 3 and 4, for GET and HEAD).
bool not_modified(const http::request& req, std::string_view etag, system_clock::time_point modified) {
  // If-None-Match decides when it is there: an ETag tells a change within the same second,
  // which a date cannot.
  bool asked_by_tag = false;
  for (const auto& f : req.headers) {
    if (!http::iequals(f.name, "If-None-Match")) continue;
    asked_by_tag = true;
    if (list_matches(f.value, etag)) return true;
  }
  if (asked_by_tag) return false;
  // Two dates would be a list (§13.1.3): ignored, like a date that does not parse.
  if (req.headers.count("If-Modified-Since") != 1) return false;
  const auto since = http::parse_http_date(*req.headers.get("If-Modified-Since"));
  return since && modified <= *since;
}

/// Reads the first @p size bytes of @p in, or fewer if the file shrank since it was measured.
/// @return the bytes, or nothing on a read error
std::optional<std::string> read_bytes(std::ifstream& in, std::uintmax_t size) {
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) return std::nullopt;
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

/// @p text with the characters HTML gives a meaning escaped, for a page that quotes the client.
std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// 301 to @p location, with the query of @p target kept: "/docs?page=2" -> "/docs/?page=2".
http::response redirect(std::string location, std::string_view target) {
  if (const auto q = target.find('?'); q != std::string_view::npos) {
    const auto query = target.substr(q, target.find('#', q) - q);
    if (query.size() > 1) location += query;
  }
  auto res = text_response(301, "Moved Permanently: " + location + "\n");
  res.headers.add("Location", location);
  return res;
}

}  // namespace

static_site::static_site(const fs::path& folder) : root_(canonical_folder(folder)) {}

http::response static_site::handle(const http::request& req) const {
  const std::string_view path = target_path(req.target);
  const static_target st = map_target(root_, path);
  switch (st.what) {
    case static_target::kind::file:
      return serve(st.file, path, req);
    case static_target::kind::redirect:
      return redirect(st.location, req.target);
    case static_target::kind::refused:
      break;
  }
  // A 404 never says why: "outside the folder" would tell what exists outside.
  if (st.status == 404) return not_found(path);
  return text_response(st.status, std::string(http::reason_phrase(st.status)) + ": " + st.reason + "\n");
}

std::string static_site::describe() const {
  return "files from " + to_utf8(root_);
}

http::response static_site::serve(const fs::path& file, std::string_view path,
                                  const http::request& req) const {
  // Open first: a file we may not read is a 403 whatever the client's validators say.
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return not_found(path);  // removed since map_target() saw it
    return text_response(403, "Forbidden: the file cannot be read\n");
  }
  std::error_code size_error;
  std::error_code time_error;
  const auto size = fs::file_size(file, size_error);
  const auto mtime = fs::last_write_time(file, time_error);
  if (size_error || time_error) return not_found(path);
  if (size > max_static_file_size) {
    return text_response(500, "Internal Server Error: the file is larger than " +
                                  std::to_string(max_static_file_size / mebibyte) +
                                  " MiB, too large for socketlab to send from memory\n");
  }

  const auto modified = modified_time(mtime);
  const std::string etag = entity_tag(size, modified);
  http::response res;
  if (not_modified(req, etag, modified)) {
    // The validators again (RFC 9110 §15.4.5), so the client can refresh what it keeps; no body.
    res.status = 304;
  } else {
    auto bytes = read_bytes(in, size);
    if (!bytes) return text_response(500, "Internal Server Error: the file could not be read\n");
    res.headers.add("Content-Type", mime_type(file));
    res.body = std::move(*bytes);
  }
  res.headers.add("Last-Modified", http::format_http_date(modified));
  res.headers.add("ETag", etag);
  return res;
}

http::response static_site::not_found(std::string_view path) const {
  http::response res;
  res.status = 404;
  res.headers.add("Content-Type", html_type);
  // The site's own page, found by the same rules as any file (a symlink out is not followed).
  if (const auto page = map_target(root_, "/404.html"); page.what == static_target::kind::file) {
    std::ifstream in(page.file, std::ios::binary);
    std::error_code ec;
    const auto size = fs::file_size(page.file, ec);
    if (in && !ec && size <= max_static_file_size) {
      if (auto bytes = read_bytes(in, size)) {
        res.body = std::move(*bytes);
        return res;
      }
    }
  }
  res.body =
      "<!DOCTYPE html>\n"
      "<html lang=\"en\">\n"
      "<head><meta charset=\"utf-8\"><title>404 Not Found</title></head>\n"
      "<body>\n"
      "<h1>Not Found</h1>\n"
      "<p>Nothing is served at <code>" +
      html_escape(path) +
      "</code>.</p>\n"
      "</body>\n"
      "</html>\n";
  return res;
}

std::string_view mime_type(const fs::path& file) noexcept {
  // Read the native string in place: no allocation, so nothing to throw.
  using char_type = fs::path::value_type;
  constexpr auto npos = fs::path::string_type::npos;
  constexpr std::array<char_type, 2> separators{char_type('/'), fs::path::preferred_separator};
  const auto& name = file.native();
  const auto dot = name.find_last_of(char_type('.'));
  const auto slash = name.find_last_of(separators.data(), npos, separators.size());
  // No dot, or one that begins a name (".profile": a dotfile, not an extension) or a folder.
  const auto name_start = slash == npos ? 0 : slash + 1;
  if (dot == npos || dot <= name_start) return unknown_type;

  std::array<char, 16> lower{};
  const std::size_t length = name.size() - dot - 1;
  if (length > lower.size()) return unknown_type;
  for (std::size_t i = 0; i < length; ++i) {
    const auto c = static_cast<std::make_unsigned_t<char_type>>(name[dot + 1 + i]);
    if (c > 0x7F) return unknown_type;  // every known extension is ASCII
    lower[i] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  const std::string_view extension(lower.data(), length);
  const auto* found = std::find_if(media_types.begin(), media_types.end(),
                                   [&](const media& m) { return m.extension == extension; });
  return found == media_types.end() ? unknown_type : found->type;
}

}  // namespace socketlab::server
