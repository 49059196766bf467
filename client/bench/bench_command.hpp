/// @file
/// `socketlab-client bench`: its options, and a run from finding the server to the report.
#pragma once

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "client/bench/bench.hpp"
#include "client/cli_options.hpp"

namespace socketlab::client {

/// bench's command line as typed; run_bench_command() checks it and makes the bench_options.
struct bench_command_line {
  bench_options options;        ///< -c and -t; the rest is filled in from the fields below
  std::string url;              ///< URL, as typed (the report repeats it)
  request_flags request;        ///< -X, -H
  std::string duration = "10";  ///< -d, as typed
  std::string timeout = "2";    ///< --timeout, as typed
  bool no_keepalive = false;    ///< --no-keepalive
  bool json = false;            ///< --json
};

/// Adds `bench` and its options to @p app.
/// @param app the program's command line
/// @param line filled in by the parse
/// @return the subcommand, to ask whether it was given
CLI::App* add_bench_command(CLI::App& app, bench_command_line& line);

/// Checks what bench was given, finds the server the way get does (so that a wrong port or host
/// gets the same clear line before any load starts), runs the benchmark with a live progress
/// line on a terminal, and prints the report (or the JSON).
/// @param line the parsed command line
/// @param out the report
/// @param err the progress line, and a failure's one line
/// @return 0, or curl's number for why the server could not be reached
/// @throws std::invalid_argument for a mistake on the command line: a bad URL, -X, -H, -d or
///   --timeout, fewer connections than threads
int run_bench_command(const bench_command_line& line, std::ostream& out, std::ostream& err);

}  // namespace socketlab::client
