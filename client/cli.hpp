/// @file
/// socketlab-client's command line: get, bench, backlog, udp-echo, tcp-echo and compare.
#pragma once

#include <chrono>
#include <ostream>
#include <string_view>

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

/// Parses a duration as wrk and the kit's options take it: "10" or "10s" (seconds), "500ms",
/// "2m", "0.5" (fractions allowed), up to a week.
/// @param text what the user typed
/// @return the duration, above zero
/// @throws std::invalid_argument saying what would be right
[[nodiscard]] std::chrono::duration<double> parse_duration(std::string_view text);

}  // namespace socketlab::client
