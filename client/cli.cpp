// The program's command line. Each command adds its own options and runs once they are parsed
// (http/get_command, bench/bench_command, backlog/backlog_command, hold/hold_command,
// echo/echo_commands); what is left here is the program around them: its help, its version, and
// the one line a mistake gets.
#include "client/cli.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "client/backlog/backlog_command.hpp"
#include "client/bench/bench_command.hpp"
#include "client/echo/echo_commands.hpp"
#include "client/failure.hpp"
#include "client/hold/hold_command.hpp"
#include "client/http/get_command.hpp"
#include "socketlab/cli/doc_commands.hpp"
#include "socketlab/cli/program.hpp"
#include "socketlab/net/quoted.hpp"

namespace socketlab::client {
namespace {

/// What the manual page says besides the command line.
cli::man_info man_info() {
  return {std::string("socketlab ") + SOCKETLAB_VERSION,
          "see what happens on the wire, load a server like wrk, fill a listen queue, hold idle connections, "
          "and put TCP and UDP side by side",
          {"socketlab-server(1)", "curl(1)", "wrk(1)"},
          cli::lessons_note()};
}

/// The program's command line, before its commands are added.
std::unique_ptr<CLI::App> make_app() {
  auto app = std::make_unique<CLI::App>(
      "socketlab-client: see what happens on the wire (get), load a server like wrk (bench),\n"
      "fill a listen queue (backlog), hold idle connections (hold), and put TCP and UDP side by side\n"
      "(udp-echo, tcp-echo, compare).",
      std::string(program));
  app->set_version_flag("--version", std::string(program) + " " + SOCKETLAB_VERSION);
  app->require_subcommand(1);
  app->footer(std::string(exit_status::help));
  return app;
}

/// The one line for a command line CLI11 could not parse: an unknown command is named, with the
/// commands there are; anything else points at the --help of the command that was given.
/// @return the exit status
int report_parse_error(const CLI::ParseError& e, const std::vector<CLI::App*>& commands, int argc,
                       const char* const* argv, std::ostream& err) {
  const bool none_parsed =
      std::none_of(commands.begin(), commands.end(), [](const CLI::App* cmd) { return cmd->parsed(); });
  if (argc > 1 && argv[1][0] != '-' && none_parsed) {
    err << program << ": " << net::quoted(argv[1])
        << " is not a command; use get, bench, backlog, hold, udp-echo, tcp-echo or compare (see " << program
        << " --help)\n";
    return exit_status::usage;
  }
  // Point at the help of the command that was given: `get --help` lists get's options.
  std::string help = std::string(program) + " --help";
  for (const auto* cmd : commands) {
    if (cmd->parsed()) help = std::string(program) + " " + cmd->get_name() + " --help";
  }
  err << program << ": " << e.what() << "; see " << help << "\n";
  return exit_status::usage;
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  // Made inside the try: a CLI11 version that refuses a definition throws while it is set up.
  std::unique_ptr<CLI::App> app;
  std::vector<CLI::App*> commands;
  try {
    app = make_app();
    get_command_line get;
    bench_command_line bench;
    backlog_command_line backlog;
    hold_command_line hold;
    echo_command_line udp_echo(echo_transport::udp);
    echo_command_line tcp_echo(echo_transport::tcp);
    compare_command_line compare;
    auto* get_cmd = add_get_command(*app, get);
    auto* bench_cmd = add_bench_command(*app, bench);
    auto* backlog_cmd = add_backlog_command(*app, backlog);
    auto* hold_cmd = add_hold_command(*app, hold);
    auto* udp_cmd = add_echo_command(*app, udp_echo);
    auto* tcp_cmd = add_echo_command(*app, tcp_echo);
    auto* compare_cmd = add_compare_command(*app, compare);
    commands = {get_cmd, bench_cmd, backlog_cmd, hold_cmd, udp_cmd, tcp_cmd, compare_cmd};
    const cli::doc_commands docs(*app, man_info());

    app->parse(argc, argv);
    if (docs.answer(out)) return exit_status::ok;
    if (get_cmd->parsed()) return run_get_command(get, out, err);
    if (bench_cmd->parsed()) return run_bench_command(bench, out, err);
    if (backlog_cmd->parsed()) return run_backlog_command(backlog, out, err);
    if (hold_cmd->parsed()) return run_hold_command(hold, out, err);
    if (udp_cmd->parsed()) return run_echo_command(udp_echo, out, err);
    if (tcp_cmd->parsed()) return run_echo_command(tcp_echo, out, err);
    return run_compare_command(compare, out, err);
  } catch (const CLI::Success& e) {  // --help, --version
    return app->exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    return report_parse_error(e, commands, argc, argv, err);
  } catch (const CLI::Error& e) {
    return cli::report_setup_error(program, e, err);
  } catch (const std::invalid_argument& e) {
    err << program << ": " << e.what() << "\n";
  } catch (const std::exception& e) {  // e.g. no memory for -c 100000 connections
    err << program << ": " << e.what() << "\n";
    return exit_status::failed;
  }
  return exit_status::usage;
}

}  // namespace socketlab::client
