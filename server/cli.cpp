#include "server/cli.hpp"

#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <memory>
#include <optional>
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
#include "socketlab/cli/doc_commands.hpp"
#include "socketlab/cli/program.hpp"
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

/// A `--site` as given, with the `--work-ms` that followed it, if any.
struct site_option {
  std::string text;            ///< "8888=en"
  std::optional<int> work_ms;  ///< its own --work-ms
};

/// What the manual page says besides the command line.
cli::man_info man_info() {
  return {std::string("socketlab ") + SOCKETLAB_VERSION,
          "a multi-port HTTP/1.1 server, and TCP and UDP echo servers, for learning network programming",
          {"socketlab-client(1)", "curl(1)", "nginx(8)"},
          cli::lessons_note()};
}

/// The banner's first line after the version: the model and what bounds it.
std::string describe_model(const server_config& config) {
  const std::string most = "at most " + std::to_string(config.max_connections) + " connections";
  const int threads = worker_threads(config);
  const std::string threads_text = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
  switch (config.model) {
    case serving_model::iterative:
      return "iterative model, one connection at a time (the rest wait in the listen queue)";
    case serving_model::thread_per_connection:
      return "thread-per-connection model, a thread for each of " + most;
    case serving_model::thread_pool:
      return "thread-pool model, " + threads_text + ", " + most;
    case serving_model::async:
      break;
  }
  return "async model, " + threads_text + ", " + most;
}

/// The options as parsed, before they become a server_config.
struct options {
  std::vector<site_option> sites;
  int work_ms = 0;              ///< --work-ms before any --site, or in a config file: every site's
  bool reading_config = false;  ///< the values now parsed come from a --config file
  std::string model = "async";
  std::string host = "127.0.0.1";
  int backlog = 0;
  int threads = 0;
  std::optional<int> max_connections;  ///< given: not for the iterative model
  bool verbose = false;
  std::string access_log = "-";
  double header_timeout = 10;
  double idle_timeout = 15;
  double body_timeout = 10;
  double send_timeout = 10;
  http::limits limits;
};

/// CLI11's config-file reader, which also tells the options that what follows comes from the
/// file: `work-ms` there applies to every site, as the file has no order between its keys.
class config_reader final : public CLI::ConfigTOML {
 public:
  explicit config_reader(bool& reading) : reading_(reading) {}
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    reading_ = true;
    return CLI::ConfigTOML::from_config(input);
  }

 private:
  bool& reading_;
};

std::string model_names() {
  std::string names;
  for (auto m : all_serving_models) {
    if (!names.empty()) names += m == serving_model::async ? " or " : ", ";
    names += to_string(m);
  }
  return names;
}

