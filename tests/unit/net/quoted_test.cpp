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

TEST_CASE("printable_lines keeps line ends and tabs, and shows every other control byte", "[unit][net]") {
  CHECK(net::printable_lines("GET / HTTP/1.1\r\nHost: x\r\n\r\n") == "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(net::printable_lines("a\tb\nc") == "a\tb\nc");
  // ESC [2J clears a screen; ESC ] 0 ; ... BEL sets a window title; 0x9b is the 8-bit CSI.
  CHECK(net::printable_lines("X: \x1b[2J\x1b]0;owned\x07\r\n") == "X: \\x1b[2J\\x1b]0;owned\\x07\r\n");
  CHECK(net::printable_lines("\x9b"
                             "31m") == "\\x9b31m");
  CHECK(net::printable_lines(std::string("a\0b\x7f", 4)) == "a\\x00b\\x7f");
  // A CR that ends no line would return the cursor to the line's start, over what was written.
  CHECK(net::printable_lines("abc\rX\r") == "abc\\rX\\r");
}
