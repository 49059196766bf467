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

/// The text of the last time formatted, kept for the next: a server writes the same second
/// again and again (the Date of every response within a second, a file's Last-Modified for
/// every request of it). Not synchronized: one per thread.
class http_date_cache {
 public:
  /// @param when the time, truncated to seconds
  /// @return format_http_date(@p when), formatted anew only when its second is not the last one's
  const std::string& format(std::chrono::system_clock::time_point when);

 private:
  std::chrono::system_clock::time_point second_{};
  std::string text_;
};

}  // namespace socketlab::http
