// The bash completion made from a command line, read as bash will read it. Running it in bash is
// tested on the installed script (tests/programs/test_install.py): here its cases are checked.
#include "socketlab/cli/bash_completion.hpp"

#include <string>

#include "support/catch.hpp"
#include "unit/cli/sample_app.hpp"

namespace cli = socketlab::cli;
using socketlab::test::contains;

TEST_CASE("the completion knows each command's options and the values of a set", "[unit][cli]") {
  socketlab::test::sample_values values;
  const auto app = socketlab::test::sample_app(values);
  const auto script = cli::bash_completion(cli::describe(*app));

  CHECK_THAT(script, contains("\n_tool() {\n"));
  CHECK(script.ends_with("complete -o default -F _tool tool\n"));
  // Finding the command skips the value of the tool's own options: `tool --model run` has none.
  CHECK_THAT(script, contains("      '--model'|'-c'|'--count') ((i++)) ;;\n"));
  CHECK_THAT(script, contains("      'run'|'shell') command=${COMP_WORDS[i]}; break ;;\n"));
  // A set's values after its option, for the tool and for `run`, which takes the tool's options.
  CHECK_THAT(script, contains("    ':--model') words='iterative async' ;;\n"));
  CHECK_THAT(script, contains("    'run:--model') words='iterative async' ;;\n"));
  // Any other value is left to bash: file names.
  CHECK_THAT(script, contains("    ':-c'|':--count'|'run:-c'|'run:--count') return ;;\n"));
  CHECK_THAT(script,
             contains("          '') words='-h --help --version --model -c --count -v --verbose' ;;\n"));
  CHECK_THAT(script,
             contains("          'run') words='-h --help --version --model -c --count -v --verbose' ;;\n"));
  CHECK_THAT(script, contains("          'shell') words='-h --help' ;;\n"));
  CHECK_THAT(script, contains("          '') words='run shell' ;;\n"));
  CHECK_THAT(script, contains("          'shell') words='bash zsh' ;;\n"));  // an argument's set
  CHECK(script.find("secret") == std::string::npos);
  CHECK(script.find("internal") == std::string::npos);
}

TEST_CASE("a program with no subcommands completes its options alone", "[unit][cli]") {
  cli::command_spec program;
  program.name = "my-tool";
  program.options.push_back({{"--it's"}, false, "", {}, "quoted", "", false, false, false});
  const auto script = cli::bash_completion(program);
  CHECK(script.find("for ((i") == std::string::npos);
  CHECK_THAT(script, contains("\n_my_tool() {\n"));    // a name bash takes for a function
  CHECK_THAT(script, contains("words='--it'\\''s'"));  // quoted as the shell reads it back
  CHECK(script.ends_with("complete -o default -F _my_tool my-tool\n"));
}
