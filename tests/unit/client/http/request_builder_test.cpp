// The request socketlab-client sends: curl's default fields, -X, -H (replace, add, remove), -d and
// Connection: close, checked on the exact bytes; and what check_header_option tells a bad -H.
#include "client/http/request_builder.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

#include "socketlab/http/serializer.hpp"
#include "support/catch.hpp"

namespace client = socketlab::client;
using socketlab::test::contains;

namespace {

/// The bytes make_request() builds for @p u with @p options.
std::string wire(std::string_view u, const client::request_options& options = {}) {
  return socketlab::http::to_string(client::make_request(client::parse_url(u), options));
}

/// The message of the std::invalid_argument check_header_option(@p text) throws, or "" when none.
std::string error_of(std::string_view text) {
  try {
    client::check_header_option(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

const std::string user_agent = "User-Agent: socketlab-client/" SOCKETLAB_VERSION "\r\n";

}  // namespace

TEST_CASE("make_request sends GET with Host, User-Agent and Accept, as curl does", "[unit][client]") {
  CHECK(wire("http://127.0.0.1:8888/hello?x=1") ==
        "GET /hello?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8888\r\n" + user_agent + "Accept: */*\r\n\r\n");
  CHECK(wire("http://localhost/") ==
        "GET / HTTP/1.1\r\nHost: localhost\r\n" + user_agent + "Accept: */*\r\n\r\n");
  CHECK(wire("http://[::1]:8888/") ==
        "GET / HTTP/1.1\r\nHost: [::1]:8888\r\n" + user_agent + "Accept: */*\r\n\r\n");
}

TEST_CASE("make_request: -X sets the method", "[unit][client]") {
  client::request_options o;
  o.method = "DELETE";
  CHECK(wire("http://h/x", o) == "DELETE /x HTTP/1.1\r\nHost: h\r\n" + user_agent + "Accept: */*\r\n\r\n");
}

TEST_CASE("make_request: -H replaces a default in place, adds a new field, 'Name:' removes one",
          "[unit][client]") {
  client::request_options o;
  SECTION("replace, whatever the case of the name") {
    o.headers = {"accept: text/plain", "host:   example.com  "};
    CHECK(wire("http://h:1/", o) ==
          "GET / HTTP/1.1\r\nHost: example.com\r\n" + user_agent + "Accept: text/plain\r\n\r\n");
  }
  SECTION("add") {
    o.headers = {"X-Lesson: 4", "X-Lesson-Part: b"};
    CHECK(wire("http://h/", o) == "GET / HTTP/1.1\r\nHost: h\r\n" + user_agent +
                                      "Accept: */*\r\nX-Lesson: 4\r\nX-Lesson-Part: b\r\n\r\n");
  }
  SECTION("remove") {
    o.headers = {"User-Agent:", "Accept:  "};
    CHECK(wire("http://h/", o) == "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  }
}

TEST_CASE("make_request: -d sends POST with Content-Type and Content-Length", "[unit][client]") {
  client::request_options o;
  o.body = "lesson=4";
  o.has_body = true;
  SECTION("POST unless -X") {
    CHECK(wire("http://h/form", o) == "POST /form HTTP/1.1\r\nHost: h\r\n" + user_agent +
                                          "Accept: */*\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                          "Content-Length: 8\r\n\r\nlesson=4");
  }
  SECTION("-X PUT and the user's own Content-Type win") {
    o.method = "PUT";
    o.headers = {"Content-Type: application/json"};
    o.body = "{}";
    CHECK(wire("http://h/", o) ==
          "PUT / HTTP/1.1\r\nHost: h\r\n" + user_agent +
              "Accept: */*\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  }
  SECTION("a -H Content-Length is corrected to the body's size") {
    o.headers = {"Content-Length: 999"};
    const auto req = client::make_request(client::parse_url("http://h/"), o);
    CHECK(req.headers.count("Content-Length") == 1);
    CHECK(req.headers.get("Content-Length") == "8");
  }
  SECTION("an empty -d is still a body: POST, Content-Length: 0") {
    o.body.clear();
    const auto req = client::make_request(client::parse_url("http://h/"), o);
    CHECK(req.method == "POST");
    CHECK(req.headers.get("Content-Length") == "0");
  }
}

TEST_CASE("make_request: keep_alive = false sends Connection: close", "[unit][client]") {
  client::request_options o;
  o.keep_alive = false;
  CHECK(wire("http://h/", o) ==
        "GET / HTTP/1.1\r\nHost: h\r\n" + user_agent + "Accept: */*\r\nConnection: close\r\n\r\n");
  CHECK_FALSE(client::make_request(client::parse_url("http://h/"), o).keep_alive());
  CHECK(client::make_request(client::parse_url("http://h/"), {}).keep_alive());
}

TEST_CASE("check_header_option accepts 'Name: value' and 'Name:'", "[unit][client]") {
  CHECK(error_of("Accept: text/plain") == "");
  CHECK(error_of("X-Lesson:4") == "");
  CHECK(error_of("Accept:") == "");
  CHECK(error_of("X-Tab: a\tb") == "");
  CHECK(error_of("!#$%&'*+-.^_`|~09azAZ: v") == "");
}

TEST_CASE("check_header_option rejects a bad -H and says what would be right", "[unit][client]") {
  struct bad_header {
    std::string_view text;  ///< what the user typed
    std::string_view hint;  ///< a part of the message that must be there
  };
  const auto row = GENERATE(values<bad_header>({
      {"Accept text/plain", "-H 'Accept text/plain': write 'Name: value', e.g. -H 'Accept: text/plain'"},
      {"", "write 'Name: value'"},
      {"X@Y: 1", "-H 'X@Y: 1': a field name is letters, digits and !#$%&'*+-.^_`|~"},
      {": value", "a field name is letters, digits"},
      {"X Lesson: 4", "a field name is letters, digits"},
      {"Accept : text/plain", "with no space before the colon, e.g. -H 'X-Lesson: 4'"},
      {"X-A: 1\r\nX-Injected: 2", "a field value cannot contain control characters"},
      {"X-A: bell\x07", "a field value cannot contain control characters"},
      {"X-A: \x01", "cannot contain control characters"},
  }));
  CAPTURE(row.text);
  const auto message = error_of(row.text);
  CHECK_THAT(message, contains(std::string(row.hint)));
}
