#include "socketlab/http/request_parser.hpp"

#include "socketlab/http/detail/syntax.hpp"

namespace socketlab::http {

request_parser::request_parser(const limits& lim) : detail::message_parser(lim) {}

parse_result request_parser::feed(std::string_view data) {
  return parse_some(data, req_.headers, req_.body);
}

bool request_parser::header_done() const noexcept {
  return header_complete();
}

bool request_parser::expects_continue() const noexcept {
  return expect_continue_ && header_complete() && body_pending();
}

bool request_parser::started() const noexcept {
  return message_started();
}

std::error_code request_parser::error() const noexcept {
  return failure();
}

const request& request_parser::get() const noexcept {
  return req_;
}

request& request_parser::get() noexcept {
  return req_;
}

void request_parser::reset() {
  restart();
  // clear(), not a fresh request: the strings keep their memory for the next message.
  req_.method.clear();
  req_.target.clear();
  req_.version = 11;
  req_.headers.clear();
  req_.body.clear();
  expect_continue_ = false;
}

http::error request_parser::on_start_line(std::string_view line) {
  // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
  const std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return http::error::bad_request_line;
  const std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return http::error::bad_request_line;
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  // A third space means a space inside the target or after the version.
  if (version.find(' ') != std::string_view::npos) return http::error::bad_request_line;
  if (!detail::is_token(method)) return http::error::bad_method;
  if (target.empty() || !detail::is_target_text(target)) return http::error::bad_target;
  const int v = detail::parse_version(version);
  if (v < 0) return http::error::bad_version;
  if (v / 10 != 1) return http::error::version_not_supported;
  req_.method.assign(method);
  req_.target.assign(target);
  req_.version = v;
  return {};
}

request_parser::start_line_prefix request_parser::check_partial_start_line(
    std::string_view so_far) const noexcept {
  // The method runs to the first space. A byte before it that is not a tchar (a TLS ClientHello's
  // 0x16, a NUL) can begin no request: 400 and close now, not after the header timeout. A CR may
  // be a line end on its way; the complete line decides then.
  for (std::size_t i = 0; i < so_far.size(); ++i) {
    if (so_far[i] == ' ' || so_far[i] == '\r') break;
    if (!detail::is_tchar(so_far[i])) return {i, http::error::bad_method};
  }
  return {so_far.size(), {}};
}

detail::body_plan request_parser::on_header_done(const fields& headers) {
  // RFC 9112 §3.2: exactly one Host in HTTP/1.1; never two, whatever the version.
  const std::size_t hosts = headers.count("Host");
  if (hosts > 1) return {.failure = http::error::duplicate_host};
  if (hosts == 0 && req_.version >= 11) return {.failure = http::error::missing_host};
  expect_continue_ = req_.version >= 11 && headers.has_token("Expect", "100-continue");
  // Without Content-Length or Transfer-Encoding a request has no body (RFC 9112 §6.3).
  return detail::plan_body(headers);
}

}  // namespace socketlab::http
