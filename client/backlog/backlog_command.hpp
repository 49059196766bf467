/// @file
/// `socketlab-client backlog`: its options, and the listen queue lab from the name lookup to the table.
#pragma once

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "client/backlog/backlog.hpp"
#include "client/cli_options.hpp"

namespace socketlab::client {

/// backlog's command line as typed; run_backlog_command() checks it and makes the backlog_options.
struct backlog_command_line {
  backlog_options options;     ///< -n; the rest is filled in from the fields below
  std::string url;             ///< URL, as typed
  request_flags request;       ///< -X, -H
  std::string timeout = "60";  ///< --timeout, as typed
  int hold_ms = 0;             ///< --hold
};

/// Adds `backlog` and its options to @p app.
/// @param app the program's command line
/// @param line filled in by the parse
/// @return the subcommand, to ask whether it was given
CLI::App* add_backlog_command(CLI::App& app, backlog_command_line& line);

/// Checks what backlog was given and runs the lab. It only resolves the name first: a probe
/// connection would reach a one-at-a-time server before the lab's own and delay them all. When
/// every connection fails the same way (nothing listening, say), that is said in one line, as
/// get says it; otherwise the table is printed.
/// @param line the parsed command line
/// @param out the table
/// @param err a failure's one line
/// @return 0; when no connection got an answer, 28 if the first timed out, 1 otherwise; curl's
///   number when the name cannot be resolved or every connection failed alike
/// @throws std::invalid_argument for a mistake on the command line: a bad URL, -X, -H or --timeout
int run_backlog_command(const backlog_command_line& line, std::ostream& out, std::ostream& err);

}  // namespace socketlab::client
