/// @file
/// A program's command line as plain data, read off its CLI11 definitions: what the manual
/// page and the shell completion are made from, so that neither is written by hand.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace socketlab::cli {

/// One option or positional argument.
struct option_spec {
  std::vector<std::string> names;  ///< "-c", "--connections"; a positional's one name, "URL"
  bool takes_value = false;        ///< an option with a value (or an argument), not a flag
  std::string value;  ///< the value as CLI11's help shows it ("INT:INT in [1 - 10000]"), if it names one
  std::vector<std::string>
      choices;                ///< the values it takes, where they are a fixed set (a validator's "{a,b}")
  std::string description;    ///< its help line
  std::string default_value;  ///< the default --help shows, if any
  bool positional = false;    ///< an argument, not an option
  bool required = false;      ///< must be given
  bool repeatable = false;    ///< may be given, or take values, more than once
};

/// One command: the program itself or one of its subcommands.
struct command_spec {
  std::string name;                       ///< "socketlab-client", "get"
  std::string description;                ///< what --help says first
  std::string footer;                     ///< what --help says last
  std::vector<option_spec> options;       ///< options, in the order --help lists them
  std::vector<option_spec> positionals;   ///< positional arguments, in order
  std::vector<command_spec> subcommands;  ///< visible subcommands, in order
  bool takes_parent_options = false;      ///< the parent's options may follow it (CLI11's fallthrough)
};

/// Reads @p app's visible definitions (hidden options and subcommands, those of no group, are
/// left out, as --help leaves them out).
/// @param app a command line, fully set up
/// @return its description
[[nodiscard]] command_spec describe(const CLI::App& app);

/// The fixed set of values in a type as CLI11's help shows it: "TEXT:{a,b,c}" (CLI::IsMember,
/// or a validator of ours described the same way) gives a, b and c; "INT:INT in [1 - 10]" none.
/// @param value an option's type name and its validators' descriptions, ':'-separated
/// @return the values, in order
[[nodiscard]] std::vector<std::string> choices_in(const std::string& value);

}  // namespace socketlab::cli
