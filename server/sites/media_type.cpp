#include "server/sites/media_type.hpp"

#include <algorithm>
#include <array>
#include <type_traits>

namespace socketlab::server {
namespace {

namespace fs = std::filesystem;

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

}  // namespace

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
