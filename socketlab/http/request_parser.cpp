#include "socketlab/http/request_parser.hpp"

#include "socketlab/http/detail/syntax.hpp"
#include "socketlab/http/detail/uri.hpp"

namespace socketlab::http {

namespace {

/// Whether @p method may use a request-target of @p kind (RFC 9112 §3.2).
/// @return error{}, or why not
http::error check_target_form(std::string_view method, std::string_view target, detail::target_kind kind) {
  using detail::target_form;
  if (kind.form == target_form::invalid) return http::error::bad_target;
  // The authority-form is CONNECT's, and CONNECT has no other (§3.2.3); "*" is for a
  // server-wide OPTIONS (§3.2.4). The origin- and absolute-forms are for the rest.
  const bool connect = method == "CONNECT";
  if (connect != (kind.form == target_form::authority)) return http::error::target_form_not_allowed;
  if (kind.form == target_form::asterisk && method != "OPTIONS") return http::error::target_form_not_allowed;
  // A tunnel goes to a port: an empty or impossible one is refused (RFC 9110 §9.3.6).
  if (connect && !detail::is_connectable_port(detail::parse_host_and_port(target).port.value_or(""))) {
    return http::error::bad_target;
  }
  return {};
}

/// Whether @p value is a Host field value a server can trust (RFC 9110 §7.2, RFC 9112 §3.2).
/// @param value the value, OWS-trimmed
/// @param empty_allowed the target URI has no authority, so the client had to send an empty value
bool is_valid_host(std::string_view value, bool empty_allowed) noexcept {
  if (value.empty()) return empty_allowed;
  // RFC 3986 lets a reg-name hold a comma, but no host name or address does: in a Host value it
  // is two values joined into a list, which readers could each take a different half of.
  if (value.find(',') != std::string_view::npos) return false;
  const auto parsed = detail::parse_host_and_port(value);
  return parsed.valid && !parsed.host.empty();
}

}  // namespace

request_parser::request_parser(const limits& lim) : detail::message_parser(lim, detail::line_ends::crlf) {}

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
  empty_host_ok_ = false;
}

void request_parser::reset(const limits& lim) {
  reset();
  set_limits(lim);
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
  // A third space means a space inside the target or after the version: one space only between
  // the parts (RFC 9112 §3), since readers that split on runs of whitespace disagree.
  if (version.find(' ') != std::string_view::npos) return http::error::bad_request_line;
  if (!detail::is_token(method)) return http::error::bad_method;
  if (target.empty()) return http::error::bad_target;
  if (!detail::is_target_text(target)) return http::error::bad_target_char;
  const int v = detail::parse_version(version);
  if (v < 0) return http::error::bad_version;
  if (v / 10 != 1) return http::error::version_not_supported;
  const detail::target_kind kind = detail::classify_target(target);
  if (const http::error e = check_target_form(method, target, kind); e != http::error{}) return e;
  req_.method.assign(method);
  req_.target.assign(target);
  req_.version = v;
  // RFC 9112 §3.2: a target URI without an authority (`urn:...`) is sent with an empty Host.
  empty_host_ok_ = kind.form == detail::target_form::absolute && !kind.has_authority;
  return {};
}

request_parser::start_line_prefix request_parser::check_partial_start_line(
    std::string_view so_far) const noexcept {
  // The method runs to the first space. A byte before it that is not a tchar (a TLS ClientHello's
  // 0x16, a NUL) can begin no request: 400 and close now, not after the header timeout. A CR
  // stops the scan: it may be a line end on its way, and a bare CR is the whole line's to judge.
  for (std::size_t i = 0; i < so_far.size(); ++i) {
    if (so_far[i] == ' ' || so_far[i] == '\r') break;
    if (!detail::is_tchar(so_far[i])) return {i, http::error::bad_method};
  }
  return {so_far.size(), {}};
}

detail::body_plan request_parser::on_header_done(const fields& headers) {
  // RFC 9112 §3.2: exactly one Host in HTTP/1.1; never two, and never an invalid one, whatever
  // the version. With an absolute-form target the server uses the target's authority, but a
  // Host that could not be one is refused all the same.
  const std::size_t hosts = headers.count("Host");
  if (hosts > 1) return {.failure = http::error::duplicate_host};
  if (hosts == 0 && req_.version >= 11) return {.failure = http::error::missing_host};
  if (hosts == 1 && !is_valid_host(*headers.get("Host"), empty_host_ok_)) {
    return {.failure = http::error::bad_host};
  }
  expect_continue_ = req_.version >= 11 && headers.has_token("Expect", "100-continue");
  // Without Content-Length or Transfer-Encoding a request has no body (RFC 9112 §6.3).
  return detail::plan_body(headers);
}

}  // namespace socketlab::http
