/// @file
/// What a user typed, quoted for an error message that must stay on one line.
#pragma once

#include <string>
#include <string_view>

namespace socketlab::net {

/// @p text in single quotes, with control characters escaped (`\r`, `\n`, `\t`, `\x01`, `\x7f`), so a
/// message that repeats a user's typo cannot break into two lines or move the cursor.
/// @param text what the user typed
/// @return e.g. ``'X-A: 1\r\nX-B: 2'``
[[nodiscard]] std::string quoted(std::string_view text);

}  // namespace socketlab::net
