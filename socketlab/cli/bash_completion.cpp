#include "socketlab/cli/bash_completion.hpp"

#include <algorithm>
#include <string_view>

namespace socketlab::cli {
namespace {

/// @p word in single quotes, as the shell reads it back unchanged.
std::string quoted(std::string_view word) {
  std::string out = "'";
  for (const char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

/// "'a'|'b'", a case pattern matching any of @p words.
std::string pattern(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : "|") + quoted(w);
  return out;
}

/// "a b c", a word list for compgen -W.
std::string word_list(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : " ") + w;
  return quoted(out);
}

/// The options in force after @p command: its own, and its parent's when they fall through.
std::vector<const option_spec*> options_of(const command_spec& program, const command_spec& command) {
  std::vector<const option_spec*> options;
  for (const auto& o : command.options)
    options.push_back(&o);
  if (&command == &program || !command.takes_parent_options) return options;
  for (const auto& o : program.options) {
    const bool own = std::any_of(command.options.begin(), command.options.end(),
                                 [&](const option_spec& mine) { return mine.names == o.names; });
    if (!own) options.push_back(&o);  // -h,--help: the command's own
  }
  return options;
}

/// The case keys of @p option after @p command, e.g. "get:-X" and "get:--request".
std::vector<std::string> keys(const std::string& command, const option_spec& option) {
  std::vector<std::string> out;
  for (const auto& n : option.names)
    out.push_back(command + ":" + n);
  return out;
}

/// The program and its subcommands, each with the name the script's `case $command` knows it by
/// (the program itself is '').
struct command_table {
  std::vector<const command_spec*> commands;
  std::vector<std::string> names;
  std::vector<std::string> subcommand_names;

  explicit command_table(const command_spec& program) : commands{&program}, names{""} {
    for (const auto& sub : program.subcommands) {
      commands.push_back(&sub);
      names.push_back(sub.name);
      subcommand_names.push_back(sub.name);
    }
  }
};

/// The loop that finds which subcommand the line has so far.
std::string find_command(const command_spec& program, const command_table& table) {
  if (table.subcommand_names.empty()) return {};
  std::vector<std::string> valued;  // the program's options that take a value: skip the value
  for (const auto& o : program.options) {
    if (o.takes_value) valued.insert(valued.end(), o.names.begin(), o.names.end());
  }
  std::string s =
      "  # The command is the first word that names one; an option's value is not a word to look at.\n";
  s += "  for ((i = 1; i < COMP_CWORD; i++)); do\n";
  s += "    case ${COMP_WORDS[i]} in\n";
  if (!valued.empty()) s += "      " + pattern(valued) + ") ((i++)) ;;\n";
  s += "      " + pattern(table.subcommand_names) + ") command=${COMP_WORDS[i]}; break ;;\n";
  s += "    esac\n";
  s += "  done\n";
  return s;
}

/// The cases for an option's value: one of its choices, or else whatever bash completes (file names).
std::string value_cases(const command_spec& program, const command_table& table) {
  std::string s;
  std::vector<std::string> free_values;
  for (std::size_t i = 0; i < table.commands.size(); ++i) {
    for (const auto* o : options_of(program, *table.commands[i])) {
      if (!o->takes_value) continue;
      const auto option_keys = keys(table.names[i], *o);
      if (o->choices.empty()) {
        free_values.insert(free_values.end(), option_keys.begin(), option_keys.end());
      } else {
        s += "    " + pattern(option_keys) + ") words=" + word_list(o->choices) + " ;;\n";
      }
    }
  }
  if (!free_values.empty()) s += "    " + pattern(free_values) + ") return ;;\n";
  return s;
}

/// The cases for a word: each command's options after a '-', else a subcommand or an argument's choices.
std::string word_cases(const command_spec& program, const command_table& table) {
  std::string s = "    *)\n";
  s += "      if [[ $cur == -* ]]; then\n";
  s += "        case $command in\n";
  for (std::size_t i = 0; i < table.commands.size(); ++i) {
    std::vector<std::string> option_names;
    for (const auto* o : options_of(program, *table.commands[i]))
      option_names.insert(option_names.end(), o->names.begin(), o->names.end());
    s += "          " + quoted(table.names[i]) + ") words=" + word_list(option_names) + " ;;\n";
  }
  s += "        esac\n";
  s += "      else\n";
  s += "        case $command in\n";
  s += "          '') words=" + word_list(table.subcommand_names) + " ;;\n";
  for (std::size_t i = 1; i < table.commands.size(); ++i) {
    std::vector<std::string> values;
    for (const auto& p : table.commands[i]->positionals)
      values.insert(values.end(), p.choices.begin(), p.choices.end());
    if (!values.empty())
      s += "          " + quoted(table.names[i]) + ") words=" + word_list(values) + " ;;\n";
  }
  s += "        esac\n";
  s += "      fi ;;\n";
  return s;
}

}  // namespace

std::string bash_completion(const command_spec& program) {
  std::string function = "_";
  for (const char c : program.name)
    function += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_';
  const command_table table(program);

  std::string s = "# bash completion for " + program.name + ", made by `" + program.name +
                  " completion bash` from the program's own\n"
                  "# command line: regenerate it rather than edit it. Use it with\n"
                  "#   source <(" +
                  program.name +
                  " completion bash)\n"
                  "# or install it as /usr/share/bash-completion/completions/" +
                  program.name + "\n";
  s += function + "() {\n";
  s += "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} command='' words='' i\n";
  s += find_command(program, table);
  s += "  case $command:$prev in\n";
  s += value_cases(program, table);
  s += word_cases(program, table);
  s += "  esac\n";
  s += "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n";
  s += "}\n";
  s += "complete -o default -F " + function + " " + program.name + "\n";
  return s;
}

}  // namespace socketlab::cli
