#include "client/http/get_command.hpp"

#include <stdexcept>

#include "client/failure.hpp"
#include "client/http/fetcher.hpp"

namespace socketlab::client {
namespace {

/// The get_options that @p line says, checked.
get_options to_options(const get_command_line& line) {
  get_options get = line.options;
  for (const auto& u : line.urls)
    get.urls.push_back(parse_url(u));
  get.request = to_request(line.request);
  get.timeout = parse_duration(line.timeout);
  if (line.data_option->count() > 0) {
    if (get.head) throw std::invalid_argument("-I sends HEAD, which has no body; drop -d or -I");
    get.request.body = line.data;
    get.request.has_body = true;
  }
  if (line.pause_option->count() > 0 && get.split == 0) {
    throw std::invalid_argument(
        "--pause waits between --split pieces; add --split N, e.g. --split 1 --pause 100");
  }
  get.pause = std::chrono::milliseconds(line.pause_ms);
  return get;
}

}  // namespace

int run_get(const get_options& options, std::ostream& out, std::ostream& err) {
  fetcher f(options, out, err);
  for (const auto& u : options.urls) {
    if (const auto failed = f.fetch(u)) return report_failure(*failed, err);
  }
  f.finish("no more URLs");
  return exit_status::ok;
}

CLI::App* add_get_command(CLI::App& app, get_command_line& line) {
  get_options& get = line.options;
  auto* cmd = app.add_subcommand("get", "fetch URLs like curl; -v shows each socket step");
  cmd->add_option("URL", line.urls, "http://host[:port][/path]; several on one host share a connection")
      ->required();
  add_request_flags(*cmd, line.request);
  line.data_option =
      cmd->add_option("-d,--data", line.data, "send DATA as the request body (POST unless -X)");
  cmd->add_flag("-I,--head", get.head, "send HEAD and print the response head");
  cmd->add_flag("-i,--include", get.include, "print the response head before the body");
  cmd->add_option("-o,--output", get.output, "write the body to FILE instead of standard output")
      ->type_name("FILE");
  add_duration_option(*cmd, "--timeout", line.timeout, "the most one URL may take, e.g. 30, 0.5, 500ms");
  cmd->add_flag("-v,--verbose", get.verbose,
                "show each socket step with its time, and the heads (on stderr)");
  cmd->add_flag("--trace", get.trace, "dump every byte sent and received, hex and text (on stderr)");
  cmd->add_option("--split", get.split, "send the request in pieces of N bytes")
      ->check(CLI::Range(1, 1 << 30));
  line.pause_option = cmd->add_option("--pause", line.pause_ms, "milliseconds to wait between --split pieces")
                          ->check(CLI::Range(0, 600000));
  cmd->add_option("--pipeline", get.pipeline, "send K copies of the request in one write, read K responses")
      ->check(CLI::Range(1, 10000));
  cmd->add_flag("-f,--fail", get.fail, "exit 22, printing no body, when the status is 400 or more");
  cmd->footer(std::string(exit_status::help));
  return cmd;
}

int run_get_command(const get_command_line& line, std::ostream& out, std::ostream& err) {
  return run_get(to_options(line), out, err);
}

}  // namespace socketlab::client
