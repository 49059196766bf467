/// @file
/// HTTP dates (IMF-fixdate, RFC 9110 §5.6.7), computed without platform calls.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace socketlab::http {

/// Formats a time as an IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
/// @param when the time, truncated to seconds
/// @return the 29-character date
[[nodiscard]] std::string format_http_date(std::chrono::system_clock::time_point when);

/// Parses an IMF-fixdate (the obsolete RFC 850 and asctime forms are not accepted).
/// @param text e.g. "Sun, 06 Nov 1994 08:49:37 GMT"
/// @return the time, or nothing when @p text is not a valid IMF-fixdate
[[nodiscard]] std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace socketlab::http
