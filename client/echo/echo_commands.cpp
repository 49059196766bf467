#include "client/echo/echo_commands.hpp"

#include <stdexcept>

#include "client/echo/echo_failure.hpp"
#include "client/echo/echo_report.hpp"
#include "client/failure.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/quoted.hpp"

namespace socketlab::client {
namespace {

/// "127.0.0.1:7007": where the echo commands send by default.
std::string default_server() {
  return "127.0.0.1:" + std::to_string(default_echo_port);
}

/// --count, --size, --interval and --timeout: the workload every echo command has.
void add_workload_flags(CLI::App& cmd, echo_options& options, int& interval_ms, int& timeout_ms) {
  cmd.add_option("--count", options.count, "numbered messages to send")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  cmd.add_option("--size", options.size, "bytes per message; the first 8 carry its number")
      ->check(CLI::Range(0, 16 << 20))
      ->capture_default_str();
  cmd.add_option("--interval", interval_ms,
                 "milliseconds between messages; 0 sends each as soon as the previous echo is back")
      ->check(CLI::Range(0, 3'600'000))
      ->capture_default_str();
  cmd.add_option("--timeout", timeout_ms, "milliseconds to wait for an echo (and to connect)")
      ->check(CLI::Range(1, 3'600'000))
      ->capture_default_str();
}

/// Puts HOST:PORT as the echo commands take it ("127.0.0.1:7007", "[::1]:7007", "localhost")
/// into @p options.
/// @param what the command or option it came with, to begin a mistake's message
void set_server(echo_options& options, const std::string& text, const std::string& what) {
  net::host_port endpoint;
  try {
    endpoint = net::parse_host_port(text, default_echo_port);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(what + " " + e.what());
  }
  if (endpoint.port == 0) {
    throw std::invalid_argument(what + " " + net::quoted(text) +
                                ": port 0 cannot be sent to; give the server's port, e.g. " +
                                default_server());
  }
  options.host = std::move(endpoint.host);
  options.port = endpoint.port;
}

/// The echo_options that @p line says, checked.
echo_options to_options(const echo_command_line& line) {
  echo_options options = line.options;
  set_server(options, line.server, command_name(line.transport));
  options.interval = std::chrono::milliseconds(line.interval_ms);
  options.timeout = std::chrono::milliseconds(line.timeout_ms);
  if (line.transport == echo_transport::tcp && options.size == 0) {
    throw std::invalid_argument(
        "--size 0: TCP carries bytes, not messages, and writing 0 bytes sends nothing; use --size 1 or more "
        "(udp-echo --size 0 sends empty datagrams)");
  }
  return options;
}

}  // namespace

echo_command_line::echo_command_line(echo_transport t) : transport(t), server(default_server()) {
  if (t == echo_transport::tcp) options.burst = 10;
}

compare_command_line::compare_command_line()
    : options(default_compare_options()),
      tcp(default_server()),
      udp(default_server()),
      timeout_ms(static_cast<int>(options.tcp.timeout.count())) {}

CLI::App* add_echo_command(CLI::App& app, echo_command_line& line) {
  auto* cmd =
      line.transport == echo_transport::udp
          ? app.add_subcommand("udp-echo",
                               "send numbered datagrams to an echo server; loss, order, round trips")
          : app.add_subcommand("tcp-echo",
                               "the same over one TCP connection, and how separate writes come back as "
                               "a stream");
  echo_options& options = line.options;
  cmd->add_option("SERVER", line.server, "the echo server")->type_name("HOST:PORT")->capture_default_str();
  add_workload_flags(*cmd, options, line.interval_ms, line.timeout_ms);
  cmd->add_option("--buffer", options.buffer,
                  "bytes one receive can take (udp-echo: a larger datagram is truncated; tcp-echo: the rest "
                  "waits for the next receive)")
      ->check(CLI::Range(1, 16 << 20))
      ->capture_default_str();
  cmd->add_option("--burst", options.burst,
                  "then K more messages written back to back, to see what the receives make of them")
      ->check(CLI::Range(0, 10'000))
      ->capture_default_str();
  cmd->add_flag("-v,--verbose", line.verbose, "a line per echo, and the numbers that got none");
  return cmd;
}

int run_echo_command(const echo_command_line& line, std::ostream& out, std::ostream& err) {
  const echo_options options = to_options(line);
  write_echo_header(line.transport, options, out);
  echo_observer observer;
  if (line.verbose) observer = [&](const echo_event& e) { out << echo_line(e, options) << "\n"; };
  const echo_result result = run_echo(line.transport, options, observer);
  const failure f = explain_echo_run(result, options);
  const bool nothing_happened = result.failed_step == "resolve" || result.failed_step == "connect" ||
                                f.status == exit_status::usage || f.status == exit_status::connect;
  if (!nothing_happened) write_echo_statistics(result, options, line.verbose, out);
  if (f.status != exit_status::ok) return report_failure(f, err);
  return exit_status::ok;
}

CLI::App* add_compare_command(CLI::App& app, compare_command_line& line) {
  auto* cmd = app.add_subcommand("compare", "the same messages over TCP and UDP, side by side in one table");
  cmd->add_option("--tcp", line.tcp, "the TCP echo server (socketlab-server tcp-echo)")
      ->type_name("HOST:PORT")
      ->capture_default_str();
  cmd->add_option("--udp", line.udp, "the UDP echo server (socketlab-server udp-echo)")
      ->type_name("HOST:PORT")
      ->capture_default_str();
  add_workload_flags(*cmd, line.options.tcp, line.interval_ms, line.timeout_ms);
  return cmd;
}

int run_compare_command(const compare_command_line& line, std::ostream& out, std::ostream& err) {
  compare_options compare = line.options;
  if (compare.tcp.size < sequence_bytes) {
    throw std::invalid_argument(
        "--size " + std::to_string(compare.tcp.size) + ": compare numbers every message in its first " +
        std::to_string(sequence_bytes) + " bytes; use --size " + std::to_string(sequence_bytes) + " or more");
  }
  set_server(compare.tcp, line.tcp, "--tcp");
  compare.tcp.timeout = std::chrono::milliseconds(line.timeout_ms);
  compare.tcp.interval = std::chrono::milliseconds(line.interval_ms);
  const auto udp_large = compare.udp.large;
  compare.udp = compare.tcp;  // the same workload over both
  compare.udp.large = udp_large;
  set_server(compare.udp, line.udp, "--udp");
  return run_compare(compare, out, err);
}

}  // namespace socketlab::client
