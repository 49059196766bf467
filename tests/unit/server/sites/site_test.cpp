#include "server/sites/site.hpp"

#include "server/sites/greeting_site.hpp"
#include "server/sites/greetings.hpp"
#include "support/catch.hpp"
#include "support/make_request.hpp"

using namespace socketlab;

namespace {

/// GET (or @p method) @p target.
http::request get(std::string target, std::string method = "GET") {
  return test::make_request(std::move(method), std::move(target));
}

}  // namespace

TEST_CASE("the original three greetings are built in, in UTF-8", "[unit][server][site]") {
  REQUIRE(server::find_greeting("en")->text == "Hello, World!");
  REQUIRE(server::find_greeting("es")->text == "\xC2\xA1Hola, Mundo!");  // ¡ is two bytes
  REQUIRE(server::find_greeting("fr")->text.starts_with("Bonjour"));
  REQUIRE(server::find_greeting("ru")->text ==
          "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, \xD0\xBC\xD0\xB8\xD1\x80!");
  REQUIRE(server::find_greeting("de")->text == "Hallo, Welt!");
  REQUIRE(server::find_greeting("FR")->code == "fr");
  REQUIRE_FALSE(server::find_greeting("xx"));
}

TEST_CASE("a greeting site answers / and only /", "[unit][server][site]") {
  const auto s = server::make_site("fr");
  REQUIRE(s->describe() == "French (fr)");

  auto res = server::respond(*s, get("/"));
  REQUIRE(res.status == 200);
  REQUIRE(res.body_text() == std::string(server::find_greeting("fr")->text) + "\n");
  REQUIRE(res.body.empty());  // the text is the site's own (constant_body): no string per request
  REQUIRE(res.content_type == "text/plain; charset=utf-8");
  REQUIRE(res.headers.empty());  // the connection layer writes the Content-Type: no field to build

  REQUIRE(server::respond(*s, get("/?lang=fr")).status == 200);
  REQUIRE(server::respond(*s, get("http://localhost:8881/")).status == 200);
  REQUIRE(server::respond(*s, get("/index.html")).status == 404);
  REQUIRE(server::respond(*s, get("/", "HEAD")).status == 200);
}

TEST_CASE("other methods: 405 with Allow when known, 501 when not", "[unit][server][site]") {
  const auto s = server::make_site("en");
  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "CONNECT"}) {
    CAPTURE(method);
    const auto res = server::respond(*s, get("/", method));
    REQUIRE(res.status == 405);
    REQUIRE(res.headers.get("Allow") == "GET, HEAD");
  }
  for (const char* method : {"BREW", "get", "PROPFIND"}) {
    CAPTURE(method);
    const auto res = server::respond(*s, get("/", method));
    REQUIRE(res.status == 501);
    REQUIRE_FALSE(res.headers.contains("Allow"));
  }
}

TEST_CASE("an unknown language names the known ones", "[unit][server][site]") {
  REQUIRE_THROWS_WITH(server::make_site("klingon"), socketlab::test::contains("unknown language 'klingon'") &&
                                                        socketlab::test::contains("en, fr, es"));
}

TEST_CASE("target_path drops the query and the absolute form's authority", "[unit][server][site]") {
  REQUIRE(server::target_path("/") == "/");
  REQUIRE(server::target_path("/a/b?c=d") == "/a/b");
  REQUIRE(server::target_path("/a#frag") == "/a");
  REQUIRE(server::target_path("http://example.com/x?y") == "/x");
  REQUIRE(server::target_path("http://example.com") == "/");
}
