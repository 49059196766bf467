// Addresses and ports as users type them: what is accepted, and what each mistake is told.
#include "socketlab/net/endpoint.hpp"

#include <string>

#include "support/catch.hpp"
#include "unit/net/test_support.hpp"

namespace net = socketlab::net;

using socketlab::net::test::contains;
using socketlab::net::test::error_of;

TEST_CASE("parse_port accepts 0 to 65535", "[unit][net]") {
  struct good_port {
    std::string_view text;   ///< what the user wrote
    std::uint16_t expected;  ///< the port
  };
  const auto row = GENERATE(
      values<good_port>({{"0", 0}, {"1", 1}, {"80", 80}, {"8888", 8888}, {"65535", 65535}, {"08080", 8080}}));
  CAPTURE(row.text);
  CHECK(net::parse_port(row.text) == row.expected);
}

TEST_CASE("parse_port rejects what is not a port and says what would be", "[unit][net]") {
  struct bad_port {
    std::string_view text;  ///< what the user wrote
    std::string_view hint;  ///< a part of the message that must be there
  };
  const auto row =
      GENERATE(values<bad_port>({{"99999", "'99999' is not a port: use a number from 1 to 65535"},
                                 {"65536", "'65536' is not a port"},
                                 {"-1", "'-1' is not a port"},
                                 {"+80", "'+80' is not a port"},
                                 {"80 ", "'80 ' is not a port"},
                                 {"http", "'http' is not a port: use a number from 1 to 65535"},
                                 {"99999999999999999999", "is not a port"},
                                 {"", "the port is missing: use a number from 1 to 65535"}}));
  CAPTURE(row.text);
  const auto message = error_of([&] { (void)net::parse_port(row.text); });
  CAPTURE(message);
  CHECK(contains(message, row.hint));
}

TEST_CASE("parse_host_port splits host and port", "[unit][net]") {
  struct good_host_port {
    std::string_view text;  ///< what the user wrote
    int default_port;       ///< -1: a port is required
    std::string_view host;  ///< expected host, brackets removed
    std::uint16_t port;     ///< expected port
  };
  const auto row = GENERATE(values<good_host_port>(
      {{"127.0.0.1:8888", -1, "127.0.0.1", 8888},
       {"localhost:80", -1, "localhost", 80},
       {"example.com:0", -1, "example.com", 0},
       {"[::1]:8888", -1, "::1", 8888},
       {"[::]:8000", -1, "::", 8000},
       {"[fe80::1%1]:80", -1, "fe80::1%1", 80},  // zone by number: names like %eth0 are POSIX only
       {"[::ffff:127.0.0.1]:8881", -1, "::ffff:127.0.0.1", 8881},
       {"localhost", 8888, "localhost", 8888},
       {"127.0.0.1", 0, "127.0.0.1", 0},
       {"[::1]", 8881, "::1", 8881},
       {"0.0.0.0:65535", 80, "0.0.0.0", 65535}}));
  CAPTURE(row.text, row.default_port);
  const auto parsed = net::parse_host_port(row.text, row.default_port);
  CHECK(parsed.host == row.host);
  CHECK(parsed.port == row.port);
}

TEST_CASE("parse_host_port explains each mistake", "[unit][net]") {
  struct bad_host_port {
    std::string_view text;  ///< what the user wrote
    int default_port;       ///< -1: a port is required
    std::string_view hint;  ///< a part of the message that must be there
  };
  const auto row = GENERATE(values<bad_host_port>(
      {{"::1:80", -1, "'::1:80': put an IPv6 address in brackets: [::1]:80"},
       {"::1:80", 8888, "put an IPv6 address in brackets: [::1]:80"},
       {"fe80::1", 8888, "put an IPv6 address in brackets: [fe80::1]"},
       {"::", -1, "put an IPv6 address in brackets: [::]:8888"},
       {"localhost", -1, "'localhost': the port is missing: write it after a colon, e.g. localhost:8888"},
       {"127.0.0.1", -1, "the port is missing"},
       {"[::1]", -1, "the port is missing: write it after a colon, e.g. [::1]:8888"},
       {"localhost:", -1, "the port is missing after ':', e.g. localhost:8888"},
       {"localhost:", 80, "the port is missing after ':'"},
       {"localhost:99999", -1, "'99999' is not a port: use a number from 1 to 65535"},
       {"localhost:http", -1, "'http' is not a port"},
       {":8888", -1, "the host is missing before ':', e.g. 127.0.0.1:8888"},
       {"", 80, "the address is missing: write host:port"},
       {"[::1", -1, "missing ']' after the IPv6 address, e.g. [::1]:8888"},
       {"[]:80", -1, "the address between '[' and ']' is missing"},
       {"[::1]8888", -1, "after ']' write ':' and the port, e.g. [::1]:8888"},
       {"[::1]:", -1, "the port is missing after ':'"},
       {"[localhost]:80", -1, "only an IPv6 address goes in brackets"},
       {"[127.0.0.1]:80", -1, "e.g. 127.0.0.1:80"},
       {"http://localhost:8888", -1, "without the scheme"}}));
  CAPTURE(row.text, row.default_port);
  const auto message = error_of([&] { (void)net::parse_host_port(row.text, row.default_port); });
  CAPTURE(message);
  CHECK(contains(message, row.hint));
}

