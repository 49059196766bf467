#include "server/cli.hpp"

#include <memory>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include "server/echo/echo_commands.hpp"
#include "server/http_command.hpp"
#include "server/http_options.hpp"
#include "server/messages.hpp"
#include "socketlab/cli/doc_commands.hpp"
#include "socketlab/cli/program.hpp"
#include "socketlab/net/endpoint.hpp"

namespace socketlab::server {
namespace {

/// What the manual page says besides the command line.
cli::man_info man_info() {
  return {std::string("socketlab ") + SOCKETLAB_VERSION,
          "a multi-port HTTP/1.1 server, and TCP and UDP echo servers, for learning network programming",
          {"socketlab-client(1)", "curl(1)", "nginx(8)"},
          cli::lessons_note()};
}

}  // namespace

std::variant<command_line, int> parse_command_line(int argc, const char* const* argv, std::ostream& out,
                                                   std::ostream& err) {
  // Made inside the try: a CLI11 version that refuses a definition throws while it is set up.
  std::unique_ptr<CLI::App> app;
  try {
    app = std::make_unique<CLI::App>(
        "socketlab-server: a multi-port HTTP/1.1 server for learning network programming.\n"
        "Each port is a site; with no options it serves the original exercise's three.",
        std::string(program_name));
    app->set_version_flag("--version", std::string(program_name) + " " + SOCKETLAB_VERSION);
    http_options opts;
    app->footer(languages_footer());
    add_http_options(*app, opts);
    // `socketlab-server http ...` is the same as `socketlab-server ...`: the options live on
    // the main command and fall through; tcp-echo and udp-echo are siblings of `http`.
    app->add_subcommand("http", "serve HTTP on every --site (the default command)")->fallthrough();
    command_line line;
    auto* udp = add_udp_echo_command(*app, line.udp);
    auto* tcp = add_tcp_echo_command(*app, line.tcp);
    const cli::doc_commands docs(*app, man_info());
    app->require_subcommand(0, 1);

    app->parse(argc, argv);
    if (docs.answer(out)) return 0;
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
    return app->exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << program_name << ": " << e.what() << "; see " << program_name << " --help\n";
  } catch (const CLI::Error& e) {
    return cli::report_setup_error(program_name, e, err);
  } catch (const std::invalid_argument& e) {
    err << program_name << ": " << e.what() << "\n";
  }
  return cli::usage_status;
}

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  auto parsed = parse_command_line(argc, argv, out, err);
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  auto& line = std::get<command_line>(parsed);
  if (line.what == command_line::command::udp_echo) return run_udp_echo(line.udp, out, err);
  if (line.what == command_line::command::tcp_echo) return run_tcp_echo(line.tcp, out, err);
  return run_http(std::move(line.config), line.access_log, out, err);
}

}  // namespace socketlab::server
