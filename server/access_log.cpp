#include "server/access_log.hpp"

#include <array>
#include <charconv>
#include <cstdio>

#include "socketlab/http/request.hpp"

namespace socketlab::server {

namespace {

/// "[10/Oct/2000:13:55:36 +0000]" for @p when, formatted once per second per thread.
std::string_view stamp_for(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local sys_seconds cached_second{};
  thread_local std::array<char, 40> stamp{};
  thread_local std::size_t length = 0;
  const auto second = floor<seconds>(when);
  if (length == 0 || second != cached_second) {
    const auto day = floor<days>(second);
    const year_month_day date{day};
    const hh_mm_ss time{second - day};
    const int n =
        std::snprintf(stamp.data(), stamp.size(), "[%02u/%s/%04d:%02d:%02d:%02d +0000]",
                      static_cast<unsigned>(date.day()), months[static_cast<unsigned>(date.month()) - 1],
                      static_cast<int>(date.year()), static_cast<int>(time.hours().count()),
                      static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
    length = n > 0 ? static_cast<std::size_t>(n) : 0;
    cached_second = second;
  }
  return {stamp.data(), length};
}

/// Appends @p value in decimal.
void append_number(std::string& out, std::uint64_t value) {
  std::array<char, 20> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
  out.append(digits.data(), end);
}

}  // namespace

void append_access_log(std::string& out, std::string_view client, std::chrono::system_clock::time_point when,
                       const http::request& req, int status, std::uint64_t body_bytes) {
  out.append(client).append(" - - ").append(stamp_for(when)).append(" \"");
  if (req.method.empty()) {
    out.push_back('-');
  } else {
    out.append(req.method);
    if (!req.target.empty()) {  // the request line as received: method, target, version
      out.append(" ").append(req.target).append(" HTTP/");
      append_number(out, static_cast<std::uint64_t>(req.version / 10));
      out.push_back('.');
      append_number(out, static_cast<std::uint64_t>(req.version % 10));
    }
  }
  out.append("\" ");
  append_number(out, static_cast<std::uint64_t>(status));
  out.push_back(' ');
  if (body_bytes == 0) {
    out.push_back('-');
  } else {
    append_number(out, body_bytes);
  }
}

stream_log::stream_log(std::ostream& stream) : stream_(stream) {}

void stream_log::write(std::string_view text) {
  std::lock_guard lock(mutex_);
  stream_.write(text.data(), static_cast<std::streamsize>(text.size()));
  stream_.flush();
}

}  // namespace socketlab::server