TEST_CASE("parse_address takes IPv4 and IPv6 literals", "[unit][net]") {
  CHECK(net::parse_address("127.0.0.1") == asio::ip::make_address_v4("127.0.0.1"));
  CHECK(net::parse_address("0.0.0.0").is_unspecified());
  CHECK(net::parse_address("::1") == asio::ip::address_v6::loopback());
  CHECK(net::parse_address("::").is_unspecified());
  CHECK(net::parse_address("::").is_v6());
  CHECK(net::parse_address("fd00::2").is_v6());
}

TEST_CASE("parse_address refuses names and typos with an example", "[unit][net]") {
  struct bad_address {
    std::string_view text;  ///< what the user wrote
    std::string_view hint;  ///< a part of the message that must be there
  };
  const auto row = GENERATE(values<bad_address>(
      {{"localhost", "'localhost' is not an IP address: write one like 127.0.0.1 or ::1"},
       {"256.0.0.1", "'256.0.0.1' is not an IP address"},
       {"127.0.0.1:80", "is not an IP address"},  // Windows alone would drop the port and accept it
       {"127.1", "is not an IP address"},         // Windows alone would read 127.0.0.1
       {"010.0.0.1", "is not an IP address"},     // Windows alone would read octal 8.0.0.1
       {"1.2.3.4.5", "is not an IP address"},
       {"1.2.3.", "is not an IP address"},
       {"::1 ", "is not an IP address"},
       {"::1%", "is not an IP address"},
       {"::g", "is not an IP address"},
       {"[::1]", "write the IPv6 address without brackets here, e.g. ::1"},
       {"", "the IP address is missing: write one like 127.0.0.1"}}));
  CAPTURE(row.text);
  const auto message = error_of([&] { (void)net::parse_address(row.text); });
  CAPTURE(message);
  CHECK(contains(message, row.hint));
}

TEST_CASE("to_string writes addresses the way URLs do", "[unit][net]") {
  CHECK(net::to_string(asio::ip::make_address("127.0.0.1"), 8888) == "127.0.0.1:8888");
  CHECK(net::to_string(asio::ip::make_address("::1"), 8888) == "[::1]:8888");
  CHECK(net::to_string(asio::ip::tcp::endpoint(asio::ip::make_address("0.0.0.0"), 8000)) == "0.0.0.0:8000");
  CHECK(net::to_string(asio::ip::tcp::endpoint(asio::ip::address_v6::any(), 8881)) == "[::]:8881");
  CHECK(net::to_string(asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 7007)) ==
        "127.0.0.1:7007");
  CHECK(net::to_string(asio::ip::udp::endpoint(asio::ip::make_address("::1"), 7007)) == "[::1]:7007");
}

TEST_CASE("to_string writes an address as inet_ntop does", "[unit][net]") {
  for (const auto* text : {"0.0.0.0", "127.0.0.1", "10.0.0.255", "192.168.100.9", "255.255.255.255",
                           "::", "::1", "::ffff:10.0.0.1", "2001:db8::8a2e:370:7334", "fe80::1"}) {
    CHECK(net::to_string(asio::ip::make_address(text)) == text);
  }
  // Every value of each byte, in every position, written as Asio (through inet_ntop) writes it.
  for (unsigned position = 0; position < 4; ++position) {
    for (unsigned value = 0; value < 256; ++value) {
      asio::ip::address_v4::bytes_type bytes{9, 99, 199, 0};
      bytes.at(position) = static_cast<unsigned char>(value);
      const asio::ip::address address{asio::ip::address_v4{bytes}};
      CHECK(net::to_string(address) == address.to_string());
    }
  }
}

TEST_CASE("to_string and parse_host_port agree", "[unit][net]") {
  const auto text = GENERATE(as<std::string>{}, "127.0.0.1:8888", "[::1]:8881", "[::]:0", "0.0.0.0:65535");
  const auto parsed = net::parse_host_port(text);
  CHECK(net::to_string(net::parse_address(parsed.host), parsed.port) == text);
}
