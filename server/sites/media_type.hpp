/// @file
/// The media type (Content-Type) a file is served as, by its extension.
#pragma once

#include <filesystem>
#include <string_view>

namespace socketlab::server {

/// The Content-Type for a file, by its extension, ignoring case: "text/html; charset=utf-8" for
/// "index.HTML", "image/png" for "a.png", "application/octet-stream" when unknown (the browser
/// then offers a download rather than guessing). `text/*` types say `charset=utf-8`: the kit
/// assumes its sites are written in UTF-8. JSON, XML and SVG carry none: JSON is always UTF-8
/// (RFC 8259 defines no charset), and XML declares its own encoding.
/// @param file the file's path or name
/// @return the media type, a string with static storage
[[nodiscard]] std::string_view mime_type(const std::filesystem::path& file) noexcept;

}  // namespace socketlab::server
