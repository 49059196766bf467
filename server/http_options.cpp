#include "server/http_options.hpp"

#include <chrono>
#include <cmath>
#include <memory>
#include <set>
#include <stdexcept>

#include "server/sites/greetings.hpp"
#include "server/sites/site.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/quoted.hpp"
#include "socketlab/net/tcp_listener.hpp"

namespace socketlab::server {
namespace {

/// Seconds as the user gives them (0.5 allowed) to the timeouts' milliseconds.
timeouts::duration to_duration(double seconds) {
  return timeouts::duration(static_cast<timeouts::duration::rep>(std::llround(seconds * 1000.0)));
}

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

/// --config, --site and --work-ms: what each port serves.
void add_site_options(CLI::App& app, http_options& o) {
  app.set_config("--config", "",
                 "read options from a file: one per line, e.g.  site = [\"8888=en\", \"8881=fr\"]");
  app.config_formatter(std::make_shared<config_reader>(o.reading_config));
  // --site and --work-ms are handled as they come, so that a --work-ms can belong to the
  // --site just before it: --site 8888=en --work-ms 50 --site 8881=fr
  app.add_option_function<std::vector<std::string>>(
         "--site",
         [&o](const std::vector<std::string>& texts) {
           for (const auto& t : texts)
             o.sites.push_back({t, std::nullopt});
         },
         "serve PORT with a greeting in LANG, with each request sent back (echo), or with the files "
         "of a folder; repeat for more ports (replaces the defaults)")
      ->type_name("PORT=LANG|echo|DIR")
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
}

/// --model, --max-connections, --host, --backlog, --defer-accept, --threads, -v, --access-log: how it
/// is served.
void add_serving_options(CLI::App& app, http_options& o) {
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
  app.add_flag("--defer-accept", o.defer_accept,
               "Linux: accept a connection only once its request has begun to arrive (TCP_DEFER_ACCEPT, "
               "nginx's 'listen ... deferred'); one that sends nothing is accepted all the same about "
               "--header-timeout later (Linux counts in SYN/ACK retransmissions: 1, 3, 7, 15, 31... s)");
  app.add_option("--threads", o.threads,
                 "async: threads running the event loop (default 1); thread-pool: workers (default 8)")
      ->check(CLI::Range(1, 1024));
  app.add_flag("-v,--verbose", o.verbose,
               "print each raw request, like the original's print(request.decode()), control characters "
               "shown as \\xNN");
  app.add_option("--access-log", o.access_log,
                 "where access-log lines go: - (standard output), off, or a file")
      ->capture_default_str();
}

/// The timeouts and the request size limits.
void add_limit_options(CLI::App& app, http_options& o) {
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
  app.add_option("--send-timeout", o.send_timeout,
                 "seconds a response may wait for the client to take more of it before the client is dropped")
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

}  // namespace

void add_http_options(CLI::App& app, http_options& o) {
  add_site_options(app, o);
  add_serving_options(app, o);
  add_limit_options(app, o);
}

std::string languages_footer() {
  std::string text = "Languages for --site PORT=LANG:\n";
  for (const auto& g : greetings()) {
    text += "  " + std::string(g.code) + "  " + std::string(g.name) + ": " + std::string(g.text) + "\n";
  }
  text += "\nWith no --site: 8888=en 8881=fr 8000=es, the original exercise's three sites.\n";
  return text;
}

server_config make_config(const http_options& o) {
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
  config.defer_accept = o.defer_accept;
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

site_config parse_site(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    throw std::invalid_argument(
        "--site " + net::quoted(text) +
        ": write PORT=LANG, PORT=echo or PORT=DIR, e.g. --site 8888=en or --site 8080=./public");
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

}  // namespace socketlab::server
