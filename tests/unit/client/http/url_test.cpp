// URLs as users type them after `socketlab-client get`: what is accepted, what each mistake is told.
#include "client/http/url.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

#include "support/catch.hpp"

namespace client = socketlab::client;

namespace {

/// The message of the std::invalid_argument that parse_url(@p text) throws, or "" when none.
std::string error_of(std::string_view text) {
  try {
    (void)client::parse_url(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

/// A URL from its parts, for host_header and same_origin.
client::url make_url(std::string host, std::uint16_t port, std::string target = "/") {
  return client::url{std::move(host), port, std::move(target)};
}

}  // namespace

TEST_CASE("parse_url accepts http URLs and curl's bare host:port", "[unit][client]") {
  struct good_url {
    std::string_view text;    ///< what the user wrote
    std::string_view host;    ///< expected host, brackets removed
    std::uint16_t port;       ///< expected port
    std::string_view target;  ///< expected request target
  };
  const auto row = GENERATE(values<good_url>({
      {"http://127.0.0.1:8888/", "127.0.0.1", 8888, "/"},
      {"http://127.0.0.1:8888", "127.0.0.1", 8888, "/"},  // no path: "/"
      {"http://localhost/", "localhost", 80, "/"},        // default port
      {"http://localhost", "localhost", 80, "/"},
      {"http://example.com:8000/a/b.html", "example.com", 8000, "/a/b.html"},
      {"http://[::1]:8888/", "::1", 8888, "/"},  // IPv6 literal
      {"http://[::1]/x", "::1", 80, "/x"},
      {"http://[::ffff:127.0.0.1]:8881/", "::ffff:127.0.0.1", 8881, "/"},
      {"http://[::1]", "::1", 80, "/"},
      {"http://h:1/search?q=a&lang=fr", "h", 1, "/search?q=a&lang=fr"},  // query kept
      {"http://h:8888?q=1", "h", 8888, "/?q=1"},                         // query without path
      {"http://h/page#section", "h", 80, "/page"},                       // fragment dropped
      {"http://h/page?x=1#frag?y", "h", 80, "/page?x=1"},
      {"http://h#top", "h", 80, "/"},
      {"http://h:65535/", "h", 65535, "/"},
      {"http://h:08080/", "h", 8080, "/"},
      {"HTTP://Example.COM/Path", "Example.COM", 80, "/Path"},  // scheme is case-insensitive
      {"localhost:8888/hello", "localhost", 8888, "/hello"},    // bare, as curl allows
      {"127.0.0.1:8881", "127.0.0.1", 8881, "/"},
      {"[::1]:8000/es", "::1", 8000, "/es"},
      {"example.com", "example.com", 80, "/"},
      {"http://h/a%20b/@c", "h", 80, "/a%20b/@c"},  // '@' in the path is not userinfo
      {"http://h//double//slash", "h", 80, "//double//slash"},
      {"http://h/caf\xC3\xA9?q=\xC3\xB1", "h", 80, "/caf%C3%A9?q=%C3%B1"},  // non-ASCII: percent-encoded
      {"http://h/\xFF", "h", 80, "/%FF"},                                   // any byte, UTF-8 or not
      // A "://" in the path, query or fragment is theirs, not a scheme's (found by fuzz_url).
      {"localhost:8888/go?to=http://example.com/", "localhost", 8888, "/go?to=http://example.com/"},
      {"h/a://b", "h", 80, "/a://b"},
      {"h?u=https://x", "h", 80, "/?u=https://x"},
      {"h#ftp://x", "h", 80, "/"},
  }));
  CAPTURE(row.text);
  const auto u = client::parse_url(row.text);
  CHECK(u.host == row.host);
  CHECK(u.port == row.port);
  CHECK(u.target == row.target);
}

TEST_CASE("parse_url rejects what it cannot send and says what would work", "[unit][client]") {
  struct bad_url {
    std::string_view text;  ///< what the user wrote
    std::string_view hint;  ///< a part of the message that must be there
  };
  const auto row = GENERATE(values<bad_url>({
      {"https://example.com/",
       "https is not supported: socketlab-client speaks plain HTTP; use http://example.com/"},
      {"HTTPS://h:8443/", "https is not supported"},
      {"ftp://h/file",
       "the scheme 'ftp' is not supported: socketlab-client speaks plain HTTP; use http://h/file"},
      {"://h/", "the scheme is missing before '://'; use http://h/"},
      {"", "the URL is empty; write one like http://127.0.0.1:8888/"},
      {"http://", "the host is missing"},
      {"http:///path", "the host is missing; write one, e.g. http://127.0.0.1:8888/"},
      {"http://?q", "the host is missing"},
      {"/path", "the host is missing"},
      {"http://:8888/", "the host is missing before ':'"},
      {"http://h:99999/", "'99999' is not a port: use a number from 1 to 65535"},
      {"http://h:http/", "'http' is not a port"},
      {"http://h:-1/", "'-1' is not a port"},
      {"http://h:/", "the port is missing after ':'"},
      {"http://h:0/", "port 0 cannot be connected to"},
      {"http://[::1:8888/", "'[::1:8888': missing ']' after the IPv6 address"},
      {"http://[::1", "missing ']'"},
      {"http://[]:80/", "the address between '[' and ']' is missing"},
      {"http://[localhost]:80/", "only an IPv6 address goes in brackets"},
      {"http://::1:8888/", "put an IPv6 address in brackets: [::1]:8888"},
      {"http://h/a b", "a space or control character at offset 10 cannot be sent; percent-encode it"},
      {" http://h/", "at offset 0"},
      {"http://h/\r\nX-Injected: 1", "at offset 9"},
      {"http://h/\t", "a space or control character"},
      {"http://h/\x7f", "a space or control character"},
      {"http://user:secret@h/", "user names and passwords in URLs ('user:secret@') are not supported"},
      {"http://user@h:8888/", "are not supported; remove them"},
      // A Host field is ASCII: an international name goes in its ASCII form (found by fuzz_url).
      {"http://caf\xC3\xA9.example/", "the host 'caf\xC3\xA9.example' has bytes outside ASCII"},
      {"h\xFF:8888", "write an international name in its ASCII form"},
  }));
  CAPTURE(row.text);
  const auto message = error_of(row.text);
  CAPTURE(message);
  CHECK(message.find(row.hint) != std::string::npos);
}

TEST_CASE("host_header writes the port only when it is not 80, and brackets IPv6", "[unit][client]") {
  CHECK(client::host_header(make_url("localhost", 80)) == "localhost");
  CHECK(client::host_header(make_url("localhost", 8888)) == "localhost:8888");
  CHECK(client::host_header(make_url("127.0.0.1", 8881)) == "127.0.0.1:8881");
  CHECK(client::host_header(make_url("::1", 8888)) == "[::1]:8888");
  CHECK(client::host_header(make_url("::1", 80)) == "[::1]");
  CHECK(client::host_header(client::parse_url("http://[::1]:8000/x")) == "[::1]:8000");
  CHECK(client::host_header(client::parse_url("example.com/")) == "example.com");
}

TEST_CASE("same_origin compares host and port, not the target", "[unit][client]") {
  const auto a = client::parse_url("http://localhost:8888/a");
  CHECK(client::same_origin(a, client::parse_url("http://localhost:8888/b?x=1")));
  CHECK(client::same_origin(a, client::parse_url("localhost:8888")));
  CHECK(client::same_origin(a, client::parse_url("http://LocalHost:8888/")));  // names are case-insensitive
  CHECK_FALSE(client::same_origin(a, client::parse_url("http://localhost:8881/a")));
  CHECK_FALSE(client::same_origin(a, client::parse_url("http://127.0.0.1:8888/a")));  // no resolving here
  CHECK(client::same_origin(client::parse_url("http://h/"), client::parse_url("http://h:80/")));
  CHECK(client::same_origin(client::parse_url("http://[::1]:8000/"), client::parse_url("[::1]:8000/x")));
}
