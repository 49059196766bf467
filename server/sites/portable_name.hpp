/// @file
/// What makes a file name mean the same on every platform a site may be served from: the checks
/// server/sites/static_path.cpp makes on each name of a request path before it looks for a file.
#pragma once

#include <string_view>

namespace socketlab::server {

/// Whether @p s is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
/// Windows keeps names in UTF-16, and a path cannot be made from anything else there.
/// @param s the bytes of a name
/// @return whether they are UTF-8
[[nodiscard]] bool is_utf8(std::string_view s) noexcept;

/// Whether Windows opens a device for @p name: CON, PRN, AUX, NUL, COM1-9, LPT1-9 (and COM¹²³,
/// LPT¹²³), in any case, with any extension ("nul.tar.gz"), with spaces before it ("con .txt").
/// @param name a file name, UTF-8
/// @return whether Windows reads it as a device
[[nodiscard]] bool is_device_name(std::string_view name);

}  // namespace socketlab::server