void add_options(CLI::App& app, options& o) {
  // --site and --work-ms are handled as they come, so that a --work-ms can belong to the
  // --site just before it: --site 8888=en --work-ms 50 --site 8881=fr
  app.add_option_function<std::vector<std::string>>(
         "--site",
         [&o](const std::vector<std::string>& texts) {
           for (const auto& t : texts)
             o.sites.push_back({t, std::nullopt});
         },
         "serve PORT with a greeting in LANG, or with the files of a folder; repeat for more ports "
         "(replaces the defaults)")
      ->type_name("PORT=LANG|DIR")
      ->trigger_on_parse()
      ->allow_extra_args(false);  // one value per --site: a stray word is reported, not taken as a site
  app.add_option_function<int>(
         "--work-ms",
         [&o](int ms) {
           if (o.sites.empty() || o.reading_config) {
             o.work_ms = ms;
           } else {
             o.sites.back().work_ms = ms;
           }
         },
         "simulated waiting per request, in ms (a database, a disk): after a --site, for that site; "
         "before any, or in a config file, for every site")
      ->type_name("MS")
      ->check(CLI::Range(0, 600'000))
      ->trigger_on_parse();
  // Described as "{iterative,...}", as CLI11 describes a set: --help shows the names and the
  // bash completion offers them.
  std::string model_set;
  for (auto m : all_serving_models)
    model_set += (model_set.empty() ? "{" : ",") + std::string(to_string(m));
  app.add_option("--model", o.model, "how connections are served: " + model_names())
      ->check(CLI::Validator(
          [](std::string& name) -> std::string {
            if (parse_serving_model(name)) return {};
            return "unknown model '" + name + "'; use " + model_names();
          },
          model_set + "}"))
      ->capture_default_str();
  app.add_option("--max-connections", o.max_connections,
                 "connections served at once (default " + std::to_string(server_config{}.max_connections) +
                     "); past it a client gets 503 with Retry-After")
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--host", o.host, "address to listen on; 0.0.0.0 or :: exposes the server to the network")
      ->capture_default_str();
  app.add_option(
         "--backlog", o.backlog,
         "listen queue length (default: the system maximum, " + std::to_string(net::max_backlog()) + ")")
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--threads", o.threads,
                 "async: threads running the event loop (default 1); thread-pool: workers (default 8)")
      ->check(CLI::Range(1, 1024));
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
  config.model = *parse_serving_model(o.model);
  if (o.threads != 0 &&
      (config.model == serving_model::iterative || config.model == serving_model::thread_per_connection)) {
    throw std::invalid_argument("--threads: the " + std::string(to_string(config.model)) + " model " +
                                (config.model == serving_model::iterative
                                     ? "serves on one thread"
                                     : "starts a thread per connection (limit them with --max-connections)") +
                                "; use --model thread-pool or --model async for --threads");
  }
  config.host = o.host;
  config.backlog = o.backlog;
  config.threads = o.threads;
  if (o.max_connections && config.model == serving_model::iterative) {
    throw std::invalid_argument(
        "--max-connections: the iterative model serves one connection at a time and leaves the rest in the "
        "listen queue; size that with --backlog, or use another --model");
  }
  config.max_connections = o.max_connections.value_or(config.max_connections);
  config.verbose = o.verbose;
  config.limits = o.limits;
  config.timeouts.header = to_duration(o.header_timeout);
  config.timeouts.idle = to_duration(o.idle_timeout);
  config.timeouts.body = to_duration(o.body_timeout);
  config.timeouts.send = to_duration(o.send_timeout);
  if (o.sites.empty()) {
    config.sites = default_sites();
    for (auto& s : config.sites)
      s.work = std::chrono::milliseconds(o.work_ms);
  } else {
    std::set<std::uint16_t> ports;
    for (const auto& given : o.sites) {
      auto s = parse_site(given.text);
      s.work = std::chrono::milliseconds(given.work_ms.value_or(o.work_ms));
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
    throw std::invalid_argument("--site " + net::quoted(text) +
                                ": write PORT=LANG or PORT=DIR, e.g. --site 8888=en or --site 8080=./public");
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
  // Made inside the try: a CLI11 version that refuses a definition throws while it is set up.
  std::unique_ptr<CLI::App> app;
  try {
    app = std::make_unique<CLI::App>(
        "socketlab-server: a multi-port HTTP/1.1 server for learning network programming.\n"
        "Each port is a site; with no options it serves the original exercise's three.",
        std::string(program));
    app->set_version_flag("--version", std::string(program) + " " + SOCKETLAB_VERSION);
    options opts;
    app->set_config("--config", "",
                    "read options from a file: one per line, e.g.  site = [\"8888=en\", \"8881=fr\"]");
    app->config_formatter(std::make_shared<config_reader>(opts.reading_config));
    app->footer(languages_footer());
    add_options(*app, opts);
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
    err << program << ": " << e.what() << "; see " << program << " --help\n";
  } catch (const CLI::Error& e) {
    return cli::report_setup_error(program, e, err);
  } catch (const std::invalid_argument& e) {
    err << program << ": " << e.what() << "\n";
  }
  return cli::usage_status;
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
    std::string banner =
        std::string(program) + " " + SOCKETLAB_VERSION + ": " + describe_model(config) + "\n";
    const auto sites = server.sites();
    for (std::size_t i = 0; i < sites.size(); ++i) {
      banner += "  http://" + net::to_string(sites[i].endpoint) + "/  " + sites[i].description;
      if (const auto work = config.sites[i].work.count(); work > 0) {
        banner += ", " + std::to_string(work) + " ms of work per request";
      }
      banner += "\n";
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
