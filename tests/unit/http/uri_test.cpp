// The URI syntax the request parser checks, piece by piece: IPv6 addresses, host[:port],
// CONNECT ports and the four request-target forms (the parser tests cover them in requests).
#include "socketlab/http/detail/uri.hpp"

#include <string_view>

#include "support/catch.hpp"

namespace detail = socketlab::http::detail;
using detail::target_form;

TEST_CASE("uri: IPv6 addresses as RFC 3986 writes them", "[unit][http][uri]") {
  for (const std::string_view good :
       {"::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "2001:DB8::ff00:42:8329",
        "fe80::", "::ffff:192.0.2.1", "1:2:3:4:5:6:192.0.2.1", "::192.0.2.1", "64:ff9b::255.255.255.255"}) {
    CAPTURE(good);
    CHECK(detail::is_ipv6_address(good));
  }
  for (const std::string_view bad :
       {"", ":", ":1", "1:", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::", "12345::", "g::", "1:2:3:4:5:6:7", "::1.2.3", "::1.2.3.256", "::01.2.3.4",
        "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "1.2.3.4", "fe80::1%eth0"}) {
    CAPTURE(bad);
    CHECK_FALSE(detail::is_ipv6_address(bad));
  }
}

TEST_CASE("uri: host[:port]", "[unit][http][uri]") {
  const auto hp = detail::parse_host_and_port("[::1]:8080");
  REQUIRE(hp.valid);
  CHECK(hp.host == "[::1]");
  CHECK(hp.port == "8080");
  const auto bare = detail::parse_host_and_port("example.com");
  REQUIRE(bare.valid);
  CHECK(bare.host == "example.com");
  CHECK_FALSE(bare.port.has_value());
  const auto empty_port = detail::parse_host_and_port("example.com:");
  REQUIRE(empty_port.valid);
  CHECK(empty_port.port == "");
  CHECK(detail::parse_host_and_port("").valid);  // an empty reg-name: the caller decides
  for (const std::string_view bad : {"a b", "a@b", "a/b", "a:b", "a:1:2", "[::1", "[::1]x", "[::1]:x",
                                     "[v.x]", "[vz.x]", "[v1.]", "%", "%4", "%zz", "\xc3\xa9"}) {
    CAPTURE(bad);
    CHECK_FALSE(detail::parse_host_and_port(bad).valid);
  }
  CHECK(detail::parse_host_and_port("[v1.fe80::a+en1]").valid);
  CHECK(detail::parse_host_and_port("%41!$&'()*+,;=~_.-").valid);  // RFC 3986 allows the comma here
}

TEST_CASE("uri: the ports a CONNECT may name", "[unit][http][uri]") {
  CHECK(detail::is_connectable_port("1"));
  CHECK(detail::is_connectable_port("443"));
  CHECK(detail::is_connectable_port("065535"));
  CHECK_FALSE(detail::is_connectable_port(""));
  CHECK_FALSE(detail::is_connectable_port("0"));
  CHECK_FALSE(detail::is_connectable_port("65536"));
  CHECK_FALSE(detail::is_connectable_port("99999999999999999999"));
  CHECK_FALSE(detail::is_connectable_port("+1"));
}

TEST_CASE("uri: request-target forms", "[unit][http][uri]") {
  const auto form = [](std::string_view t) { return detail::classify_target(t).form; };
  CHECK(form("*") == target_form::asterisk);
  CHECK(form("/") == target_form::origin);
  CHECK(form("/a?b") == target_form::origin);
  CHECK(form("example.com:443") == target_form::authority);
  CHECK(form("[::1]:443") == target_form::authority);
  CHECK(form("a:") == target_form::authority);
  CHECK(form("http://a") == target_form::absolute);
  CHECK(form("HTTP://a:80/b?c") == target_form::absolute);
  CHECK(form("ftp://user@a/") == target_form::absolute);  // userinfo is refused in http(s) only
  CHECK(form("urn:isbn:0451450523") == target_form::absolute);
  CHECK(form("a:b:1") == target_form::absolute);  // scheme "a", not a host and a port
  for (const std::string_view bad : {"", "**", "a", "index.html", ":443", "1a:b", "http:/a", "http:a",
                                     "http://", "http:///a", "https://u@a/", "http://a b/", "[::1]"}) {
    CAPTURE(bad);
    CHECK(form(bad) == target_form::invalid);
  }
  CHECK(detail::classify_target("http://a/").has_authority);
  CHECK(detail::classify_target("a:1").has_authority);
  CHECK_FALSE(detail::classify_target("urn:x").has_authority);
  CHECK_FALSE(detail::classify_target("/").has_authority);
  CHECK_FALSE(detail::classify_target("*").has_authority);
}
