// Header fields: case-insensitive lookup, insertion order kept, token lists.
#include "socketlab/http/fields.hpp"

#include "support/catch.hpp"

using socketlab::http::fields;
using socketlab::http::iequals;

namespace {

/// The fields as "name=value;" in iteration order.
std::string listing(const fields& f) {
  std::string out;
  for (const auto& [name, value] : f)
    out += name + "=" + value + ";";
  return out;
}

}  // namespace

TEST_CASE("fields: iequals compares ASCII case-insensitively", "[unit][http][fields]") {
  CHECK(iequals("Content-Length", "content-LENGTH"));
  CHECK(iequals("", ""));
  CHECK_FALSE(iequals("Host", "Hos"));
  CHECK_FALSE(iequals("Host", "Hosu"));
  CHECK_FALSE(iequals("[", "{"));  // only letters fold: '[' + 32 is '{'
  CHECK_FALSE(iequals("caf\xc3\xa9", "CAF\xc3\x89"));
}

TEST_CASE("fields: lookup ignores case, order is kept", "[unit][http][fields]") {
  fields f;
  CHECK(f.empty());
  CHECK_FALSE(f.get("Host"));
  f.add("Host", "a");
  f.add("Accept", "*/*");
  f.add("X-Dup", "1");
  f.add("x-dup", "2");
  CHECK(f.size() == 4);
  CHECK(f.get("HOST") == "a");
  CHECK(f.get("x-DUP") == "1");
  CHECK(f.contains("accept"));
  CHECK_FALSE(f.contains("Accep"));
  CHECK(f.count("X-Dup") == 2);
  CHECK(f.count("nope") == 0);
  CHECK(listing(f) == "Host=a;Accept=*/*;X-Dup=1;x-dup=2;");

  SECTION("set replaces every one in place of the first") {
    f.add("Z", "z");
    f.set("X-DUP", "3");
    CHECK(listing(f) == "Host=a;Accept=*/*;X-Dup=3;Z=z;");
    f.set("New", "n");
    CHECK(listing(f) == "Host=a;Accept=*/*;X-Dup=3;Z=z;New=n;");
  }

  SECTION("erase removes every one and says how many") {
    CHECK(f.erase("X-DUP") == 2);
    CHECK(f.erase("X-DUP") == 0);
    CHECK(listing(f) == "Host=a;Accept=*/*;");
  }

  SECTION("clear") {
    f.clear();
    CHECK(f.empty());
    CHECK(f.begin() == f.end());
  }
}

TEST_CASE("fields: has_token reads comma lists with OWS", "[unit][http][fields]") {
  fields f;
  f.add("Connection", "keep-alive ,\tUpgrade");
  f.add("connection", ",, close ,");
  f.add("Other", "token");
  CHECK(f.has_token("Connection", "keep-alive"));
  CHECK(f.has_token("CONNECTION", "upgrade"));
  CHECK(f.has_token("Connection", "CLOSE"));
  CHECK_FALSE(f.has_token("Connection", "keep"));
  CHECK_FALSE(f.has_token("Connection", "close ,"));
  CHECK_FALSE(f.has_token("Connection", ""));
  CHECK_FALSE(f.has_token("Connection", "token"));
  CHECK(f.has_token("Other", "token"));
  CHECK_FALSE(f.has_token("Missing", "token"));
}
