/// @file
/// `socketlab-client hold`: its options, and the C10k lab from the name lookup to the report.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "client/cli_options.hpp"
#include "client/hold/hold.hpp"

namespace socketlab::client {

/// hold's command line as typed; run_hold_command() checks it and makes the hold_options.
struct hold_command_line {
  hold_options options;         ///< -n and --probes; the rest is filled in from the fields below
  std::string url;              ///< URL, as typed
  request_flags request;        ///< -X, -H
  std::string timeout = "5";    ///< --timeout, as typed
  std::string hold = "0";       ///< --hold, as typed
  bool no_request = false;      ///< --no-request
  std::int64_t server_pid = 0;  ///< --server-pid; 0 when not given
};

/// Adds `hold` and its options to @p app.
/// @param app the program's command line
/// @param line filled in by the parse
/// @return the subcommand, to ask whether it was given
CLI::App* add_hold_command(CLI::App& app, hold_command_line& line);

/// Checks what hold was given, resolves the name, runs the lab and prints its report. When no
/// connection could be held and all failed alike before connecting (nothing listening, say),
/// that is said in one line, as get says it.
/// @param line the parsed command line
/// @param out the report
/// @param err a failure's one line
/// @return 0 when every connection was held; else curl's number for the commonest reason the
///   others were not (7 refused, 28 timed out, 56 reset, 1 the client's open-file limit...), or
///   for why the name could not be resolved
/// @throws std::invalid_argument for a mistake on the command line: a bad URL, -X, -H, --timeout
///   or --hold, -X or -H with --no-request, a --server-pid that names no process
int run_hold_command(const hold_command_line& line, std::ostream& out, std::ostream& err);

}  // namespace socketlab::client
