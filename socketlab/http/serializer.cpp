#include "socketlab/http/serializer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

#include "socketlab/http/status.hpp"

namespace socketlab::http {

namespace {

constexpr std::string_view crlf = "\r\n";

/// Bytes the fields, the empty line and the body take, so the output grows once.
std::size_t tail_size(const fields& headers, const std::string& body) noexcept {
  std::size_t n = crlf.size() + body.size();
  for (const field& f : headers)
    n += f.name.size() + 2 + f.value.size() + crlf.size();
  return n;
}

/// Makes room for @p n more bytes, growing geometrically: a caller appending many
/// messages to one buffer (pipelined responses) must not pay a copy per message.
void reserve_more(std::string& out, std::size_t n) {
  const std::size_t need = out.size() + n;
  if (need > out.capacity()) out.reserve(std::max(need, 2 * out.capacity()));
}

/// Appends "HTTP/x.y".
void append_version(int version, std::string& out) {
  out.append("HTTP/");
  out.push_back(static_cast<char>('0' + version / 10 % 10));
  out.push_back('.');
  out.push_back(static_cast<char>('0' + version % 10));
}

/// Appends the fields, the empty line that ends them, and the body.
void append_tail(const fields& headers, const std::string& body, std::string& out) {
  for (const field& f : headers) {
    out.append(f.name);
    out.append(": ");
    out.append(f.value);
    out.append(crlf);
  }
  out.append(crlf);
  out.append(body);
}

}  // namespace

void serialize(const response& res, std::string& out) {
  const std::string_view reason =
      res.reason.empty() ? reason_phrase(res.status) : std::string_view(res.reason);
  std::array<char, 16> status{};
  const char* status_end = std::to_chars(status.data(), status.data() + status.size(), res.status).ptr;
  const std::string_view status_text(status.data(), static_cast<std::size_t>(status_end - status.data()));
  reserve_more(
      out, 8 + 1 + status_text.size() + 1 + reason.size() + crlf.size() + tail_size(res.headers, res.body));
  append_version(res.version, out);
  out.push_back(' ');
  out.append(status_text);
  out.push_back(' ');
  out.append(reason);
  out.append(crlf);
  append_tail(res.headers, res.body, out);
}

void serialize(const request& req, std::string& out) {
  reserve_more(out, req.method.size() + 1 + req.target.size() + 1 + 8 + crlf.size() +
                        tail_size(req.headers, req.body));
  out.append(req.method);
  out.push_back(' ');
  out.append(req.target);
  out.push_back(' ');
  append_version(req.version, out);
  out.append(crlf);
  append_tail(req.headers, req.body, out);
}

std::string to_string(const response& res) {
  std::string out;
  serialize(res, out);
  return out;
}

std::string to_string(const request& req) {
  std::string out;
  serialize(req, out);
  return out;
}

}  // namespace socketlab::http
