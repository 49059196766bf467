#include "socketlab/http/date.hpp"

#include <array>
#include <cstdint>

#include "socketlab/http/detail/syntax.hpp"

namespace socketlab::http {

namespace {

using std::chrono::seconds;

constexpr std::array<std::string_view, 7> day_names = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> month_names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::int64_t seconds_per_day = 86400;

/// A date in the proleptic Gregorian calendar.
struct civil_date {
  std::int64_t year;  ///< e.g. 1994
  unsigned month;     ///< 1..12
  unsigned day;       ///< 1..31
};

// The two conversions below are Howard Hinnant's days_from_civil and civil_from_days
// (https://howardhinnant.github.io/date_algorithms.html): exact for every date, no tables,
// and no gmtime/timegm, which differ across platforms and are not all thread safe.

/// Days since 1970-01-01 of a date.
constexpr std::int64_t days_from_civil(civil_date date) noexcept {
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);  // [0, 399]
  const unsigned doy =
      (153 * (date.month > 2 ? date.month - 3 : date.month + 9) + 2) / 5 + date.day - 1;  // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                             // [0, 146096]
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// The date @p days after 1970-01-01.
constexpr civil_date civil_from_days(std::int64_t days) noexcept {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);                    // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;                           // [1, 31]
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;                            // [1, 12]
  return {static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

/// 0 for Sunday .. 6 for Saturday; 1970-01-01 was a Thursday.
constexpr std::size_t weekday(std::int64_t days) noexcept {
  return static_cast<std::size_t>(((days % 7) + 7 + 4) % 7);
}

/// Whether @p year is a leap year.
constexpr bool is_leap(std::int64_t year) noexcept {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

/// Days in @p month (1..12) of @p year.
constexpr unsigned days_in_month(std::int64_t year, unsigned month) noexcept {
  constexpr std::array<unsigned, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

/// IMF-fixdate has a 4-digit year: times outside years 0000..9999 are clamped to them.
constexpr std::int64_t min_seconds = days_from_civil({0, 1, 1}) * seconds_per_day;
constexpr std::int64_t max_seconds = days_from_civil({9999, 12, 31}) * seconds_per_day + seconds_per_day - 1;

/// Appends @p value as exactly @p width decimal digits.
void append_digits(std::string& out, std::int64_t value, int width) {
  std::int64_t scale = 1;
  for (int i = 1; i < width; ++i)
    scale *= 10;
  for (; scale > 0; scale /= 10)
    out.push_back(static_cast<char>('0' + value / scale % 10));
}

/// Reads exactly text.size() decimal digits; -1 when one is not a digit.
constexpr std::int64_t read_digits(std::string_view text) noexcept {
  std::int64_t value = 0;
  for (const char c : text) {
    if (!detail::is_digit(c)) return -1;
    value = value * 10 + detail::digit_value(c);
  }
  return value;
}

/// The index of @p name in @p names, or names.size() when absent (names are case-sensitive).
template <std::size_t N>
constexpr std::size_t index_of(const std::array<std::string_view, N>& names, std::string_view name) noexcept {
  std::size_t i = 0;
  while (i < N && names[i] != name)
    ++i;
  return i;
}

}  // namespace

std::string format_http_date(std::chrono::system_clock::time_point when) {
  std::int64_t total = std::chrono::floor<seconds>(when.time_since_epoch()).count();
  total = total < min_seconds ? min_seconds : total > max_seconds ? max_seconds : total;
  // Floor division, so times before 1970 fall on the right day.
  const std::int64_t days = (total >= 0 ? total : total - (seconds_per_day - 1)) / seconds_per_day;
  const std::int64_t in_day = total - days * seconds_per_day;
  const civil_date date = civil_from_days(days);

  std::string out;
  out.reserve(29);
  out.append(day_names[weekday(days)]);
  out.append(", ");
  append_digits(out, date.day, 2);
  out.push_back(' ');
  out.append(month_names[date.month - 1]);
  out.push_back(' ');
  append_digits(out, date.year, 4);
  out.push_back(' ');
  append_digits(out, in_day / 3600, 2);
  out.push_back(':');
  append_digits(out, in_day / 60 % 60, 2);
  out.push_back(':');
  append_digits(out, in_day % 60, 2);
  out.append(" GMT");
  return out;
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": every separator at a fixed place.
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  const std::size_t day_name = index_of(day_names, text.substr(0, 3));
  const std::size_t month = index_of(month_names, text.substr(8, 3)) + 1;
  const std::int64_t day = read_digits(text.substr(5, 2));
  const std::int64_t year = read_digits(text.substr(12, 4));
  const std::int64_t hour = read_digits(text.substr(17, 2));
  const std::int64_t minute = read_digits(text.substr(20, 2));
  const std::int64_t second = read_digits(text.substr(23, 2));
  if (day_name == day_names.size() || month > month_names.size() || year < 0 || day < 1 ||
      day > days_in_month(year, static_cast<unsigned>(month)) || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 59) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil({year, static_cast<unsigned>(month), static_cast<unsigned>(day)});
  if (weekday(days) != day_name) return std::nullopt;  // "Mon, 06 Nov 1994" names no real day
  const std::int64_t total = days * seconds_per_day + hour * 3600 + minute * 60 + second;

  // system_clock may count nanoseconds: years far from 1970 do not fit in it.
  using duration = std::chrono::system_clock::duration;
  constexpr std::int64_t lowest = std::chrono::duration_cast<seconds>(duration::min()).count();
  constexpr std::int64_t highest = std::chrono::duration_cast<seconds>(duration::max()).count();
  if (total < lowest || total > highest) return std::nullopt;
  return std::chrono::system_clock::time_point(std::chrono::duration_cast<duration>(seconds(total)));
}

const std::string& http_date_cache::format(std::chrono::system_clock::time_point when) {
  const auto second = std::chrono::floor<seconds>(when);
  if (text_.empty() || second != second_) {
    text_ = format_http_date(second);
    second_ = second;
  }
  return text_;
}

}  // namespace socketlab::http
