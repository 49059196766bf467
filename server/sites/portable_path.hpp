/// @file
/// Names and paths that mean the same on every platform a site may be served from: the checks
/// server/sites/static_path.cpp makes on each name of a request path before it looks for a file,
/// and the native paths it builds from those names.
#pragma once

#include <filesystem>
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

/// Whether @p c separates names in a native path ('/'; on Windows '\\' too).
/// @param c a character of std::filesystem::path::native()
/// @return whether it is a separator
[[nodiscard]] bool is_separator(std::filesystem::path::value_type c) noexcept;

/// Appends the name @p name to the native path @p text, with a separator before it. A path built
/// this way, in one string, becomes a std::filesystem::path once: a path that grows by `/=` is
/// split into its components again at each step, which costs a server more than the file's open.
/// @param text a native path (std::filesystem::path::native()), e.g. the site's folder
/// @param name one name, UTF-8 (converted to UTF-16 on Windows: never the ANSI code page)
void append_name(std::filesystem::path::string_type& text, std::string_view name);

/// Whether @p p is @p root or inside it, component by component: "/srv/site2" shares the
/// characters "/srv/site" but is not inside it.
/// @param p a path, lexically normal
/// @param root a folder, lexically normal (a trailing separator allowed)
/// @return whether @p p is under @p root
[[nodiscard]] bool is_under(const std::filesystem::path& p, const std::filesystem::path& root);

}  // namespace socketlab::server
