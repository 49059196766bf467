#include "server/http_command.hpp"

#include <csignal>
#include <memory>
#include <string>
#include <system_error>

#include "server/access_log.hpp"
#include "server/http_server.hpp"
#include "server/messages.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/log_file.hpp"
#include "socketlab/net/shutdown_signal.hpp"

namespace socketlab::server {
namespace {

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

/// The banner: the version and model, a line per site, how to stop.
std::string banner(const server_config& config, const http_server& server) {
  std::string text =
      std::string(program_name) + " " + SOCKETLAB_VERSION + ": " + describe_model(config) + "\n";
  const auto sites = server.sites();
  for (std::size_t i = 0; i < sites.size(); ++i) {
    text += "  http://" + net::to_string(sites[i].endpoint) + "/  " + sites[i].description;
    if (const auto work = config.sites[i].work.count(); work > 0) {
      text += ", " + std::to_string(work) + " ms of work per request";
    }
    text += "\n";
  }
  return text + "Press Ctrl+C to stop.\n";
}

}  // namespace

int run_http(server_config config, const std::string& access_log, std::ostream& out, std::ostream& err) {
  try {
    // The banner and -v go to standard output; the access log where --access-log says: a file
    // gets each line in one write at its end, whole, from any thread (net::log_file).
    auto console = std::make_shared<stream_log>(out);
    config.console = [console](std::string_view text) { console->write(text); };
    if (access_log == "-") {
      config.access_log = config.console;
    } else if (access_log != "off") {
      std::error_code ec;
      auto file = std::make_shared<net::log_file>(net::log_file::open(access_log, ec));
      if (ec) {
        err << program_name << ": cannot open access log '" << access_log << "' for appending ("
            << ec.message() << "); give a writable file, - for standard output, or off\n";
        return 2;
      }
      config.access_log = [file](std::string_view text) {
        std::error_code ignored;  // a full disk loses log lines, never a response
        file->write(text, ignored);
      };
    }

    http_server server(config);
    // Installed before the banner: once a user (or a test) sees the banner, Ctrl+C is handled.
    net::shutdown_signal signals(server.executor(), [&](int signal) {
      console->write(stop_signal_line(signal, "finishing the requests under way"));
      server.stop();
    });
    console->write(banner(config, server));
    server.run();
    console->write(std::string(program_name) + ": stopped\n");
    return 0;
  } catch (const site_listen_failure& e) {
    const auto& spec = e.site.spec;
    err << program_name << ": " << explain(e, 8080, [&spec](std::uint16_t port) {
      return "--site " + std::to_string(port) + "=" + spec;
    }) << "\n";
  } catch (const std::exception& e) {
    err << program_name << ": " << e.what() << "\n";
  }
  return 1;
}

}  // namespace socketlab::server
