// The options several commands share, without a network: durations as --timeout and -d take them.
#include "client/cli_options.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

#include "support/catch.hpp"

namespace client = socketlab::client;
using socketlab::test::contains;

namespace {

/// The message of the std::invalid_argument parse_duration(@p text) throws, or "" when none.
std::string error_of(std::string_view text) {
  try {
    (void)client::parse_duration(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

}  // namespace

TEST_CASE("parse_duration takes seconds, milliseconds and minutes", "[unit][client]") {
  using seconds = std::chrono::duration<double>;
  CHECK(client::parse_duration("10") == seconds(10));
  CHECK(client::parse_duration("10s") == seconds(10));
  CHECK(client::parse_duration("500ms") == seconds(0.5));
  CHECK(client::parse_duration("2m") == seconds(120));
  CHECK(client::parse_duration("0.5") == seconds(0.5));
  CHECK(client::parse_duration("1.5m") == seconds(90));
}

TEST_CASE("parse_duration rejects what is not a duration above zero, and says what is", "[unit][client]") {
  const auto text = GENERATE(as<std::string_view>{}, "", "abc", "-1", "0", "0ms", "10h", "10 s", "s", "nan");
  CAPTURE(text);
  CHECK(error_of(text) ==
        "'" + std::string(text) +
            "' is not a duration; write seconds (10, 0.5, 10s), milliseconds (500ms) or minutes (2m)");
}

// std::from_chars reads "inf" and "1e300" as numbers above zero; converted to the steady clock's
// nanoseconds they would overflow, so they are refused.
TEST_CASE("parse_duration rejects infinite durations and ones longer than a week", "[unit][client]") {
  const auto infinite = GENERATE(as<std::string_view>{}, "inf", "infinity", "-inf");
  CAPTURE(infinite);
  CHECK_THAT(error_of(infinite), contains("is not a duration"));
  const auto huge = GENERATE(as<std::string_view>{}, "1e300", "1e12", "604801", "10081m");
  CAPTURE(huge);
  CHECK(error_of(huge) == "'" + std::string(huge) + "' is too long; give at most a week (604800s)");
  CHECK(client::parse_duration("604800") == std::chrono::seconds(604800));
  CHECK(client::parse_duration("10080m") == std::chrono::minutes(10080));
}
