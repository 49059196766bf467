#include "client/hold/hold_command.hpp"

#include <algorithm>
#include <stdexcept>
#include <variant>

#include <asio/error.hpp>

#include "client/failure.hpp"
#include "client/first_address.hpp"
#include "client/hold/hold_report.hpp"
#include "client/platform.hpp"

namespace socketlab::client {
namespace {

/// Checks that --server-pid names a process whose memory can be read (off Linux, where none can,
/// the report says so instead).
void check_server_pid(std::int64_t pid) {
  std::error_code ec;
  (void)platform::resident_memory(pid, ec);
  const std::string option = "--server-pid " + std::to_string(pid);
  if (ec == std::errc::no_such_process) {
    throw std::invalid_argument(option + ": no such process; the server's is $(pgrep -n socketlab-server)");
  }
  if (ec == std::errc::invalid_argument) {
    throw std::invalid_argument(option +
                                ": that process has no memory of its own (a kernel thread?); give the "
                                "server's, $(pgrep -n socketlab-server)");
  }
}

/// The hold_options that @p line says, checked.
hold_options to_options(const hold_command_line& line) {
  hold_options hold = line.options;
  hold.target = parse_url(line.url);
  hold.request = to_request(line.request);
  hold.request.keep_alive = true;
  hold.send_request = !line.no_request;
  hold.timeout = parse_duration(line.timeout);
  hold.hold = line.hold == "0" ? hold_options::duration{0} : parse_duration(line.hold);
  if (line.no_request && (!line.request.method.empty() || !line.request.headers.empty())) {
    throw std::invalid_argument(
        "--no-request sends nothing, so -X and -H have nothing to change; drop them "
        "or --no-request");
  }
  if (line.server_pid != 0) {
    check_server_pid(line.server_pid);
    hold.server_pid = line.server_pid;
  }
  return hold;
}

/// Whether every connection failed alike before connecting, for a reason get would say in one line.
bool none_could_connect(const hold_result& r) {
  if (r.held > 0 || r.failures.size() != 1 || r.failures.front().connected) return false;
  const std::error_code& e = r.failures.front().error;
  return e == asio::error::connection_refused || e == asio::error::timed_out ||
         e == asio::error::host_unreachable || e == asio::error::network_unreachable;
}

/// 0 when all were held; else the exit status of the commonest reason they were not.
int exit_status_of(const hold_options& options, const hold_result& r) {
  if (r.held >= options.count) return exit_status::ok;
  const auto commonest =
      std::max_element(r.failures.begin(), r.failures.end(),
                       [](const hold_failure& a, const hold_failure& b) { return a.count < b.count; });
  return commonest == r.failures.end() ? exit_status::failed : commonest->status;
}

}  // namespace

CLI::App* add_hold_command(CLI::App& app, hold_command_line& line) {
  auto* cmd = app.add_subcommand(
      "hold",
      "open N connections, keep them idle, and measure the server's memory per connection (the C10k lab)");
  cmd->add_option("URL", line.url, "http://host[:port][/path]")->required();
  cmd->add_option("-n,--connections", line.options.count, "connections to open and hold, all at once")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  cmd->add_flag("--no-request", line.no_request,
                "only connect: send nothing (the server's header timeout then closes them)");
  // Process ids are 32-bit numbers on Windows, smaller on Linux.
  cmd->add_option("--server-pid", line.server_pid,
                  "the server's process id, to read its memory (Linux), e.g. $(pgrep -n socketlab-server)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{0xffffffff}));
  cmd->add_option("--probes", line.options.probes,
                  "fresh requests timed, one after another, while they are held")
      ->check(CLI::Range(0, 100'000))
      ->capture_default_str();
  add_duration_option(*cmd, "--hold", line.hold,
                      "how long to keep them once all are open, e.g. 30, 2m (0: report and close at once)");
  add_duration_option(*cmd, "--timeout", line.timeout, "for each connection to connect and be answered");
  add_request_flags(*cmd, line.request);
  return cmd;
}

int run_hold_command(const hold_command_line& line, std::ostream& out, std::ostream& err) {
  const hold_options options = to_options(line);
  const auto server = first_address(options.target, options.timeout, err);
  if (const auto* status = std::get_if<int>(&server)) return *status;
  const auto& address = std::get<asio::ip::tcp::endpoint>(server);
  const hold_result result = run_hold(options, address);
  if (none_could_connect(result)) {
    return report_unreachable(options.target, address, result.failures.front().error, options.timeout, err);
  }
  write_hold_report(options, result, out);
  return exit_status_of(options, result);
}

}  // namespace socketlab::client
