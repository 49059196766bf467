/// @file
/// `socketlab-server udp-echo` and `tcp-echo`: their options and their runs.
#pragma once

#include <ostream>

#include <CLI/CLI.hpp>

#include "server/echo/tcp_echo_server.hpp"
#include "server/echo/udp_echo_server.hpp"

namespace socketlab::server {

/// Adds `udp-echo` and its options (--port, --host, -v, --rate-limit and the simulation's
/// --drop, --delay, --jitter, --duplicate, --reorder, --seed) to @p app.
/// @param app the program's command line
/// @param config filled in by the parse
/// @return the subcommand, to ask whether it was given
CLI::App* add_udp_echo_command(CLI::App& app, udp_echo_config& config);

/// Adds `tcp-echo` and its options (--port, --host, --backlog, --idle-timeout, -v) to @p app.
/// @param app the program's command line
/// @param config filled in by the parse
/// @return the subcommand
CLI::App* add_tcp_echo_command(CLI::App& app, tcp_echo_config& config);

/// Runs the UDP echo server until SIGINT or SIGTERM, then prints what it did.
/// @param config the settings
/// @param out the banner, -v lines and the summary
/// @param err start-up errors (one line)
/// @return 0, or 1 when the port cannot be bound
int run_udp_echo(udp_echo_config config, std::ostream& out, std::ostream& err);

/// Runs the TCP echo server until SIGINT or SIGTERM.
/// @param config the settings
/// @param out the banner and -v lines
/// @param err start-up errors (one line)
/// @return 0, or 1 when the port cannot be listened on
int run_tcp_echo(tcp_echo_config config, std::ostream& out, std::ostream& err);

}  // namespace socketlab::server
