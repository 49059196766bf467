#include "server/echo/echo_commands.hpp"

#include <memory>
#include <string>
#include <system_error>

#include "server/access_log.hpp"
#include "server/messages.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/shutdown_signal.hpp"

namespace socketlab::server {
namespace {

/// --port and --host, the same for both echo servers.
void add_address_options(CLI::App& cmd, std::string& host, std::uint16_t& port) {
  cmd.add_option("--port", port, "port to listen on (the echo service's own port 7 needs privileges)")
      ->capture_default_str();
  cmd.add_option("--host", host, "address to listen on; 0.0.0.0 or :: exposes the server")
      ->capture_default_str();
}

/// Milliseconds given as a whole number on the command line.
void add_milliseconds(CLI::App& cmd, const std::string& name, std::chrono::milliseconds& value,
                      const std::string& help) {
  cmd.add_option_function<long>(
         name, [&value](long ms) { value = std::chrono::milliseconds(ms); }, help)
      ->check(CLI::Range(0L, 3'600'000L))
      ->type_name("MS");
}

/// "SIMULATION: drop 30 %, delay 20 ms + 0..5 ms jitter, seed 5 (...)": only what is on.
std::string describe(const impairment_config& s) {
  const auto percent = [](double p) { return std::to_string(static_cast<int>(p * 100.0 + 0.5)) + " %"; };
  std::string parts;
  const auto add = [&parts](const std::string& part) { parts += (parts.empty() ? "" : ", ") + part; };
  if (s.drop > 0) add("drop " + percent(s.drop));
  if (s.duplicate > 0) add("duplicate " + percent(s.duplicate));
  if (s.reorder > 0) add("reorder " + percent(s.reorder));
  if (s.delay.count() > 0) add("delay " + std::to_string(s.delay.count()) + " ms");
  if (s.jitter.count() > 0) add("jitter 0.." + std::to_string(s.jitter.count()) + " ms");
  add("seed " + std::to_string(s.seed));
  return "SIMULATION: " + parts + " (made up here: loopback itself loses nothing)";
}

/// Runs an echo server until a stop signal: the banner first, the summary last. A start-up
/// failure (a taken port, a bad address) is one line on @p err and exit status 1.
/// @param name the command, for the error line
/// @param banner the first lines, given the bound server
/// @param summary the last line, given the stopped server
template <typename Server, typename Config, typename Banner, typename Summary>
int run_echo(std::string_view name, Config config, std::ostream& out, std::ostream& err, Banner banner,
             Summary summary) {
  auto console = std::make_shared<stream_log>(out);
  config.console = [console](std::string_view text) { console->write(text); };
  try {
    asio::io_context io(1);
    Server server(io, config);
    net::shutdown_signal signals(io.get_executor(), [&](int signal) {
      console->write(stop_signal_line(signal, "stopping"));
      server.stop();
    });
    server.start();
    console->write(std::string(program_name) + " " + SOCKETLAB_VERSION + ": " + banner(server) +
                   "Press Ctrl+C to stop.\n");
    io.run();
    console->write(std::string(program_name) + ": " + summary(server) + "\n");
    return 0;
  } catch (const net::listen_failure& e) {  // the port could not be bound or listened on
    err << program_name << ": " << name << ": "
        << explain(e, 7007, [](std::uint16_t port) { return "--port " + std::to_string(port); }) << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << program_name << ": " << name << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

CLI::App* add_udp_echo_command(CLI::App& app, udp_echo_config& config) {
  auto* cmd = app.add_subcommand("udp-echo", "echo each UDP datagram to its sender (RFC 862)");
  add_address_options(*cmd, config.host, config.port);
  cmd->add_flag("-v,--verbose", config.verbose, "a line per datagram");
  cmd->add_option("--rate-limit", config.rate_limit,
                  "most datagrams answered per second per sender (0: no limit)")
      ->check(CLI::Range(0.0, 1e9));
  const auto probability = CLI::Range(0.0, 1.0);
  auto& s = config.impair;
  cmd->add_option("--drop", s.drop, "simulation: drop each datagram with probability P (no echo)")
      ->check(probability)
      ->type_name("P");
  cmd->add_option("--duplicate", s.duplicate, "simulation: echo twice with probability P")
      ->check(probability)
      ->type_name("P");
  cmd->add_option("--reorder", s.reorder, "simulation: hold an echo back until after the next, probability P")
      ->check(probability)
      ->type_name("P");
  add_milliseconds(*cmd, "--delay", s.delay, "simulation: delay every echo");
  add_milliseconds(*cmd, "--jitter", s.jitter, "simulation: add a random 0..MS to each delay");
  cmd->add_option("--seed", s.seed, "simulation: the random seed; the same seed gives the same run")
      ->capture_default_str();
  cmd->footer(
      "The simulation options make up loss, delay, duplicates and reordering here, so a lesson can\n"
      "show them on loopback, where the network itself loses nothing; the banner says SIMULATION.\n"
      "Datagrams from ports 7, 13, 19, 37, 53 and 123 are never answered (no echo loops).");
  return cmd;
}

CLI::App* add_tcp_echo_command(CLI::App& app, tcp_echo_config& config) {
  auto* cmd = app.add_subcommand("tcp-echo", "echo every byte of each TCP connection back (RFC 862)");
  add_address_options(*cmd, config.host, config.port);
  cmd->add_flag("-v,--verbose", config.verbose, "a line per read");
  cmd->add_option("--backlog", config.backlog, "listen queue length (default: the system maximum)")
      ->check(CLI::Range(1, 1 << 20));
  add_milliseconds(*cmd, "--idle-timeout", config.idle, "close a connection idle this long");
  cmd->footer(
      "A byte stream has no message boundaries: -v shows how the writes of a client arrive\nin reads.");
  return cmd;
}

int run_udp_echo(udp_echo_config config, std::ostream& out, std::ostream& err) {
  const auto s = config.impair;
  return run_echo<udp_echo_server>(
      "udp-echo", std::move(config), out, err,
      [&s](const udp_echo_server& server) {
        std::string banner = "UDP echo on udp://" + net::to_string(server.local_endpoint()) + "\n";
        if (s.active()) banner += "  " + describe(s) + "\n";
        return banner;
      },
      [](const udp_echo_server& server) {
        const auto& st = server.stats();
        return std::to_string(st.received) + " datagrams received, " + std::to_string(st.echoed) +
               " echoed, " + std::to_string(st.dropped) + " dropped, " + std::to_string(st.duplicated) +
               " duplicated and " + std::to_string(st.held_back) + " held back (simulated), " +
               std::to_string(st.rate_limited) + " over the rate limit, " + std::to_string(st.refused) +
               " from service ports";
      });
}

int run_tcp_echo(tcp_echo_config config, std::ostream& out, std::ostream& err) {
  return run_echo<tcp_echo_server>(
      "tcp-echo", std::move(config), out, err,
      [](const tcp_echo_server& server) {
        return "TCP echo on " + net::to_string(server.local_endpoint()) + "\n";
      },
      [](const tcp_echo_server& server) {
        const auto n = server.connections();
        return std::to_string(n) + (n == 1 ? " connection served" : " connections served");
      });
}

}  // namespace socketlab::server
