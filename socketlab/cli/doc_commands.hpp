/// @file
/// The commands every socketlab program has besides its own: `completion bash`, and the hidden
/// `man` the build runs to make the manual page. Both are made from the program's command line
/// itself, so they cannot drift from it.
#pragma once

#include <ostream>
#include <string>

#include "socketlab/cli/man_page.hpp"

namespace CLI {
class App;
}

namespace socketlab::cli {

/// Where the installed lessons and their programs are, for a manual page's NOTES.
/// @return one paragraph naming both folders, as this build installs them
[[nodiscard]] std::string lessons_note();

/// Adds `completion [SHELL]` and the hidden `man` to a program's command line, and answers them.
///
/// Threading: as the CLI::App it is given, one thread.
class doc_commands {
 public:
  /// Adds the two subcommands to @p app, which must outlive this object.
  /// @param app the program's command line (other options and subcommands may be added later)
  /// @param info what the manual page says besides the command line
  doc_commands(CLI::App& app, man_info info);

  /// After @p app has parsed a command line: prints what it asked for, if it asked for one of
  /// these, on @p out.
  /// @param out where the script or page goes
  /// @return true when it was one of these (the program then exits 0), false otherwise
  bool answer(std::ostream& out) const;

 private:
  CLI::App& app_;
  man_info info_;
  CLI::App* completion_;  ///< `completion [SHELL]`
  CLI::App* man_;         ///< `man`, hidden from --help
  std::string shell_ = "bash";
};

}  // namespace socketlab::cli
