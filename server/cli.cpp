#include "server/cli.hpp"

#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "server/access_log.hpp"
#include "server/echo_commands.hpp"
#include "server/greetings.hpp"
#include "server/http_server.hpp"
#include "server/site.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/quoted.hpp"
#include "socketlab/net/shutdown_signal.hpp"
#include "socketlab/net/tcp_listener.hpp"

namespace socketlab::server {
namespace {

constexpr std::string_view program = "socketlab-server";

/// The "Languages:" part of --help.
std::string languages_footer() {
  std::string text = "Languages for --site PORT=LANG:\n";
  for (const auto& g : greetings()) {
    text += "  " + std::string(g.code) + "  " + std::string(g.name) + ": " + std::string(g.text) + "\n";
  }
  text += "\nWith no --site: 8888=en 8881=fr 8000=es, the original exercise's three sites.\n";
  return text;
}

/// Seconds as the user gives them (0.5 allowed) to the timeouts' milliseconds.
timeouts::duration to_duration(double seconds) {
  return timeouts::duration(static_cast<timeouts::duration::rep>(std::llround(seconds * 1000.0)));
}

/// The line for a port that could not be listened on, with a way out.
std::string explain(const listen_failure& failure) {
  std::string line = failure.what();
  const auto& s = failure.site;
  if (failure.error.code == asio::error::address_in_use) {
    const unsigned next = s.port == 65535 ? 8889U : s.port + 1U;
    line += "; choose another with --site " + std::to_string(next) + "=" + s.spec;
  } else if (failure.error.code == asio::error::access_denied) {
    line += "; choose a port from 1024 up, e.g. --site 8080=" + s.spec;
  } else if (failure.error.step == "bind") {
    line += "; listen on an address of this machine, e.g. --host 127.0.0.1 or --host 0.0.0.0";
  }
  return line;
}

/// The options as parsed, before they become a server_config.
struct options {
  std::vector<std::string> sites;
  std::string host = "127.0.0.1";
  int backlog = 0;
  int threads = 1;
  bool verbose = false;
  std::string access_log = "-";
  double header_timeout = 10;
  double idle_timeout = 15;
  double body_timeout = 10;
  double send_timeout = 10;
  http::limits limits;
};

void add_options(CLI::App& app, options& o) {
  app.add_option("--site", o.sites,
                 "serve a greeting in LANG on PORT; repeat for more ports (replaces the defaults)")
      ->type_name("PORT=LANG")
      ->allow_extra_args(false);  // one value per --site: a stray word is reported, not taken as a site
  app.add_option("--host", o.host, "address to listen on; 0.0.0.0 or :: exposes the server to the network")
      ->capture_default_str();
  app.add_option(
         "--backlog", o.backlog,
         "listen queue length (default: the system maximum, " + std::to_string(net::max_backlog()) + ")")
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--threads", o.threads, "threads running the event loop")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_flag("-v,--verbose", o.verbose,
               "print each raw request, like the original's print(request.decode())");
  app.add_option("--access-log", o.access_log,
                 "where access-log lines go: - (standard output), off, or a file")
      ->capture_default_str();
  const auto seconds = CLI::Range(0.001, 86400.0);
  app.add_option("--header-timeout", o.header_timeout,
                 "seconds for a whole request header to arrive (then 408)")
      ->check(seconds)
      ->capture_default_str();
  app.add_option("--idle-timeout", o.idle_timeout,
                 "seconds a kept-alive connection may wait for its next request")
      ->check(seconds)
      ->capture_default_str();
  app.add_option("--body-timeout", o.body_timeout, "seconds between two reads of a request body (then 408)")
      ->check(seconds)
      ->capture_default_str();
  app.add_option("--send-timeout", o.send_timeout, "seconds to write a response before the client is dropped")
      ->check(seconds)
      ->capture_default_str();
  app.add_option("--max-request-line", o.limits.max_start_line, "longest request line in bytes (then 414)")
      ->check(CLI::Range(16, 1 << 20))
      ->capture_default_str();
  app.add_option("--max-header-bytes", o.limits.max_header_bytes,
                 "largest header section in bytes (then 431)")
      ->check(CLI::Range(64, 1 << 24))
      ->capture_default_str();
  app.add_option("--max-fields", o.limits.max_fields, "most header fields in a request (then 431)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--max-body", o.limits.max_body, "largest request body in bytes (then 413)")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
}

server_config make_config(const options& o) {
  server_config config;
  config.host = o.host;
  config.backlog = o.backlog;
  config.threads = o.threads;
  config.verbose = o.verbose;
  config.limits = o.limits;
  config.timeouts.header = to_duration(o.header_timeout);
  config.timeouts.idle = to_duration(o.idle_timeout);
  config.timeouts.body = to_duration(o.body_timeout);
  config.timeouts.send = to_duration(o.send_timeout);
  if (o.sites.empty()) {
    config.sites = default_sites();
  } else {
    std::set<std::uint16_t> ports;
    for (const auto& text : o.sites) {
      auto s = parse_site(text);
      if (s.port != 0 && !ports.insert(s.port).second) {
        throw std::invalid_argument("--site: port " + std::to_string(s.port) +
                                    " is given twice; each site needs a port of its own");
      }
      config.sites.push_back(std::move(s));
    }
  }
  for (const auto& s : config.sites) {  // unknown languages fail before any port is bound
    try {
      (void)make_site(s.spec);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("--site " + std::to_string(s.port) + "=" + s.spec + ": " + e.what());
    }
  }
  return config;
}

}  // namespace

