#include "client/http/request_builder.hpp"

#include <stdexcept>

#include "socketlab/http/detail/syntax.hpp"
#include "socketlab/net/quoted.hpp"

namespace socketlab::client {
namespace {

/// Splits "Name: value" at its colon; the value loses its surrounding blanks.
std::pair<std::string_view, std::string_view> split_header(std::string_view text) {
  const auto colon = text.find(':');
  std::string_view value = text.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
    value.remove_suffix(1);
  return {text.substr(0, colon), value};
}

}  // namespace

void check_header_option(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    throw std::invalid_argument("-H " + net::quoted(text) +
                                ": write 'Name: value', e.g. -H 'Accept: text/plain'");
  }
  const auto [name, value] = split_header(text);
  if (!http::detail::is_token(name)) {
    throw std::invalid_argument("-H " + net::quoted(text) +
                                ": a field name is letters, digits and !#$%&'*+-.^_`|~, with no space "
                                "before the colon, e.g. -H 'X-Lesson: 4'");
  }
  if (!http::detail::is_field_text(value)) {
    throw std::invalid_argument("-H " + net::quoted(text) +
                                ": a field value cannot contain control characters");
  }
}

http::request make_request(const url& target, const request_options& options) {
  http::request req;
  req.method = !options.method.empty() ? options.method : options.has_body ? "POST" : "GET";
  req.target = target.target;
  req.headers.add("Host", host_header(target));
  req.headers.add("User-Agent", "socketlab-client/" SOCKETLAB_VERSION);
  req.headers.add("Accept", "*/*");
  if (!options.keep_alive) req.headers.add("Connection", "close");
  for (const auto& text : options.headers) {
    const auto [name, value] = split_header(text);
    if (value.empty()) {
      req.headers.erase(name);  // curl's "-H 'Accept:'": do not send this field
    } else {
      req.headers.set(name, value);
    }
  }
  if (options.has_body) {
    if (!req.headers.contains("Content-Type")) {
      req.headers.add("Content-Type", "application/x-www-form-urlencoded");  // what curl -d sends
    }
    req.headers.set("Content-Length", std::to_string(options.body.size()));
    req.body = options.body;
  }
  return req;
}

}  // namespace socketlab::client
