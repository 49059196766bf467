/// @file
/// `socketlab-client get`: a small curl that shows what happens on the wire.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "client/request_builder.hpp"
#include "client/url.hpp"

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

}  // namespace socketlab::client
