// Fuzz target: addresses and ports as people write them (socketlab/net/endpoint: `--host`,
// `--site PORT=...`, echo servers' addresses), and the server's reading of a Host field or an
// authority (socketlab/http/detail/uri), which must agree with it on what an IPv6 address is.
//
// Input: a byte choosing the default port, then the text. Invariants:
// - a refusal is std::invalid_argument with a message, and nothing else is thrown;
// - parse_port() gives the value of the digits it was given;
// - parse_host_port() gives a host without brackets, which holds a ':' only when it is an IPv6
//   address, and written back as "host:port" or "[v6]:port" it parses to the same;
// - an address written by to_string() parses back to the same address and port;
// - what the HTTP layer takes for an IPv6 address (RFC 3986) is one for the socket layer too.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "socketlab/http/detail/uri.hpp"
#include "socketlab/net/endpoint.hpp"

namespace {

using socketlab::fuzz::check;
namespace net = socketlab::net;

/// Calls @p parse, and says whether it accepted; a refusal must be std::invalid_argument with a message.
template <typename Parse>
bool accepted(Parse parse) {
  try {
    parse();
    return true;
  } catch (const std::invalid_argument& e) {
    check(e.what()[0] != '\0', "a refusal says why");
    return false;
  }
}

/// The invariants of parse_port() on @p text.
void check_port(std::string_view text) {
  std::uint16_t port = 0;
  if (!accepted([&] { port = net::parse_port(text); })) return;
  std::uint64_t value = 0;
  for (const char c : text) {
    check(c >= '0' && c <= '9', "a port is digits");
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    check(value <= 65535, "a port is at most 65535");
  }
  check(value == port, "a port is the value of its digits");
}

/// The invariants of parse_host_port() on @p text.
void check_host_port(std::string_view text, int default_port) {
  net::host_port hp;
  if (!accepted([&] { hp = net::parse_host_port(text, default_port); })) return;
  check(!hp.host.empty(), "a host is not empty");
  check(hp.host.find_first_of("[]") == std::string::npos || hp.host.find(':') == std::string::npos,
        "brackets are removed from an IPv6 address");
  const bool v6 = hp.host.find(':') != std::string::npos;
  if (v6) check(accepted([&] { (void)net::parse_address(hp.host); }), "a host with ':' is an IPv6 address");
  const std::string again =
      v6 ? "[" + hp.host + "]:" + std::to_string(hp.port) : hp.host + ":" + std::to_string(hp.port);
  net::host_port back;
  check(accepted([&] { back = net::parse_host_port(again); }), "host:port written back parses");
  check(back.host == hp.host && back.port == hp.port, "host:port written back is the same");
}

/// The invariants of parse_address() on @p text, and its agreement with the HTTP layer.
void check_address(std::string_view text, std::uint16_t port) {
  asio::ip::address address;
  const bool ok = accepted([&] { address = net::parse_address(text); });
  if (socketlab::http::detail::is_ipv6_address(text)) {
    check(ok && address.is_v6(), "an RFC 3986 IPv6 address is one for the socket layer");
  }
  if (!ok) return;
  net::host_port back;
  check(accepted([&] { back = net::parse_host_port(net::to_string(address, port)); }),
        "an address and port as to_string() writes them parse");
  check(back.port == port, "the port comes back");
  asio::ip::address again;
  check(accepted([&] { again = net::parse_address(back.host); }) && again == address,
        "the address comes back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  socketlab::fuzz::input in(data, size);
  const std::uint8_t choice = in.byte();
  constexpr std::array<int, 4> default_ports{-1, 0, 80, 8888};  // none (a port is required), any, ...
  const int default_port = default_ports[choice % 4];
  const std::string_view text = in.rest();
  check_port(text);
  check_host_port(text, default_port);
  check_address(text, static_cast<std::uint16_t>(choice * 257));
  return 0;
}