site_config parse_site(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    throw std::invalid_argument("--site " + net::quoted(text) + ": write PORT=LANG, e.g. --site 8888=en");
  }
  site_config s;
  try {
    s.port = net::parse_port(text.substr(0, eq));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("--site " + net::quoted(text) + ": " + e.what());
  }
  s.spec = std::string(text.substr(eq + 1));
  return s;
}

std::variant<command_line, int> parse_command_line(int argc, const char* const* argv, std::ostream& out,
                                                   std::ostream& err) {
  CLI::App app{
      "socketlab-server: a multi-port HTTP/1.1 server for learning network programming.\n"
      "Each port is a site; with no options it serves the original exercise's three.",
      std::string(program)};
  app.set_version_flag("--version", std::string(program) + " " + SOCKETLAB_VERSION);
  app.set_config("--config", "",
                 "read options from a file: one per line, e.g.  site = [\"8888=en\", \"8881=fr\"]");
  app.footer(languages_footer());
  options opts;
  add_options(app, opts);
  // `socketlab-server http ...` is the same as `socketlab-server ...`: the options live on
  // the main command and fall through; tcp-echo and udp-echo will be siblings of `http`.
  app.add_subcommand("http", "serve HTTP on every --site (the default command)")->fallthrough();
  command_line line;
  auto* udp = add_udp_echo_command(app, line.udp);
  auto* tcp = add_tcp_echo_command(app, line.tcp);
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
    if (udp->parsed()) {
      line.what = command_line::command::udp_echo;
      (void)net::parse_address(line.udp.host);  // a bad --host is a usage error, found now
      return line;
    }
    if (tcp->parsed()) {
      line.what = command_line::command::tcp_echo;
      (void)net::parse_address(line.tcp.host);
      return line;
    }
    line.config = make_config(opts);
    line.access_log = opts.access_log;
    return line;
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << program << ": " << e.what() << "; see " << program << " --help\n";
  } catch (const std::invalid_argument& e) {
    err << program << ": " << e.what() << "\n";
  }
  return 2;
}

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  auto parsed = parse_command_line(argc, argv, out, err);
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  auto& line = std::get<command_line>(parsed);
  if (line.what == command_line::command::udp_echo) return run_udp_echo(line.udp, out, err);
  if (line.what == command_line::command::tcp_echo) return run_tcp_echo(line.tcp, out, err);
  auto& config = line.config;
  const auto& access_log = line.access_log;

  try {
    std::ofstream log_file;
    if (access_log != "off" && access_log != "-") {
      log_file.open(access_log, std::ios::app);
      if (!log_file) {
        err << program << ": cannot open access log '" << access_log
            << "' for appending; give a writable file, - for standard output, or off\n";
        return 2;
      }
    }
    // The banner and -v go to standard output; the access log where --access-log says.
    auto console = std::make_shared<stream_log>(out);
    std::shared_ptr<stream_log> access;
    if (access_log == "-") access = console;
    if (log_file.is_open()) access = std::make_shared<stream_log>(log_file);
    config.console = [console](std::string_view text) { console->write(text); };
    if (access) config.access_log = [access](std::string_view text) { access->write(text); };

    http_server server(config);
    // Installed before the banner: once a user (or a test) sees the banner, Ctrl+C is handled.
    net::shutdown_signal signals(server.executor(), [&](int signal) {
      console->write(std::string(program) + ": " + (signal == SIGINT ? "SIGINT" : "SIGTERM") +
                     " received; finishing the requests under way\n");
      server.stop();
    });
    std::string banner = std::string(program) + " " + SOCKETLAB_VERSION + ": async model, " +
                         std::to_string(config.threads) + (config.threads == 1 ? " thread\n" : " threads\n");
    for (const auto& s : server.sites()) {
      banner += "  http://" + net::to_string(s.endpoint) + "/  " + s.description + "\n";
    }
    banner += "Press Ctrl+C to stop.\n";
    console->write(banner);

    server.run();
    console->write(std::string(program) + ": stopped\n");
    return 0;
  } catch (const listen_failure& e) {
    err << program << ": " << explain(e) << "\n";
  } catch (const std::exception& e) {
    err << program << ": " << e.what() << "\n";
  }
  return 1;
}

}  // namespace socketlab::server
