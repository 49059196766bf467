/// @file
/// socketlab-client's command line: get, bench, backlog, hold, udp-echo, tcp-echo and compare.
#pragma once

#include <ostream>

namespace socketlab::client {

/// Runs socketlab-client as its command line says.
///
/// A mistake on the command line gets one line on @p err saying what was wrong and what would
/// be right, and exit status 2; a network failure one line and curl's exit status for it.
/// @param argc argument count, as main() got it
/// @param argv arguments, as main() got them
/// @param out bodies (get), reports (bench, backlog, the echo commands), --help and --version
/// @param err -v, --trace, progress and errors
/// @return the process exit status (see client::exit_status)
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace socketlab::client
