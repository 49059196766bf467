#include "server/sites/echo_site.hpp"

#include <string>
#include <vector>

#include "socketlab/http/detail/syntax.hpp"

namespace socketlab::server {
namespace {

namespace detail = http::detail;

constexpr std::string_view field_prefix = "Echo-Field-";

/// @p text with each byte that @p allowed refuses replaced by '_', which any field name or value
/// may hold. The parser lets no such byte through; a request built in code could.
template <typename Allowed>
std::string only(std::string_view text, Allowed allowed) {
  std::string out(text);
  for (char& c : out) {
    if (!allowed(c)) c = '_';
  }
  return out;
}

/// @p value as a field value may hold it: no CR, LF or other control byte but HTAB.
std::string safe_value(std::string_view value) {
  return only(value, [](char c) { return detail::has_class(c, detail::field_char_bit); });
}

/// Whether the request has a body: only when it says so with Content-Length or Transfer-Encoding
/// (RFC 9112 §6.3), which the parser has checked. `Content-Length: 0` is an empty body.
bool has_body(const http::request& req) {
  return req.headers.contains("Content-Length") || req.headers.contains("Transfer-Encoding");
}

}  // namespace

reply echo_site::handle(const http::request& req) const {
  // The request's lines, made safe once: they go into the fields and, with no body, the body.
  std::vector<http::field> lines;
  lines.reserve(req.headers.size());
  for (const auto& f : req.headers)
    lines.push_back({only(f.name, detail::is_tchar), safe_value(f.value)});
  const std::string line = safe_value(req.request_line());

  reply res;
  res.status = 200;
  res.headers.add("Echo-Request-Line", line);
  for (const auto& f : lines)
    res.headers.add(std::string(field_prefix) + f.name, f.value);
  if (has_body(req)) {
    const auto type = req.headers.get("Content-Type");
    res.headers.add("Content-Type", type ? safe_value(*type) : "application/octet-stream");
    res.body = req.body;
  } else {
    res.headers.add("Content-Type", "text/plain; charset=utf-8");
    res.body = line + "\n";
    for (const auto& f : lines)
      res.body.append(f.name).append(": ").append(f.value).append("\n");
  }
  res.headers.add("X-Content-Type-Options", "nosniff");
  res.headers.add("Content-Security-Policy", "sandbox");  // a reflected page runs no script
  return res;
}

bool echo_site::allows(std::string_view method) const {
  return method != "CONNECT";
}

std::string_view echo_site::allow_field() const {
  return "GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH";
}

std::string echo_site::describe() const {
  return "echo (each request sent back as parsed)";
}

}  // namespace socketlab::server
