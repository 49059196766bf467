/// @file
/// A small command line with every kind of definition the generators read: options with and
/// without values, a set of choices, a default, a footer, a subcommand whose parent's options fall
/// through, one whose do not, and hidden ones.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace socketlab::test {

/// What the sample's options write to.
struct sample_values {
  std::string model = "async";
  int count = 3;
  bool verbose = false;
  std::vector<std::string> urls;
  std::string secret;
  std::string shell = "bash";
};

/// "tool": --model (a set), --count (a range), -v, a footer; `run URL...` with the tool's options
/// falling through; `shell [SHELL]`; a hidden --secret and a hidden `internal`.
inline std::unique_ptr<CLI::App> sample_app(sample_values& v) {
  auto app = std::make_unique<CLI::App>("tool: does things.\n.A line that begins with a dot", "tool");
  app->set_version_flag("--version", "tool 1.0");
  app->add_option("--model", v.model, "how it works")
      ->check(CLI::IsMember({"iterative", "async"}))
      ->capture_default_str();
  app->add_option("-c,--count", v.count, "how many")->check(CLI::Range(1, 10));
  app->add_flag("-v,--verbose", v.verbose, "say more");
  app->add_option("--secret", v.secret, "not shown")->group("");
  app->footer("Exit status: 0 done,\n2 a mistake \\ back-slashed");
  auto* run = app->add_subcommand("run", "run the URLs")->fallthrough();
  run->add_option("URL", v.urls, "where to")->required();
  auto* shell = app->add_subcommand("shell", "pick a shell");
  shell->add_option("SHELL", v.shell, "which")->check(CLI::IsMember({"bash", "zsh"}));
  app->add_subcommand("internal", "for the build")->group("");
  return app;
}

}  // namespace socketlab::test
