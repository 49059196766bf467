/// @file
/// A bash completion script made from a program's command line, so that it never drifts from
/// the options the program takes.
#pragma once

#include <string>

#include "socketlab/cli/command_spec.hpp"

namespace socketlab::cli {

/// The bash completion script for @p program: Tab completes its subcommands, each command's
/// options, and the values of an option or argument that takes a fixed set of them; other
/// values are left to bash (file names). One level of subcommands, as the kit's programs have.
///
/// Use: `source <(socketlab-client completion bash)`, or install it as
/// `/usr/share/bash-completion/completions/socketlab-client`.
/// @param program the program as describe() read it
/// @return the script: a function and the `complete` line that binds it to the program's name
[[nodiscard]] std::string bash_completion(const command_spec& program);

}  // namespace socketlab::cli
