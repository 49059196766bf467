/// @file
/// Runs socketlab-client's command line inside the test process and keeps what it printed.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace socketlab::test {

/// What one run of socketlab-client left behind.
struct client_run {
  int status = -1;  ///< the exit status run_cli() returned
  std::string out;  ///< standard output: bodies, reports
  std::string err;  ///< standard error: -v, --trace, errors
};

/// Runs `socketlab-client ARGS...` in-process (client::run_cli) and returns what it printed.
/// @param args the arguments after the program name, e.g. {"get", "-v", url}
/// @return the exit status and both streams
client_run run_client(std::vector<std::string> args);

/// As run_client(), but waits at most @p limit: a run that never returns (a client and a server
/// each waiting for the other, say) fails the test (a Catch2 REQUIRE) instead of hanging the
/// whole run. Its thread is then left behind, detached; it owns everything it touches.
/// @param args the arguments after the program name
/// @param limit how long the run may take
/// @return the exit status and both streams
client_run run_client_within(std::vector<std::string> args, std::chrono::seconds limit);

}  // namespace socketlab::test
