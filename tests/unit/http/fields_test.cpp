// Header fields: case-insensitive lookup, insertion order kept, token lists.
#include "socketlab/http/fields.hpp"

#include <iterator>
#include <string>

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

TEST_CASE("fields: cleared fields are gone, and their memory serves the next ones", "[unit][http][fields]") {
  fields f;
  const std::string long_value(200, 'v');  // longer than a string holds without memory of its own
  f.add("X-Long", long_value);
  f.add("Connection", "close");
  f.add("X-Dup", "1");
  f.clear();
  CHECK(f.empty());
  CHECK(f.size() == 0);
  CHECK(f.begin() == f.end());
  CHECK_FALSE(f.get("X-Long"));  // removed fields are never seen, though their strings are kept
  CHECK(f.count("Connection") == 0);
  CHECK_FALSE(f.has_token("Connection", "close"));

  f.add("Host", "x");  // takes the first removed field's strings
  REQUIRE(f.size() == 1);
  CHECK(f.begin()->name == "Host");
  CHECK(f.begin()->value == "x");
  CHECK(f.begin()->value.capacity() >= long_value.size());  // the memory kept, not freed

  // set() and erase() past the kept ones: only the fields in use count, in their order.
  f.add("A", "1");
  f.add("a", "2");
  f.add("B", "3");
  f.add("A", "4");
  f.set("A", "5");
  REQUIRE(f.size() == 3);
  CHECK(f.get("a") == "5");
  CHECK(f.count("A") == 1);
  CHECK(f.erase("host") == 1);
  REQUIRE(f.size() == 2);
  CHECK(f.begin()->name == "A");
  CHECK(std::next(f.begin())->name == "B");
  f.add("C", "6");  // after the ones in use, whatever was kept beyond them
  REQUIRE(f.size() == 3);
  CHECK(std::prev(f.end())->name == "C");
  CHECK(std::prev(f.end())->value == "6");
}
