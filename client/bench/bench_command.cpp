#include "client/bench/bench_command.hpp"

#include <functional>
#include <memory>
#include <stdexcept>

#include "client/bench/bench_report.hpp"
#include "client/console.hpp"
#include "client/failure.hpp"
#include "client/format.hpp"
#include "client/http/blocking_tcp_client.hpp"

namespace socketlab::client {
namespace {

/// How long bench's first connection may take. Not bench's --timeout (2 s by default): on
/// Windows a refused connection takes about 2 s, as the system retries before giving up.
constexpr std::chrono::seconds probe_timeout{10};

/// The bench_options that @p line says, checked.
bench_options to_options(const bench_command_line& line) {
  bench_options bench = line.options;
  bench.target = parse_url(line.url);
  bench.request = to_request(line.request);
  bench.request.keep_alive = !line.no_keepalive;
  bench.duration = parse_duration(line.duration);
  bench.timeout = parse_duration(line.timeout);
  if (bench.connections < bench.threads) {
    throw std::invalid_argument("-c " + std::to_string(bench.connections) + " with -t " +
                                std::to_string(bench.threads) + ": each thread needs a connection; use -c " +
                                std::to_string(bench.threads) + " or more");
  }
  return bench;
}

/// Finds the server with one connection, as get would.
/// @param target the URL
/// @param server set to the address that accepted
/// @return the failure when none did
std::optional<failure> probe(const url& target, asio::ip::tcp::endpoint& server) {
  blocking_tcp_client first;
  const auto deadline = blocking_tcp_client::clock::now() + probe_timeout;
  if (const auto ec = first.open(target.host, target.port, deadline)) {
    return explain_open(target.host, target.port, first.tried(), ec, probe_timeout);
  }
  server = first.remote();
  return std::nullopt;
}

/// The live line of a benchmark on a terminal: elapsed time, requests, and the rate of the last second.
std::function<void(const bench_progress&)> progress_line(std::ostream& err) {
  auto last = std::make_shared<bench_progress>();
  return [&err, last](const bench_progress& p) {
    const double seconds = (p.elapsed - last->elapsed).count();
    const double rate = seconds > 0 ? static_cast<double>(p.requests - last->requests) / seconds : 0.0;
    err << format("\r  %5.1fs  %12llu requests  %12.0f req/s ", p.elapsed.count(),
                  static_cast<unsigned long long>(p.requests), rate)
        << std::flush;
    *last = p;
  };
}

}  // namespace

CLI::App* add_bench_command(CLI::App& app, bench_command_line& line) {
  bench_options& bench = line.options;
  auto* cmd = app.add_subcommand("bench", "load a server like wrk and report latency and requests/sec");
  cmd->add_option("URL", line.url, "http://host[:port][/path]")->required();
  cmd->add_option("-c,--connections", bench.connections, "connections kept open and busy")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  add_duration_option(*cmd, "-d,--duration", line.duration, "how long to run, e.g. 10, 10s, 500ms, 1m");
  cmd->add_option("-t,--threads", bench.threads, "threads, each with its own event loop")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  add_duration_option(*cmd, "--timeout", line.timeout,
                      "a request slower than this counts as a timeout error");
  cmd->add_flag("--no-keepalive", line.no_keepalive,
                "a new connection for every request (Connection: close)");
  cmd->add_flag("--json", line.json, "print the summary as JSON");
  add_request_flags(*cmd, line.request);
  return cmd;
}

int run_bench_command(const bench_command_line& line, std::ostream& out, std::ostream& err) {
  const bench_options bench = to_options(line);
  asio::ip::tcp::endpoint server;
  if (const auto failed = probe(bench.target, server)) return report_failure(*failed, err);
  const bool live = !line.json && console::stderr_is_terminal();
  const bench_result result = run_bench(bench, server, live ? progress_line(err) : nullptr);
  if (live) err << "\r\x1b[K" << std::flush;  // erase the progress line
  if (line.json) {
    write_bench_json(bench, line.url, result, out);
  } else {
    write_bench_report(bench, line.url, result, out);
  }
  return exit_status::ok;
}

}  // namespace socketlab::client
