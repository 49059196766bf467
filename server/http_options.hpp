/// @file
/// The options of `socketlab-server http` (the default command), and the server_config they make.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "server/config.hpp"
#include "socketlab/http/limits.hpp"

namespace socketlab::server {

/// A `--site` as given, with the `--work-ms` that followed it, if any.
struct site_option {
  std::string text;            ///< "8888=en"
  std::optional<int> work_ms;  ///< its own --work-ms
};

/// The options as parsed, before they become a server_config (make_config()).
struct http_options {
  std::vector<site_option> sites;      ///< --site, in order, each with its own --work-ms
  int work_ms = 0;                     ///< --work-ms before any --site, or in a config file: every site's
  bool reading_config = false;         ///< the values now parsed come from a --config file
  std::string model = "async";         ///< --model, by name
  std::string host = "127.0.0.1";      ///< --host
  int backlog = 0;                     ///< --backlog; 0: the system's maximum
  bool defer_accept = false;           ///< --defer-accept
  int threads = 0;                     ///< --threads; 0: the model's default
  std::optional<int> max_connections;  ///< --max-connections, if given: not for the iterative model
  bool verbose = false;                ///< -v
  std::string access_log = "-";        ///< --access-log: "-", "off" or a file
  double header_timeout = 10;          ///< --header-timeout, in seconds
  double idle_timeout = 15;            ///< --idle-timeout, in seconds
  double body_timeout = 10;            ///< --body-timeout, in seconds
  double send_timeout = 10;            ///< --send-timeout, in seconds
  http::limits limits;                 ///< --max-request-line, --max-header-bytes, --max-fields, --max-body
};

/// Adds the HTTP server's options (--site, --work-ms, --model, the limits and timeouts...) and
/// `--config FILE` to @p app: they live on the main command, which `http` falls through to.
/// @param app the program's command line
/// @param o filled in by the parse
void add_http_options(CLI::App& app, http_options& o);

/// The settings the options make, checked together (a --threads the model has no use for,
/// a port given twice, an unknown language: each one line saying what would be right).
/// @param o the options as parsed
/// @return the settings; their log sinks are not set yet
/// @throws std::invalid_argument saying what is wrong and what would be right
[[nodiscard]] server_config make_config(const http_options& o);

/// Parses one `--site` value, "PORT=SPEC".
/// @param text e.g. "8888=en"
/// @return the site
/// @throws std::invalid_argument saying what is wrong and what would be right
[[nodiscard]] site_config parse_site(std::string_view text);

/// The "Languages:" part of --help.
/// @return the footer text
[[nodiscard]] std::string languages_footer();

}  // namespace socketlab::server
