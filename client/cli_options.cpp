#include "client/cli_options.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "socketlab/http/detail/syntax.hpp"
#include "socketlab/net/quoted.hpp"

namespace socketlab::client {

void add_request_flags(CLI::App& command, request_flags& flags) {
  command.add_option("-X,--request", flags.method, "request method, e.g. POST (default GET)");
  command
      .add_option("-H,--header", flags.headers,
                  "extra header field, 'Name: value'; 'Name:' drops a default one")
      ->allow_extra_args(false);
}

request_options to_request(const request_flags& flags) {
  request_options r;
  r.method = flags.method;
  if (!r.method.empty() && !http::detail::is_token(r.method)) {
    throw std::invalid_argument("-X " + net::quoted(r.method) +
                                ": a method is a token such as GET, POST or DELETE");
  }
  for (const auto& h : flags.headers)
    check_header_option(h);
  r.headers = flags.headers;
  return r;
}

CLI::Option* add_duration_option(CLI::App& command, const std::string& name, std::string& text,
                                 const std::string& description) {
  return command.add_option(name, text, description)->type_name("DURATION")->capture_default_str();
}

std::chrono::duration<double> parse_duration(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  double scale = -1;
  if (unit.empty() || unit == "s") scale = 1;
  if (unit == "ms") scale = 0.001;
  if (unit == "m") scale = 60;
  if (ec != std::errc{} || scale < 0 || !(value > 0) || !std::isfinite(value)) {
    throw std::invalid_argument(net::quoted(text) +
                                " is not a duration; write seconds (10, 0.5, 10s), "
                                "milliseconds (500ms) or minutes (2m)");
  }
  constexpr double week = 7 * 24 * 3600.0;  // "1e300" is a number, but no clock waits that long
  if (value * scale > week) {
    throw std::invalid_argument(net::quoted(text) + " is too long; give at most a week (604800s)");
  }
  return std::chrono::duration<double>(value * scale);
}

}  // namespace socketlab::client
