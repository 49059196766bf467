#include "socketlab/cli/doc_commands.hpp"

#include <utility>

#include <CLI/CLI.hpp>

#include "socketlab/cli/bash_completion.hpp"
#include "socketlab/cli/command_spec.hpp"

namespace socketlab::cli {

std::string lessons_note() {
#ifdef SOCKETLAB_LESSON_PROGRAMS_DIR
  return "The lessons, each a README and the programs it walks through, are installed "
         "in " SOCKETLAB_LESSONS_DIR
         "; their programs (lesson02-server and the others) in " SOCKETLAB_LESSON_PROGRAMS_DIR
         ": add that folder to PATH to run a lesson's commands as they are written.";
#else
  return "The lessons, each a README and the programs it walks through, are installed "
         "in " SOCKETLAB_LESSONS_DIR
         ". This build left out their programs (SOCKETLAB_BUILD_LESSONS=OFF): build them from "
         "the kit's sources to run a lesson's commands.";
#endif
}

doc_commands::doc_commands(CLI::App& app, man_info info) : app_(app), info_(std::move(info)) {
  completion_ = app.add_subcommand("completion", "print a shell completion script, e.g.  source <(" +
                                                     app.get_name() + " completion bash)");
  completion_->add_option("SHELL", shell_, "the shell it is for")
      ->check(CLI::IsMember({"bash"}))
      ->capture_default_str();
  man_ = app.add_subcommand("man", "print the manual page (roff), as the build installs it");
  man_->group("");  // hidden: a build step, not something a learner needs to see in --help
}

bool doc_commands::answer(std::ostream& out) const {
  if (completion_->parsed()) {
    out << bash_completion(describe(app_));
    return true;
  }
  if (man_->parsed()) {
    out << man_page(describe(app_), info_);
    return true;
  }
  return false;
}

}  // namespace socketlab::cli
