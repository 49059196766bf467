// The command line read into plain data: names, values, choices, defaults, hidden definitions left
// out, and the parent's options that fall through.
#include "socketlab/cli/command_spec.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "unit/cli/sample_app.hpp"

namespace cli = socketlab::cli;
using strings = std::vector<std::string>;

namespace {

const cli::option_spec* find(const std::vector<cli::option_spec>& options, const std::string& name) {
  const auto it = std::find_if(options.begin(), options.end(), [&](const cli::option_spec& o) {
    return std::find(o.names.begin(), o.names.end(), name) != o.names.end();
  });
  return it == options.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("describe reads every visible option with what it takes", "[unit][cli]") {
  socketlab::test::sample_values values;
  const auto app = socketlab::test::sample_app(values);
  const auto spec = cli::describe(*app);

  CHECK(spec.name == "tool");
  CHECK(spec.description == "tool: does things.\n.A line that begins with a dot");
  CHECK_THAT(spec.footer, socketlab::test::contains("Exit status: 0 done"));
  CHECK_FALSE(spec.takes_parent_options);

  const auto* model = find(spec.options, "--model");
  REQUIRE(model != nullptr);
  CHECK(model->takes_value);
  CHECK(model->choices == strings{"iterative", "async"});
  CHECK(model->default_value == "async");
  CHECK_FALSE(model->positional);

  const auto* count = find(spec.options, "-c");
  REQUIRE(count != nullptr);
  CHECK(count->names == strings{"-c", "--count"});
  CHECK(count->takes_value);
  CHECK(count->choices.empty());  // a range is no set
  CHECK_THAT(count->value, socketlab::test::contains("INT"));

  const auto* verbose = find(spec.options, "--verbose");
  REQUIRE(verbose != nullptr);
  CHECK_FALSE(verbose->takes_value);

  CHECK(find(spec.options, "--help") != nullptr);
  CHECK(find(spec.options, "--version") != nullptr);
  CHECK(find(spec.options, "--secret") == nullptr);  // hidden, as --help hides it
  CHECK(spec.positionals.empty());
}

TEST_CASE("describe reads the visible subcommands, their arguments and fallthrough", "[unit][cli]") {
  socketlab::test::sample_values values;
  const auto app = socketlab::test::sample_app(values);
  const auto spec = cli::describe(*app);

  REQUIRE(spec.subcommands.size() == 2);  // `internal` is hidden
  const auto& run = spec.subcommands[0];
  CHECK(run.name == "run");
  CHECK(run.description == "run the URLs");
  CHECK(run.takes_parent_options);
  REQUIRE(run.positionals.size() == 1);
  CHECK(run.positionals[0].names == strings{"URL"});
  CHECK(run.positionals[0].positional);
  CHECK(run.positionals[0].required);
  CHECK(run.positionals[0].repeatable);

  const auto& shell = spec.subcommands[1];
  CHECK_FALSE(shell.takes_parent_options);
  REQUIRE(shell.positionals.size() == 1);
  CHECK_FALSE(shell.positionals[0].required);
  CHECK(shell.positionals[0].choices == strings{"bash", "zsh"});
}

TEST_CASE("choices_in finds the set in a type as CLI11 shows it", "[unit][cli]") {
  CHECK(cli::choices_in("TEXT:{a,b,c}") == strings{"a", "b", "c"});
  CHECK(cli::choices_in("{only}") == strings{"only"});
  CHECK(cli::choices_in("TEXT:{x->1,y->2}") == strings{"x", "y"});  // a transformer's names
  CHECK(cli::choices_in("INT:INT in [1 - 10]").empty());
  CHECK(cli::choices_in("HOST:PORT").empty());
  CHECK(cli::choices_in("").empty());
  CHECK(cli::choices_in("TEXT:{}").empty());
  CHECK(cli::choices_in("TEXT:{a,,b}") == strings{"a", "b"});
}
