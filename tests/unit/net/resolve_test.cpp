// Resolving address literals: no lookup, so these run without any name service.
#include "socketlab/net/resolve.hpp"

#include <asio/error.hpp>
#include <asio/io_context.hpp>

#include "support/catch.hpp"

namespace net = socketlab::net;

TEST_CASE("resolve takes address literals as they are", "[unit][net]") {
  asio::io_context io;
  std::error_code ec = asio::error::host_not_found;  // must be cleared on success

  const auto v4 = net::resolve(io.get_executor(), "127.0.0.1", 80, ec);
  CHECK_FALSE(ec);
  REQUIRE(v4.size() == 1);
  CHECK(v4.front() == asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 80));

  const auto v6 = net::resolve(io.get_executor(), "::1", 8888, ec);
  CHECK_FALSE(ec);
  REQUIRE(v6.size() == 1);
  CHECK(v6.front() == asio::ip::tcp::endpoint(asio::ip::address_v6::loopback(), 8888));
}

TEST_CASE("resolve_listen takes the wildcard addresses", "[unit][net]") {
  asio::io_context io;
  std::error_code ec;

  const auto any_v6 = net::resolve_listen(io.get_executor(), "::", 0, ec);
  CHECK_FALSE(ec);
  CHECK(any_v6.address().is_v6());
  CHECK(any_v6.address().is_unspecified());
  CHECK(any_v6.port() == 0);

  const auto any_v4 = net::resolve_listen(io.get_executor(), "0.0.0.0", 8888, ec);
  CHECK_FALSE(ec);
  CHECK(any_v4 == asio::ip::tcp::endpoint(asio::ip::address_v4::any(), 8888));
}

TEST_CASE("resolve refuses an empty host rather than guessing one", "[unit][net]") {
  asio::io_context io;
  std::error_code ec;
  CHECK(net::resolve(io.get_executor(), "", 80, ec).empty());
  CHECK(ec == asio::error::host_not_found);

  ec.clear();
  CHECK(net::resolve_listen(io.get_executor(), "", 80, ec) == asio::ip::tcp::endpoint{});
  CHECK(ec == asio::error::host_not_found);
}
