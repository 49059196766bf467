/// @file
/// `socketlab-server http` (the default command): the HTTP server run from the command line.
#pragma once

#include <ostream>
#include <string>

#include "server/config.hpp"

namespace socketlab::server {

/// Runs the HTTP server until SIGINT or SIGTERM, then stops gracefully: the banner first (a
/// line per site), the access log as it serves, "stopped" last.
/// @param config the settings (make_config()); their log sinks are set here
/// @param access_log "-" for standard output, "off", or a file to append to
/// @param out the banner, -v output and (with "-") the access log
/// @param err start-up errors (one line)
/// @return 0; 1 when start-up fails (a taken port, say); 2 when the access log cannot be opened
int run_http(server_config config, const std::string& access_log, std::ostream& out, std::ostream& err);

}  // namespace socketlab::server
