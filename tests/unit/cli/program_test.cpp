// guarded_main: whatever a program throws becomes one line and an exit status, never std::terminate.
#include "socketlab/cli/program.hpp"

#include <sstream>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include "support/catch.hpp"

namespace cli = socketlab::cli;
using socketlab::test::contains;

namespace {

/// How many lines @p text has.
std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("guarded_main passes the body's exit status through", "[unit][cli]") {
  std::ostringstream err;
  CHECK(cli::guarded_main("tool", err, [] { return 0; }) == 0);
  CHECK(cli::guarded_main("tool", err, [] { return 28; }) == 28);
  CHECK(err.str().empty());
}

TEST_CASE("a definition CLI11 refuses is one line and exit status 2", "[unit][cli]") {
  std::ostringstream err;
  const int status = cli::guarded_main("tool", err, [] {
    CLI::App app("tool");
    app.add_option("HOST:PORT", "a name a newer CLI11 refuses")->check(CLI::Validator());
    app.add_option("--same");
    app.add_option("--same");  // refused by every CLI11: OptionAlreadyAdded
    return 0;
  });
  CHECK(status == cli::usage_status);
  CHECK(lines(err.str()) == 1);
  CHECK_THAT(err.str(), contains("tool: the command line could not be set up with CLI11 "));
  CHECK_THAT(err.str(), contains("please report this"));
}

TEST_CASE("a parse error that escapes is one line that points at --help", "[unit][cli]") {
  std::ostringstream err;
  const int status = cli::guarded_main("tool", err, [] {
    CLI::App app("tool");
    const char* argv[] = {"tool", "--nope"};
    app.parse(2, argv);
    return 0;
  });
  CHECK(status == cli::usage_status);
  CHECK(lines(err.str()) == 1);
  CHECK_THAT(err.str(), contains("see tool --help"));
}

TEST_CASE("anything else that escapes is one line and exit status 1", "[unit][cli]") {
  std::ostringstream err;
  CHECK(cli::guarded_main("tool", err, []() -> int { throw std::runtime_error("disk on fire"); }) == 1);
  CHECK(err.str() == "tool: disk on fire\n");
  err.str("");
  CHECK(cli::guarded_main("tool", err, []() -> int { throw 42; }) == 1);
  CHECK(err.str() == "tool: stopped by an unexpected error\n");
}
