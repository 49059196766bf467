#include "client/http/url.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "client/format.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/quoted.hpp"

namespace socketlab::client {
namespace {

/// The scheme separator; its absence means a bare "host:port/path", as curl allows.
constexpr std::string_view scheme_separator = "://";

/// Throws std::invalid_argument with "'<text>': <problem>", the shape socketlab::net uses.
[[noreturn]] void reject(std::string_view text, std::string_view problem) {
  throw std::invalid_argument(net::quoted(text) + ": " + std::string(problem));
}

/// ASCII lower case; URLs' schemes and hosts are ASCII and case-insensitive.
char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// True when @p a and @p b are equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b) noexcept {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return lower(x) == lower(y); });
}

/// Refuses spaces and control characters: a shell quoting slip, and a request line cannot carry
/// them (a CR or LF in the target would even let a URL inject header lines).
void reject_whitespace(std::string_view text) {
  const auto bad = std::find_if(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f;
  });
  if (bad == text.end()) return;
  const auto at = static_cast<std::size_t>(bad - text.begin());
  reject(text, "a space or control character at offset " + std::to_string(at) +
                   " cannot be sent; percent-encode it (a space is %20) or quote the URL in the shell");
}

/// @p target with every byte outside ASCII percent-encoded, as a browser sends "/café" (its UTF-8
/// bytes): a request-target is visible ASCII only (RFC 9112 §3.2), and servers refuse the rest.
std::string encode_non_ascii(std::string_view target) {
  constexpr std::string_view hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(target.size());
  for (const char c : target) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0x0f];
    }
  }
  return out;
}

/// The text after "http://", or a thrown error for any other scheme.
std::string_view strip_scheme(std::string_view text) {
  const auto separator = text.find(scheme_separator);
  // Bare host[:port][/path]; a "://" after a '/', '?' or '#' is in the path, the query or the
  // fragment ("localhost:8888/go?to=http://example.com/"), and no scheme's.
  if (separator == std::string_view::npos || separator > text.find_first_of("/?#")) return text;
  const auto scheme = text.substr(0, separator);
  const auto rest = text.substr(separator + scheme_separator.size());
  if (iequals(scheme, "http")) return rest;
  if (iequals(scheme, "https")) {
    reject(text,
           "https is not supported: socketlab-client speaks plain HTTP; use http://" + std::string(rest));
  }
  if (scheme.empty()) reject(text, "the scheme is missing before '://'; use http://" + std::string(rest));
  reject(text, "the scheme '" + std::string(scheme) +
                   "' is not supported: socketlab-client speaks plain HTTP; use http://" + std::string(rest));
}

/// Host and port from the authority ("host", "host:port", "[v6]:port").
net::host_port parse_authority(std::string_view text, std::string_view authority) {
  if (authority.empty()) {
    reject(text, "the host is missing; write one, e.g. http://127.0.0.1:8888/");
  }
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    reject(text, "user names and passwords in URLs ('" + std::string(authority.substr(0, at + 1)) +
                     "') are not supported; remove them and send an Authorization header with -H if needed");
  }
  // One parser for "host:port" in the whole kit: the server's --site and the client agree on
  // brackets, ports and messages.
  auto endpoint = net::parse_host_port(authority, 80);
  // The host goes into the Host field as it is, and a field is ASCII: a name in another script
  // has an ASCII form for that (IDNA), which this client does not compute.
  if (std::any_of(endpoint.host.begin(), endpoint.host.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    reject(text, "the host " + net::quoted(endpoint.host) +
                     " has bytes outside ASCII, which a Host field cannot carry; write an international name "
                     "in its ASCII form (punycode), e.g. xn--caf-dma.example for caf\u00e9.example");
  }
  if (endpoint.port == 0) {
    reject(text,
           "port 0 cannot be connected to (it only asks a listener for any free port); "
           "use a number from 1 to 65535");
  }
  return endpoint;
}

}  // namespace

url parse_url(std::string_view text) {
  if (text.empty()) reject(text, "the URL is empty; write one like http://127.0.0.1:8888/");
  reject_whitespace(text);
  auto rest = strip_scheme(text);
  // The fragment only addresses a part of the response for the reader; it is never sent.
  rest = rest.substr(0, rest.find('#'));

  const auto path_start = rest.find_first_of("/?");
  const auto authority = rest.substr(0, path_start);
  auto endpoint = parse_authority(text, authority);

  url result;
  result.host = std::move(endpoint.host);
  result.port = endpoint.port;
  if (path_start != std::string_view::npos) {
    const auto target = rest.substr(path_start);
    // "http://host?q=1": the path is empty, and an empty path means "/" (RFC 9112 §3.2.1).
    result.target = (target.front() == '?' ? "/" : "") + encode_non_ascii(target);
  }
  return result;
}

std::string host_header(const url& u) {
  std::string host = host_and_port(u.host, u.port);
  if (u.port == 80) host.resize(host.size() - 3);  // ":80" goes without saying
  return host;
}

bool same_origin(const url& a, const url& b) {
  return a.port == b.port && iequals(a.host, b.host);
}

}  // namespace socketlab::client
