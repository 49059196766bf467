#include "socketlab/http/response_parser.hpp"

#include "socketlab/http/detail/syntax.hpp"

namespace socketlab::http {

response_parser::response_parser(const limits& lim)
    : detail::message_parser(lim, detail::line_ends::crlf_or_lf) {}

limits response_parser::default_limits() noexcept {
  limits lim;
  lim.max_body = std::size_t{1024} * 1024 * 1024;
  return lim;
}

void response_parser::set_head_request(bool head) noexcept {
  head_ = head;
}

parse_result response_parser::feed(std::string_view data) {
  return parse_some(data, res_.headers, res_.body);
}

parse_result response_parser::feed_eof() {
  return parse_eof();
}

bool response_parser::header_done() const noexcept {
  return header_complete();
}

bool response_parser::close_delimited() const noexcept {
  return header_complete() && framing() == detail::body_kind::until_eof;
}

std::error_code response_parser::error() const noexcept {
  return failure();
}

const response& response_parser::get() const noexcept {
  return res_;
}

response& response_parser::get() noexcept {
  return res_;
}

void response_parser::reset() {
  restart();
  res_.status = 200;
  res_.reason.clear();
  res_.version = 11;
  res_.headers.clear();
  res_.body.clear();
}

http::error response_parser::on_start_line(std::string_view line) {
  // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). Like curl,
  // "HTTP/1.1 200" without the second space is accepted too.
  if (line.size() < 12 || line[8] != ' ' || (line.size() > 12 && line[12] != ' ')) {
    return http::error::bad_status_line;
  }
  const int v = detail::parse_version(line.substr(0, 8));
  const std::string_view code = line.substr(9, 3);
  const std::string_view reason = line.size() > 12 ? line.substr(13) : std::string_view{};
  if (v < 0 || code[0] < '1' || code[0] > '9' || !detail::is_digit(code[1]) || !detail::is_digit(code[2]) ||
      !detail::is_field_text(reason)) {
    return http::error::bad_status_line;
  }
  if (v / 10 != 1) return http::error::version_not_supported;
  res_.version = v;
  res_.status =
      100 * detail::digit_value(code[0]) + 10 * detail::digit_value(code[1]) + detail::digit_value(code[2]);
  res_.reason.assign(reason);
  return {};
}

response_parser::start_line_prefix response_parser::check_partial_start_line(
    std::string_view so_far) const noexcept {
  // A server that is not speaking HTTP (an SSH banner, a TLS alert) is told apart at its first
  // bytes, not when the line ends or the connection closes. A CR may be a line end on its way.
  constexpr std::string_view prefix = "HTTP/";
  for (std::size_t i = 0; i < so_far.size() && i < prefix.size(); ++i) {
    if (so_far[i] == '\r') break;
    if (so_far[i] != prefix[i]) return {i, http::error::bad_status_line};
  }
  return {so_far.size(), {}};
}

detail::body_plan response_parser::on_header_done(const fields& headers) {
  // RFC 9112 §6.3, in its order: these never have a body, whatever the fields say.
  if (head_ || res_.status < 200 || res_.status == 204 || res_.status == 304) return {};
  detail::body_plan plan = detail::plan_body(headers);
  // A coding we cannot remove before chunked, or no framing at all: the body runs until
  // the server closes (§6.3 items 4 and 8).
  if (plan.failure == http::error::chunked_not_last ||
      (plan.failure == http::error{} && plan.kind == detail::body_kind::none)) {
    return {.kind = detail::body_kind::until_eof};
  }
  return plan;
}

}  // namespace socketlab::http
