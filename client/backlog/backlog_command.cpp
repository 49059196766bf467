#include "client/backlog/backlog_command.hpp"

#include <algorithm>
#include <variant>

#include "client/backlog/backlog_report.hpp"
#include "client/failure.hpp"
#include "client/first_address.hpp"

namespace socketlab::client {
namespace {

/// The backlog_options that @p line says, checked.
backlog_options to_options(const backlog_command_line& line) {
  backlog_options backlog = line.options;
  backlog.target = parse_url(line.url);
  backlog.request = to_request(line.request);
  backlog.hold = std::chrono::milliseconds(line.hold_ms);
  backlog.timeout = parse_duration(line.timeout);
  return backlog;
}

/// Whether every connection failed, and for the same reason.
bool all_failed_alike(const std::vector<backlog_entry>& entries) {
  return std::all_of(entries.begin(), entries.end(), [&](const backlog_entry& e) {
    return !e.connected && e.failure && e.failure == entries.front().failure;
  });
}

}  // namespace

CLI::App* add_backlog_command(CLI::App& app, backlog_command_line& line) {
  auto* cmd = app.add_subcommand(
      "backlog", "open N connections at once and show who was served when (the listen queue lab)");
  cmd->add_option("URL", line.url, "http://host[:port][/path]")->required();
  cmd->add_option("-n,--connections", line.options.count, "connections opened at once")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--hold", line.hold_ms, "milliseconds each connection stays open after its response")
      ->check(CLI::Range(0, 3600000))
      ->capture_default_str();
  add_duration_option(*cmd, "--timeout", line.timeout,
                      "when to give up on the connections still waiting, e.g. 60, 0.5, 500ms");
  add_request_flags(*cmd, line.request);
  return cmd;
}

int run_backlog_command(const backlog_command_line& line, std::ostream& out, std::ostream& err) {
  const backlog_options options = to_options(line);
  const auto server = first_address(options.target, options.timeout, err);
  if (const auto* status = std::get_if<int>(&server)) return *status;
  const auto& address = std::get<asio::ip::tcp::endpoint>(server);
  const auto entries = run_backlog(options, address);
  if (all_failed_alike(entries)) {
    return report_unreachable(options.target, address, entries.front().failure, options.timeout, err);
  }
  write_backlog_report(options, entries, out);
  // The table is shown either way; but a lab in which no connection got an answer failed, and
  // a script should see it (curl's number for the first connection's reason).
  const bool none_answered =
      std::none_of(entries.begin(), entries.end(), [](const backlog_entry& e) { return e.error.empty(); });
  if (!none_answered) return exit_status::ok;
  return entries.front().failure == asio::error::timed_out ? exit_status::timeout : exit_status::failed;
}

}  // namespace socketlab::client
