/// @file
/// The options several of socketlab-client's commands share: -X and -H (get, bench, backlog),
/// and durations as --timeout and -d take them.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "client/http/request_builder.hpp"

namespace socketlab::client {

/// -X and -H as typed.
struct request_flags {
  std::string method;                ///< -X; empty when not given
  std::vector<std::string> headers;  ///< each -H, as typed
};

/// Adds -X and -H to a command.
/// @param command get, bench or backlog
/// @param flags filled in by the parse
void add_request_flags(CLI::App& command, request_flags& flags);

/// -X and -H checked and put into request_options (the rest of which is left as it defaults).
/// @param flags as typed
/// @return the method and the fields
/// @throws std::invalid_argument when -X is not a token or a -H is not 'Name: value'
[[nodiscard]] request_options to_request(const request_flags& flags);

/// Adds an option that takes a duration as parse_duration() reads it, its default shown in --help.
/// @param command the command
/// @param name the option's names, e.g. "--timeout" or "-d,--duration"
/// @param text filled in by the parse, as typed (the default until then)
/// @param description what the option is for
/// @return the option
CLI::Option* add_duration_option(CLI::App& command, const std::string& name, std::string& text,
                                 const std::string& description);

/// Parses a duration as wrk and the kit's options take it: "10" or "10s" (seconds), "500ms",
/// "2m", "0.5" (fractions allowed), up to a week.
/// @param text what the user typed
/// @return the duration, above zero
/// @throws std::invalid_argument saying what would be right
[[nodiscard]] std::chrono::duration<double> parse_duration(std::string_view text);

}  // namespace socketlab::client
