// Resolving names with the system resolver (getaddrinfo): needs a working hosts file.
#include <algorithm>

#include <asio/io_context.hpp>

#include "socketlab/net/resolve.hpp"
#include "support/catch.hpp"

namespace net = socketlab::net;

TEST_CASE("resolve finds localhost on loopback", "[integration][net]") {
  asio::io_context io;
  std::error_code ec;
  const auto endpoints = net::resolve(io.get_executor(), "localhost", 80, ec);
  CHECK_FALSE(ec);
  REQUIRE_FALSE(endpoints.empty());
  CHECK(std::all_of(endpoints.begin(), endpoints.end(),
                    [](const auto& ep) { return ep.address().is_loopback() && ep.port() == 80; }));
}

TEST_CASE("resolve reports a name that does not exist", "[integration][net]") {
  asio::io_context io;
  std::error_code ec;
  // .invalid is reserved (RFC 6761): it can never resolve.
  const auto endpoints = net::resolve(io.get_executor(), "no-such-host.invalid", 80, ec);
  CAPTURE(ec.message());
  // host_not_found on most systems; try_again or similar when no DNS server answers.
  CHECK(ec);
  CHECK(endpoints.empty());
}

TEST_CASE("resolve_listen takes a name's first address", "[integration][net]") {
  asio::io_context io;
  std::error_code ec;
  const auto endpoint = net::resolve_listen(io.get_executor(), "localhost", 0, ec);
  CHECK_FALSE(ec);
  CHECK(endpoint.address().is_loopback());
  CHECK(endpoint.port() == 0);
}
