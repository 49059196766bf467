// What a user typed, repeated in an error message: quoted, and kept on one line.
#include "socketlab/net/quoted.hpp"

#include <string>

#include "socketlab/net/endpoint.hpp"
#include "support/catch.hpp"
#include "unit/net/test_support.hpp"

namespace net = socketlab::net;

TEST_CASE("quoted puts text in single quotes and escapes control characters", "[unit][net]") {
  CHECK(net::quoted("8888=en") == "'8888=en'");
  CHECK(net::quoted("") == "''");
  CHECK(net::quoted("X-A: 1\r\nX-B: 2") == "'X-A: 1\\r\\nX-B: 2'");
  CHECK(net::quoted("a\tb") == "'a\\tb'");
  CHECK(net::quoted(std::string("nul\0here", 8)) == "'nul\\x00here'");
  CHECK(net::quoted("\x1b[2J\x7f") == "'\\x1b[2J\\x7f'");
  CHECK(net::quoted("Bonjour, le monde\xe2\x80\xaf!") == "'Bonjour, le monde\xe2\x80\xaf!'");  // UTF-8 stays
}

TEST_CASE("a port or address typo with a line break is reported on one line", "[unit][net]") {
  using socketlab::net::test::error_of;
  const auto port = error_of([] { (void)net::parse_port("80\r\n"); });
  CHECK(port.find('\n') == std::string::npos);
  CHECK(port.find("'80\\r\\n'") != std::string::npos);
  const auto address = error_of([] { (void)net::parse_address("127.0.0.1\n"); });
  CHECK(address.find('\n') == std::string::npos);
}
