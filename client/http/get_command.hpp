/// @file
/// `socketlab-client get`: a small curl that shows what happens on the wire; its options and its run.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "client/cli_options.hpp"
#include "client/http/request_builder.hpp"
#include "client/http/url.hpp"

namespace socketlab::client {

/// What `get` was asked to do.
struct get_options {
  std::vector<url> urls;    ///< fetched in order; consecutive ones on one host and port share a connection
  request_options request;  ///< -X, -H, -d
  bool head = false;        ///< -I: send HEAD and print the response head
  bool include = false;     ///< -i: print the response head before the body
  std::string output;       ///< -o: write bodies to this file instead of stdout
  std::chrono::duration<double> timeout{30};  ///< --timeout: the most one URL may take
  bool verbose = false;                       ///< -v: socket steps, request and response heads
  bool trace = false;                         ///< --trace: every byte, hex and text
  std::size_t split = 0;                      ///< --split: send the request in pieces this big
  std::chrono::milliseconds pause{0};         ///< --pause: wait between those pieces
  int pipeline = 1;                           ///< --pipeline: copies of the request in one write
  bool fail = false;                          ///< --fail: a status of 400 or more is an error
};

/// Fetches every URL of @p options in turn.
///
/// Bodies (and with -I or -i, response heads) go to @p out or the -o file, nothing else does;
/// -v, --trace and errors go to @p err. Each error is one line saying what happened and what to
/// try. Stops at the first failure.
/// @param options what to fetch and how
/// @param out the bodies
/// @param err everything else
/// @return an exit_status: 0, or curl's number for what failed
int run_get(const get_options& options, std::ostream& out, std::ostream& err);

/// get's command line as typed; run_get_command() checks it and makes the get_options.
struct get_command_line {
  get_options options;            ///< the flags that need no checking: -I, -i, -o, -v, --trace, --split, ...
  std::vector<std::string> urls;  ///< each URL, as typed
  request_flags request;          ///< -X, -H
  std::string data;               ///< -d
  std::string timeout = "30";     ///< --timeout, as typed
  int pause_ms = 0;               ///< --pause
  const CLI::Option* data_option = nullptr;   ///< -d, to tell an empty body from none
  const CLI::Option* pause_option = nullptr;  ///< --pause, to tell whether it was given
};

/// Adds `get` and its options to @p app.
/// @param app the program's command line
/// @param line filled in by the parse
/// @return the subcommand, to ask whether it was given
CLI::App* add_get_command(CLI::App& app, get_command_line& line);

/// Checks what get was given and fetches the URLs (run_get()).
/// @param line the parsed command line
/// @param out the bodies
/// @param err everything else
/// @return an exit_status: 0, or curl's number for what failed
/// @throws std::invalid_argument for a mistake on the command line: a bad URL, -X, -H or
///   --timeout, -I with -d, --pause without --split
int run_get_command(const get_command_line& line, std::ostream& out, std::ostream& err);

}  // namespace socketlab::client
