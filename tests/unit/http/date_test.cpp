// HTTP dates: known values, round trips, and strings that are not IMF-fixdates.
#include "socketlab/http/date.hpp"

#include <chrono>
#include <string>

#include "support/catch.hpp"

using socketlab::http::format_http_date;
using socketlab::http::http_date_cache;
using socketlab::http::parse_http_date;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {

/// The time @p s seconds after the epoch.
system_clock::time_point at(long long s) {
  return system_clock::time_point(seconds(s));
}

}  // namespace

TEST_CASE("date: known values", "[unit][http][date]") {
  CHECK(format_http_date(at(784111777)) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(format_http_date(at(0)) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(format_http_date(at(1709164800)) == "Thu, 29 Feb 2024 00:00:00 GMT");
  CHECK(format_http_date(at(1709251199)) == "Thu, 29 Feb 2024 23:59:59 GMT");
  CHECK(format_http_date(at(951782400)) == "Tue, 29 Feb 2000 00:00:00 GMT");
  CHECK(format_http_date(at(2147483647)) == "Tue, 19 Jan 2038 03:14:07 GMT");
  CHECK(format_http_date(at(2147483648)) == "Tue, 19 Jan 2038 03:14:08 GMT");
  CHECK(format_http_date(at(4102444800)) == "Fri, 01 Jan 2100 00:00:00 GMT");
  CHECK(format_http_date(at(-1)) == "Wed, 31 Dec 1969 23:59:59 GMT");
  // Sub-second parts are truncated, also before the epoch (towards the past).
  CHECK(format_http_date(at(784111777) + std::chrono::milliseconds(999)) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(format_http_date(at(0) - std::chrono::milliseconds(1)) == "Wed, 31 Dec 1969 23:59:59 GMT");

  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == at(784111777));
  CHECK(parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT") == at(1709164800));
  CHECK(parse_http_date("Tue, 19 Jan 2038 03:14:08 GMT") == at(2147483648));
  CHECK(parse_http_date("Wed, 31 Dec 1969 23:59:59 GMT") == at(-1));
}

TEST_CASE("date: parse(format(t)) == t", "[unit][http][date]") {
  // From 1900 to about 2200, in steps that visit every month, weekday and time of day.
  for (long long s = -2208988800LL; s < 7258118400LL; s += 86400LL * 17 + 3607) {
    const auto t = at(s);
    const std::string text = format_http_date(t);
    INFO(s << " -> " << text);
    REQUIRE(text.size() == 29);
    REQUIRE(parse_http_date(text) == t);
  }
}

TEST_CASE("date: what is not an IMF-fixdate is refused", "[unit][http][date]") {
  for (const char* text : {
           "",
           "Sun, 06 Nov 1994 08:49:37 GMT ",  // trailing space
           " Sun, 06 Nov 1994 08:49:37 GMT",  // leading space
           "Sun, 06 Nov 1994 08:49:37 UTC",   // zone
           "Sun, 06 nov 1994 08:49:37 GMT",   // month case
           "sun, 06 Nov 1994 08:49:37 GMT",   // day case
           "Sun, 6 Nov 1994 08:49:37 GMT",    // one-digit day
           "Sun, 06 Nov 94 08:49:37 GMT",     // two-digit year
           "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850
           "Sun Nov  6 08:49:37 1994",        // asctime
           "Mon, 06 Nov 1994 08:49:37 GMT",   // wrong weekday
           "Sun, 06 Nux 1994 08:49:37 GMT",   // month name
           "Xyz, 06 Nov 1994 08:49:37 GMT",   // day name
           "Sun, 00 Nov 1994 08:49:37 GMT",   // day 0
           "Thu, 31 Nov 1994 08:49:37 GMT",   // 31 November
           "Thu, 29 Feb 2023 00:00:00 GMT",   // not a leap year
           "Thu, 29 Feb 1900 00:00:00 GMT",   // not a leap year either
           "Sun, 06 Nov 1994 24:00:00 GMT",   // hour
           "Sun, 06 Nov 1994 08:60:37 GMT",   // minute
           "Sun, 06 Nov 1994 08:49:60 GMT",   // second
           "Sun, 06 Nov 1994 08:49:3x GMT",   // digit
           "Sun, 06 Nov 1994 08-49-37 GMT",   // separators
           "Sun, 06 Nov +994 08:49:37 GMT",   // sign
       }) {
    INFO(text);
    CHECK_FALSE(parse_http_date(text));
  }
}

TEST_CASE("http_date_cache: the text of the time asked for, the same within a second, new after it",
          "[unit][http][date]") {
  using namespace std::chrono_literals;
  const auto t = at(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  http_date_cache cache;
  CHECK(cache.format(t) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(cache.format(t + 999ms) == "Sun, 06 Nov 1994 08:49:37 GMT");  // truncated to the second
  CHECK(cache.format(t + 1s) == "Sun, 06 Nov 1994 08:49:38 GMT");
  CHECK(cache.format(t - 1h) == "Sun, 06 Nov 1994 07:49:37 GMT");  // earlier times too
  CHECK(cache.format(at(0)) == "Thu, 01 Jan 1970 00:00:00 GMT");
}
