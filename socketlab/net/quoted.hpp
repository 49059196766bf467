/// @file
/// Text from outside (a user's typo, a peer's bytes), made safe to print on a terminal.
#pragma once

#include <string>
#include <string_view>

namespace socketlab::net {

/// @p text in single quotes, with control characters escaped (`\r`, `\n`, `\t`, `\x01`, `\x7f`), so a
/// message that repeats a user's typo cannot break into two lines or move the cursor.
/// @param text what the user typed
/// @return e.g. ``'X-A: 1\r\nX-B: 2'``
[[nodiscard]] std::string quoted(std::string_view text);

/// @p text as lines that are safe on a terminal, for bytes a peer sent (`socketlab-server -v`):
/// its line ends (LF, CRLF) and tabs are kept, every other control character (ESC, NUL, a lone
/// CR, DEL) and every byte from 0x80 (8-bit controls such as CSI; HTTP's own text is ASCII) is
/// written as `\xNN` (a lone CR as `\r`). So whoever can reach the server cannot move the
/// operator's cursor, recolour the screen or set the window title.
/// @param text the bytes
/// @return e.g. "GET / HTTP/1.1\r\nX: \\x1b[2J\r\n" for a field holding ESC [2J
[[nodiscard]] std::string printable_lines(std::string_view text);

}  // namespace socketlab::net
