#include "socketlab/cli/command_spec.hpp"

#include <string_view>

#include <CLI/CLI.hpp>

namespace socketlab::cli {
namespace {

/// CLI11 hides what belongs to no group, in --help and here alike.
bool hidden(const CLI::Option& option) {
  return option.get_group().empty();
}

option_spec describe_option(const CLI::Option& option) {
  option_spec spec;
  spec.positional = !option.nonpositional();
  if (spec.positional) {
    spec.names.push_back(option.get_name(true));
  } else {
    for (const auto& s : option.get_snames())
      spec.names.push_back("-" + s);
    for (const auto& l : option.get_lnames())
      spec.names.push_back("--" + l);
  }
  spec.takes_value = option.get_items_expected_max() > 0;
  if (spec.takes_value) {
    spec.value = option.get_type_name();
    spec.choices = choices_in(spec.value);
  }
  spec.description = option.get_description();
  spec.default_value = option.get_default_str();
  spec.required = option.get_required();
  spec.repeatable = option.get_items_expected_max() > 1;
  return spec;
}

}  // namespace

std::vector<std::string> choices_in(const std::string& value) {
  std::vector<std::string> choices;
  std::string_view rest = value;
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const std::string_view part = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    if (part.size() < 2 || part.front() != '{' || part.back() != '}') continue;
    std::string_view items = part.substr(1, part.size() - 2);
    while (!items.empty()) {
      const auto comma = items.find(',');
      std::string_view item = items.substr(0, comma);
      items = comma == std::string_view::npos ? std::string_view{} : items.substr(comma + 1);
      item = item.substr(0, item.find("->"));  // CLI::Transformer shows "{name->value,...}"
      if (!item.empty()) choices.emplace_back(item);
    }
  }
  return choices;
}

command_spec describe(const CLI::App& app) {
  command_spec spec;
  spec.name = app.get_name();
  spec.description = app.get_description();
  spec.footer = app.get_footer();
  spec.takes_parent_options = app.get_parent() != nullptr && app.get_fallthrough();
  for (const CLI::Option* option : app.get_options()) {
    if (hidden(*option)) continue;
    auto described = describe_option(*option);
    (described.positional ? spec.positionals : spec.options).push_back(std::move(described));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    spec.subcommands.push_back(describe(*sub));
  }
  return spec;
}

}  // namespace socketlab::cli
