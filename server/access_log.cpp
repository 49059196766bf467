#include "server/access_log.hpp"

#include <array>
#include <cstdio>

namespace socketlab::server {

std::string format_access_log(std::string_view client, std::chrono::system_clock::time_point when,
                              std::string_view request_line, int status, std::uint64_t body_bytes) {
  using namespace std::chrono;
  constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(when);
  const year_month_day date{day};
  const hh_mm_ss time{floor<seconds>(when - day)};

  // [10/Oct/2000:13:55:36 +0000]
  std::array<char, 40> stamp{};
  std::snprintf(stamp.data(), stamp.size(), "[%02u/%s/%04d:%02d:%02d:%02d +0000]",
                static_cast<unsigned>(date.day()),
                std::string(months[static_cast<unsigned>(date.month()) - 1]).c_str(),
                static_cast<int>(date.year()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));

  std::string line;
  line.reserve(client.size() + request_line.size() + 64);
  line.append(client).append(" - - ").append(stamp.data()).append(" \"").append(request_line).append("\" ");
  line.append(std::to_string(status)).append(" ");
  line.append(body_bytes == 0 ? std::string("-") : std::to_string(body_bytes));
  return line;
}

stream_log::stream_log(std::ostream& stream) : stream_(stream) {}

void stream_log::write(std::string_view text) {
  std::lock_guard lock(mutex_);
  stream_.write(text.data(), static_cast<std::streamsize>(text.size()));
  stream_.flush();
}

}  // namespace socketlab::server
