/// @file
/// socketlab-server's command line.
#pragma once

#include <ostream>
#include <string>
#include <variant>

#include "server/config.hpp"
#include "server/echo/tcp_echo_server.hpp"
#include "server/echo/udp_echo_server.hpp"

namespace socketlab::server {

/// Runs socketlab-server as its command line says: parses the options (and a --config file),
/// starts the server, serves until SIGINT/SIGTERM, and stops gracefully.
///
/// Every mistake ends with one line on @p err that says what was wrong and what would be
/// right, and a non-zero status: 2 for a bad command line, 1 when start-up fails.
///
/// @param argc argument count, as main() got it
/// @param argv arguments, as main() got them
/// @param out the banner, access log and -v output
/// @param err error messages
/// @return the process exit status
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

/// What the command line asks the server to do.
struct command_line {
  /// Which server to run.
  enum class command { http, udp_echo, tcp_echo };
  command what = command::http;  ///< `http` (the default), `udp-echo` or `tcp-echo`
  server_config config;          ///< http: the server's settings (its log sinks are not set yet)
  std::string access_log = "-";  ///< http: "-" for standard output, "off", or a file name
  udp_echo_config udp;           ///< udp-echo's settings
  tcp_echo_config tcp;           ///< tcp-echo's settings
};

/// Parses the command line (and a --config file). Prints --help and --version on @p out and
/// a mistake as one line on @p err.
/// @param argc argument count
/// @param argv arguments
/// @param out where --help and --version go
/// @param err where a mistake is explained
/// @return what to run, or the exit status when there is nothing to run (0 after --help, 2 after a mistake)
[[nodiscard]] std::variant<command_line, int> parse_command_line(int argc, const char* const* argv,
                                                                 std::ostream& out, std::ostream& err);

}  // namespace socketlab::server
