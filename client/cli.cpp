#include "client/cli.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "client/backlog.hpp"
#include "client/bench.hpp"
#include "client/bench_report.hpp"
#include "client/connection.hpp"
#include "client/console.hpp"
#include "client/echo_commands.hpp"
#include "client/failure.hpp"
#include "client/format.hpp"
#include "client/get_command.hpp"
#include "socketlab/cli/doc_commands.hpp"
#include "socketlab/cli/program.hpp"
#include "socketlab/http/detail/syntax.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/quoted.hpp"
#include "socketlab/net/resolve.hpp"

namespace socketlab::client {
namespace {

constexpr std::string_view program = "socketlab-client";

constexpr std::string_view exit_status_footer =
    "Exit status (curl's numbers): 0 done, 2 bad command line, 6 unknown host, 7 could not connect,\n"
    "8 malformed response, 18 response cut short, 22 status >= 400 with --fail, 23 cannot write -o,\n"
    "28 timeout, 52 empty reply, 55 send failed, 56 receive failed.";

/// The options every command that sends a request shares: -X and -H.
struct request_flags {
  std::string method;
  std::vector<std::string> headers;
};

void add_request_flags(CLI::App& cmd, request_flags& flags) {
  cmd.add_option("-X,--request", flags.method, "request method, e.g. POST (default GET)");
  cmd.add_option("-H,--header", flags.headers,
                 "extra header field, 'Name: value'; 'Name:' drops a default one")
      ->allow_extra_args(false);
}

/// -X and -H checked and put into request_options.
request_options to_request(const request_flags& flags) {
  request_options r;
  r.method = flags.method;
  if (!r.method.empty() && !http::detail::is_token(r.method)) {
    throw std::invalid_argument("-X " + net::quoted(r.method) +
                                ": a method is a token such as GET, POST or DELETE");
  }
  for (const auto& h : flags.headers)
    check_header_option(h);
  r.headers = flags.headers;
  return r;
}

/// The options udp-echo, tcp-echo and compare share, as typed.
struct echo_flags {
  std::string server = "127.0.0.1:7007";
  int interval_ms = 200;
  int timeout_ms = 1000;
};

/// --count, --size and --timeout: the workload every echo command has.
void add_workload_flags(CLI::App& cmd, echo_options& options, echo_flags& flags) {
  cmd.add_option("--count", options.count, "numbered messages to send")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  cmd.add_option("--size", options.size, "bytes per message; the first 8 carry its number")
      ->check(CLI::Range(0, 16 << 20))
      ->capture_default_str();
  cmd.add_option("--timeout", flags.timeout_ms, "milliseconds to wait for an echo (and to connect)")
      ->check(CLI::Range(1, 3'600'000))
      ->capture_default_str();
}

/// The options of udp-echo and tcp-echo.
void add_echo_flags(CLI::App& cmd, echo_options& options, echo_flags& flags, bool& verbose) {
  cmd.add_option("SERVER", flags.server, "the echo server")->type_name("HOST:PORT")->capture_default_str();
  add_workload_flags(cmd, options, flags);
  cmd.add_option("--interval", flags.interval_ms,
                 "milliseconds between messages; 0 sends each as soon as the previous echo is back")
      ->check(CLI::Range(0, 3'600'000))
      ->capture_default_str();
  cmd.add_option("--buffer", options.buffer,
                 "bytes one receive can take (udp-echo: a larger datagram is truncated; tcp-echo: the rest "
                 "waits for the next receive)")
      ->check(CLI::Range(1, 16 << 20))
      ->capture_default_str();
  cmd.add_option("--burst", options.burst,
                 "then K more messages written back to back, to see what the receives make of them")
      ->check(CLI::Range(0, 10'000))
      ->capture_default_str();
  cmd.add_flag("-v,--verbose", verbose, "a line per echo, and the numbers that got none");
}

/// HOST:PORT as the echo commands take it ("127.0.0.1:7007", "[::1]:7007", "localhost").
void set_server(echo_options& options, const std::string& text, const char* what) {
  net::host_port endpoint;
  try {
    endpoint = net::parse_host_port(text, 7007);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string(what) + " " + e.what());
  }
  if (endpoint.port == 0) {
    throw std::invalid_argument(std::string(what) + " " + net::quoted(text) +
                                ": port 0 cannot be sent to; give the server's port, e.g. 127.0.0.1:7007");
  }
  options.host = std::move(endpoint.host);
  options.port = endpoint.port;
}

/// The echo flags checked and put into @p options.
void finish_echo(echo_transport t, echo_options& options, const echo_flags& flags) {
  set_server(options, flags.server, t == echo_transport::tcp ? "tcp-echo" : "udp-echo");
  options.interval = std::chrono::milliseconds(flags.interval_ms);
  options.timeout = std::chrono::milliseconds(flags.timeout_ms);
  if (t == echo_transport::tcp && options.size == 0) {
    throw std::invalid_argument(
        "--size 0: TCP carries bytes, not messages, and writing 0 bytes sends nothing; use --size 1 or more "
        "(udp-echo --size 0 sends empty datagrams)");
  }
}

/// What the manual page says besides the command line.
cli::man_info man_info() {
  return {std::string("socketlab ") + SOCKETLAB_VERSION,
          "see what happens on the wire, load a server like wrk, fill a listen queue, and put TCP and UDP "
          "side by side",
          {"socketlab-server(1)", "curl(1)", "wrk(1)"},
          cli::lessons_note()};
}

/// How long bench's first connection may take. Not bench's --timeout (2 s by default): on
/// Windows a refused connection takes about 2 s, as the system retries before giving up.
constexpr std::chrono::seconds probe_timeout{10};

/// Finds the server for bench the way get does, so that a wrong port or host gets the same
/// clear line before any load starts.
int probe(const url& target, asio::ip::tcp::endpoint& server, std::ostream& err) {
  connection first;
  if (const auto ec = first.open(target.host, target.port, connection::clock::now() + probe_timeout)) {
    const failure f = explain_open(target.host, target.port, first.tried(), ec, probe_timeout);
    err << program << ": " << f.message << "\n";
    return f.status;
  }
  server = first.remote();
  return exit_status::ok;
}

/// Runs the backlog lab. It only resolves the name first: a probe connection would reach a
/// one-at-a-time server before the lab's own and delay them all. When every connection fails
/// the same way (nothing listening, say), that is said in one line, as get says it. When none
/// got an answer the exit status says so: 28 when the first timed out, 1 otherwise.
int backlog_lab(const backlog_options& options, std::ostream& out, std::ostream& err) {
  asio::io_context io;
  std::error_code ec;
  const auto addresses = net::resolve(io.get_executor(), options.target.host, options.target.port, ec);
  if (ec) {
    err << program << ": "
        << explain_open(options.target.host, options.target.port, {}, ec, options.timeout).message << "\n";
    return exit_status::resolve;
  }
  const auto entries = run_backlog(options, addresses.front());
  const bool all_failed_alike = std::all_of(entries.begin(), entries.end(), [&](const backlog_entry& e) {
    return !e.connected && e.failure && e.failure == entries.front().failure;
  });
  if (all_failed_alike) {
    const failure f = explain_open(options.target.host, options.target.port, {addresses.front()},
                                   entries.front().failure, options.timeout);
    err << program << ": " << f.message << "\n";
    return f.status;
  }
  write_backlog_report(options, entries, out);
  // The table is shown either way; but a lab in which no connection got an answer failed, and
  // a script should see it (curl's number for the first connection's reason).
  const bool none_answered =
      std::none_of(entries.begin(), entries.end(), [](const backlog_entry& e) { return e.error.empty(); });
  if (!none_answered) return exit_status::ok;
  return entries.front().failure == asio::error::timed_out ? exit_status::timeout : exit_status::failed;
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

std::chrono::duration<double> parse_duration(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  double scale = -1;
  if (unit.empty() || unit == "s") scale = 1;
  if (unit == "ms") scale = 0.001;
  if (unit == "m") scale = 60;
  if (ec != std::errc{} || scale < 0 || !(value > 0) || !std::isfinite(value)) {
    throw std::invalid_argument(net::quoted(text) +
                                " is not a duration; write seconds (10, 0.5, 10s), "
                                "milliseconds (500ms) or minutes (2m)");
  }
  constexpr double week = 7 * 24 * 3600.0;  // "1e300" is a number, but no clock waits that long
  if (value * scale > week) {
    throw std::invalid_argument(net::quoted(text) + " is too long; give at most a week (604800s)");
  }
  return std::chrono::duration<double>(value * scale);
}

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  // Made inside the try: a CLI11 version that refuses a definition throws while it is set up.
  std::unique_ptr<CLI::App> app_holder;
  std::vector<CLI::App*> commands;
  try {
    app_holder = std::make_unique<CLI::App>(
        "socketlab-client: see what happens on the wire (get), load a server like wrk (bench),\n"
        "fill a listen queue (backlog), and put TCP and UDP side by side (udp-echo, tcp-echo, compare).",
        std::string(program));
    CLI::App& app = *app_holder;
    app.set_version_flag("--version", std::string(program) + " " + SOCKETLAB_VERSION);
    app.require_subcommand(1);
    app.footer(std::string(exit_status_footer));

    // get
    get_options get;
    request_flags get_flags;
    std::vector<std::string> get_urls;
    std::string data;
    std::string get_timeout = "30";
    int pause_ms = 0;
    auto* get_cmd = app.add_subcommand("get", "fetch URLs like curl; -v shows each socket step");
    get_cmd->add_option("URL", get_urls, "http://host[:port][/path]; several on one host share a connection")
        ->required();
    add_request_flags(*get_cmd, get_flags);
    auto* data_opt = get_cmd->add_option("-d,--data", data, "send DATA as the request body (POST unless -X)");
    get_cmd->add_flag("-I,--head", get.head, "send HEAD and print the response head");
    get_cmd->add_flag("-i,--include", get.include, "print the response head before the body");
    get_cmd->add_option("-o,--output", get.output, "write the body to FILE instead of standard output")
        ->type_name("FILE");
    get_cmd->add_option("--timeout", get_timeout, "the most one URL may take, e.g. 30, 0.5, 500ms")
        ->type_name("DURATION")
        ->capture_default_str();
    get_cmd->add_flag("-v,--verbose", get.verbose,
                      "show each socket step with its time, and the heads (on stderr)");
    get_cmd->add_flag("--trace", get.trace, "dump every byte sent and received, hex and text (on stderr)");
    get_cmd->add_option("--split", get.split, "send the request in pieces of N bytes")
        ->check(CLI::Range(1, 1 << 30));
    auto* pause_opt = get_cmd->add_option("--pause", pause_ms, "milliseconds to wait between --split pieces")
                          ->check(CLI::Range(0, 600000));
    get_cmd
        ->add_option("--pipeline", get.pipeline,
                     "send K copies of the request in one write, read K responses")
        ->check(CLI::Range(1, 10000));
    get_cmd->add_flag("-f,--fail", get.fail, "exit 22, printing no body, when the status is 400 or more");
    get_cmd->footer(std::string(exit_status_footer));

    // bench
    bench_options bench;
    request_flags bench_flags;
    std::string bench_url;
    std::string duration = "10";
    std::string bench_timeout = "2";
    bool no_keepalive = false;
    bool json = false;
    auto* bench_cmd =
        app.add_subcommand("bench", "load a server like wrk and report latency and requests/sec");
    bench_cmd->add_option("URL", bench_url, "http://host[:port][/path]")->required();
    bench_cmd->add_option("-c,--connections", bench.connections, "connections kept open and busy")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    bench_cmd->add_option("-d,--duration", duration, "how long to run, e.g. 10, 10s, 500ms, 1m")
        ->type_name("DURATION")
        ->capture_default_str();
    bench_cmd->add_option("-t,--threads", bench.threads, "threads, each with its own event loop")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    bench_cmd->add_option("--timeout", bench_timeout, "a request slower than this counts as a timeout error")
        ->type_name("DURATION")
        ->capture_default_str();
    bench_cmd->add_flag("--no-keepalive", no_keepalive,
                        "a new connection for every request (Connection: close)");
    bench_cmd->add_flag("--json", json, "print the summary as JSON");
    add_request_flags(*bench_cmd, bench_flags);

    // backlog
    backlog_options backlog;
    request_flags backlog_flags;
    std::string backlog_url;
    std::string backlog_timeout = "60";
    int hold_ms = 0;
    auto* backlog_cmd = app.add_subcommand(
        "backlog", "open N connections at once and show who was served when (the listen queue lab)");
    backlog_cmd->add_option("URL", backlog_url, "http://host[:port][/path]")->required();
    backlog_cmd->add_option("-n,--connections", backlog.count, "connections opened at once")
        ->check(CLI::Range(1, 10000))
        ->capture_default_str();
    backlog_cmd->add_option("--hold", hold_ms, "milliseconds each connection stays open after its response")
        ->check(CLI::Range(0, 3600000))
        ->capture_default_str();
    backlog_cmd
        ->add_option("--timeout", backlog_timeout,
                     "when to give up on the connections still waiting, e.g. 60, 0.5, 500ms")
        ->type_name("DURATION")
        ->capture_default_str();
    add_request_flags(*backlog_cmd, backlog_flags);

    // udp-echo, tcp-echo
    echo_options udp_echo;
    echo_flags udp_flags;
    echo_options tcp_echo;
    tcp_echo.burst = 10;  // tcp-echo shows what the byte stream makes of separate writes
    echo_flags tcp_flags;
    bool echo_verbose = false;
    auto* udp_cmd =
        app.add_subcommand("udp-echo", "send numbered datagrams to an echo server; loss, order, round trips");
    add_echo_flags(*udp_cmd, udp_echo, udp_flags, echo_verbose);
    auto* tcp_cmd = app.add_subcommand(
        "tcp-echo", "the same over one TCP connection, and how separate writes come back as a stream");
    add_echo_flags(*tcp_cmd, tcp_echo, tcp_flags, echo_verbose);

    // compare
    compare_options compare = default_compare_options();
    echo_flags compare_flags;
    compare_flags.timeout_ms = static_cast<int>(compare.tcp.timeout.count());
    std::string compare_tcp = "127.0.0.1:7007";
    std::string compare_udp = "127.0.0.1:7007";
    auto* compare_cmd =
        app.add_subcommand("compare", "the same messages over TCP and UDP, side by side in one table");
    compare_cmd->add_option("--tcp", compare_tcp, "the TCP echo server (socketlab-server tcp-echo)")
        ->type_name("HOST:PORT")
        ->capture_default_str();
    compare_cmd->add_option("--udp", compare_udp, "the UDP echo server (socketlab-server udp-echo)")
        ->type_name("HOST:PORT")
        ->capture_default_str();
    add_workload_flags(*compare_cmd, compare.tcp, compare_flags);

    const cli::doc_commands docs(app, man_info());
    commands = {get_cmd, bench_cmd, backlog_cmd, udp_cmd, tcp_cmd, compare_cmd};

    app.parse(argc, argv);
    if (docs.answer(out)) return exit_status::ok;
    if (udp_cmd->parsed() || tcp_cmd->parsed()) {
      const auto t = udp_cmd->parsed() ? echo_transport::udp : echo_transport::tcp;
      echo_options& options = t == echo_transport::udp ? udp_echo : tcp_echo;
      finish_echo(t, options, t == echo_transport::udp ? udp_flags : tcp_flags);
      return run_echo_command(t, options, echo_verbose, out, err);
    }
    if (compare_cmd->parsed()) {
      if (compare.tcp.size < 8) {
        throw std::invalid_argument(
            "--size " + std::to_string(compare.tcp.size) +
            ": compare numbers every message in its first 8 bytes; use --size 8 or more");
      }
      set_server(compare.tcp, compare_tcp, "--tcp");
      compare.tcp.timeout = std::chrono::milliseconds(compare_flags.timeout_ms);
      const auto udp_large = compare.udp.large;
      compare.udp = compare.tcp;  // the same workload over both
      compare.udp.large = udp_large;
      set_server(compare.udp, compare_udp, "--udp");
      return run_compare(compare, out, err);
    }
    if (get_cmd->parsed()) {
      for (const auto& u : get_urls)
        get.urls.push_back(parse_url(u));
      get.request = to_request(get_flags);
      get.timeout = parse_duration(get_timeout);
      if (data_opt->count() > 0) {
        if (get.head) throw std::invalid_argument("-I sends HEAD, which has no body; drop -d or -I");
        get.request.body = data;
        get.request.has_body = true;
      }
      if (pause_opt->count() > 0 && get.split == 0) {
        throw std::invalid_argument(
            "--pause waits between --split pieces; add --split N, e.g. --split 1 --pause 100");
      }
      get.pause = std::chrono::milliseconds(pause_ms);
      return run_get(get, out, err);
    }
    if (bench_cmd->parsed()) {
      bench.target = parse_url(bench_url);
      bench.request = to_request(bench_flags);
      bench.request.keep_alive = !no_keepalive;
      bench.duration = parse_duration(duration);
      bench.timeout = parse_duration(bench_timeout);
      if (bench.connections < bench.threads) {
        throw std::invalid_argument(
            "-c " + std::to_string(bench.connections) + " with -t " + std::to_string(bench.threads) +
            ": each thread needs a connection; use -c " + std::to_string(bench.threads) + " or more");
      }
      asio::ip::tcp::endpoint server;
      if (const int status = probe(bench.target, server, err)) return status;
      const bool live = !json && console::stderr_is_terminal();
      const bench_result result = run_bench(bench, server, live ? progress_line(err) : nullptr);
      if (live) err << "\r\x1b[K" << std::flush;  // erase the progress line
      if (json) {
        write_bench_json(bench, bench_url, result, out);
      } else {
        write_bench_report(bench, bench_url, result, out);
      }
      return exit_status::ok;
    }
    backlog.target = parse_url(backlog_url);
    backlog.request = to_request(backlog_flags);
    backlog.hold = std::chrono::milliseconds(hold_ms);
    backlog.timeout = parse_duration(backlog_timeout);
    return backlog_lab(backlog, out, err);
  } catch (const CLI::Success& e) {  // --help, --version
    return app_holder->exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    const bool none_parsed =
        std::none_of(commands.begin(), commands.end(), [](const CLI::App* cmd) { return cmd->parsed(); });
    if (argc > 1 && argv[1][0] != '-' && none_parsed) {
      err << program << ": " << net::quoted(argv[1])
          << " is not a command; use get, bench, backlog, udp-echo, tcp-echo or compare (see " << program
          << " --help)\n";
      return exit_status::usage;
    }
    // Point at the help of the command that was given: `get --help` lists get's options.
    std::string help = std::string(program) + " --help";
    for (const auto* cmd : commands) {
      if (cmd->parsed()) help = std::string(program) + " " + cmd->get_name() + " --help";
    }
    err << program << ": " << e.what() << "; see " << help << "\n";
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
