// Fuzz target: the URLs socketlab-client accepts (client/http/url), which go onto the request line
// and into the Host field.
//
// Input: the URL a user typed. Invariants:
// - a refusal is std::invalid_argument with a message, and nothing else is thrown;
// - an accepted URL has a host with no space or control byte, a port from 1 to 65535, and a target
//   that begins with '/' and holds visible ASCII only, no '#' (it goes on the request line as is);
// - what the client sends parses back to the same URL: "http://" + Host field + target;
// - a URL without a scheme means what it means with "http://" in front.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "client/http/url.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using socketlab::fuzz::check;
namespace client = socketlab::client;

/// parse_url(@p text), or nothing when it refuses the URL the way it should.
std::optional<client::url> try_parse(std::string_view text) {
  try {
    return client::parse_url(text);
  } catch (const std::invalid_argument& e) {
    check(e.what()[0] != '\0', "a refusal says why");
    return std::nullopt;
  }
}

/// Whether @p a and @p b are the same URL, part by part.
bool same(const client::url& a, const client::url& b) {
  return a.host == b.host && a.port == b.port && a.target == b.target;
}

/// Whether every byte of @p text is visible ASCII (0x21-0x7E).
bool visible_ascii(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x21 || byte > 0x7e) return false;
  }
  return true;
}

/// Whether @p text begins with a scheme's "://" (before any '/', '?' or '#').
bool has_scheme(std::string_view text) {
  const auto separator = text.find("://");
  return separator != std::string_view::npos && separator < text.find_first_of("/?#");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const socketlab::fuzz::input in(data, size);
  const std::string_view text = in.rest();
  const auto u = try_parse(text);
  if (u) {
    check(!u->host.empty() && visible_ascii(u->host), "the host is visible ASCII, not empty");
    check(u->port != 0, "the port can be connected to");
    check(u->target.starts_with('/') && visible_ascii(u->target), "the target is visible ASCII from a '/'");
    check(u->target.find('#') == std::string::npos, "the fragment is never sent");
    check(client::same_origin(*u, *u), "a URL has its own origin");
    const auto sent = try_parse("http://" + client::host_header(*u) + u->target);
    check(sent && same(*sent, *u), "what is sent parses back to the same URL");
  }
  if (!has_scheme(text)) {
    const auto with_scheme = try_parse("http://" + std::string(text));
    check(u.has_value() == with_scheme.has_value() && (!u || same(*u, *with_scheme)),
          "a URL without a scheme means what it means with http://");
  }
  return 0;
}
