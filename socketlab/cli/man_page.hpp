/// @file
/// A program's manual page (man(7) macros) made from its command line, so that `man
/// socketlab-server` says what `socketlab-server --help` says, for every subcommand.
#pragma once

#include <string>
#include <vector>

#include "socketlab/cli/command_spec.hpp"

namespace socketlab::cli {

/// What a manual page says besides the command line.
struct man_info {
  std::string version;                ///< "socketlab 0.1.0", in the page's footer
  std::string summary;                ///< the NAME line after the dash: what the program is, in a phrase
  std::vector<std::string> see_also;  ///< "socketlab-client(1)", "curl(1)"
  std::string more;                   ///< a closing paragraph (where the lessons are), or empty
};

/// The manual page of @p program, in section 1: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, one
/// block per subcommand under COMMANDS, each footer --help shows, and SEE ALSO.
/// @param program the program as describe() read it
/// @param info what the command line does not say
/// @return the page, for `man -l` or for share/man/man1/
[[nodiscard]] std::string man_page(const command_spec& program, const man_info& info);

/// @p text for a roff input line: backslashes and hyphens escaped (so `--help` is typed as
/// it reads), a '.' or '\'' that begins a line kept from being read as a request, and UTF-8 as
/// `\[u00A1]` escapes, which every roff reads whatever its input encoding.
/// @param text plain text
/// @return the text as roff
[[nodiscard]] std::string roff_escaped(const std::string& text);

}  // namespace socketlab::cli
