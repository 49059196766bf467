/// @file
/// `socketlab-client udp-echo`, `tcp-echo` and `compare`: their options, and their runs.
#pragma once

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "client/echo/compare.hpp"
#include "client/echo/echo_client.hpp"

namespace socketlab::client {

/// udp-echo's or tcp-echo's command line as typed; run_echo_command() checks it.
struct echo_command_line {
  /// The defaults of the command for @p t: tcp-echo also sends a burst of 10, to show what the
  /// byte stream makes of separate writes.
  /// @param t TCP or UDP
  explicit echo_command_line(echo_transport t);

  echo_transport transport;  ///< which of the two commands
  echo_options options;      ///< --count, --size, --buffer, --burst; the rest from the fields below
  std::string server;        ///< SERVER, as typed
  int interval_ms = 200;     ///< --interval
  int timeout_ms = 1000;     ///< --timeout
  bool verbose = false;      ///< -v
};

/// Adds `udp-echo` or `tcp-echo` (as @p line's transport says) and its options to @p app.
/// @param app the program's command line
/// @param line filled in by the parse
/// @return the subcommand, to ask whether it was given
CLI::App* add_echo_command(CLI::App& app, echo_command_line& line);

/// Checks what the command was given, runs it and prints a report like ping's (echo_report.hpp).
/// @param line the parsed command line
/// @param out the report
/// @param err a failure's one line
/// @return 0; 28 when no echo came back; another exit_status for a failure
/// @throws std::invalid_argument for a mistake on the command line: a bad SERVER, tcp-echo --size 0
int run_echo_command(const echo_command_line& line, std::ostream& out, std::ostream& err);

/// compare's command line as typed; run_compare_command() checks it.
struct compare_command_line {
  /// compare's defaults (default_compare_options()).
  compare_command_line();

  compare_options options;  ///< --count and --size, in options.tcp; the rest from the fields below
  std::string tcp;          ///< --tcp, as typed
  std::string udp;          ///< --udp, as typed
  int interval_ms = 0;      ///< --interval: one at a time unless given
  int timeout_ms;           ///< --timeout
};

/// Adds `compare` and its options to @p app.
/// @param app the program's command line
/// @param line filled in by the parse
/// @return the subcommand, to ask whether it was given
CLI::App* add_compare_command(CLI::App& app, compare_command_line& line);

/// Checks what compare was given and runs it (run_compare()).
/// @param line the parsed command line
/// @param out the table
/// @param err failures, one line each
/// @return 0, or the exit_status of the first failure
/// @throws std::invalid_argument for a mistake on the command line: a bad --tcp or --udp, a
///   --size too small to carry a number
int run_compare_command(const compare_command_line& line, std::ostream& out, std::ostream& err);

}  // namespace socketlab::client
