#include "socketlab/cli/man_page.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace socketlab::cli {
namespace {

/// "[OPTIONS] URL..." or "[OPTIONS] [HOST:PORT]": how a command is typed.
std::string usage(const command_spec& command, bool has_subcommands) {
  std::string u = command.options.empty() ? "" : "[\\fIOPTIONS\\fR]";
  if (has_subcommands) u += " \\fICOMMAND\\fR [\\fIOPTIONS\\fR]";
  for (const auto& p : command.positionals) {
    const std::string name = "\\fI" + roff_escaped(p.names.front()) + "\\fR" + (p.repeatable ? "..." : "");
    u += " " + (p.required ? name : "[" + name + "]");
  }
  return u.starts_with(' ') ? u.substr(1) : u;  // a line that begins with a space breaks the line before it
}

/// One option as a tagged paragraph: its names and value, then its help and default.
std::string option_paragraph(const option_spec& o) {
  std::string tag;
  for (const auto& n : o.names)
    tag += (tag.empty() ? "" : ", ") + std::string(o.positional ? "\\fI" : "\\fB") + roff_escaped(n) + "\\fR";
  if (!o.positional && !o.value.empty()) tag += " \\fI" + roff_escaped(o.value) + "\\fR";
  std::string text = roff_escaped(o.description);
  if (!o.default_value.empty()) text += " (default: " + roff_escaped(o.default_value) + ")";
  if (o.required && !o.positional) text += " Required.";
  return ".TP\n" + tag + "\n" + text + "\n";
}

/// A footer as --help prints it: its lines kept, as it is laid out for a terminal.
std::string preformatted(const std::string& text) {
  if (text.empty()) return {};
  std::string out = ".PP\n.nf\n";
  std::string::size_type start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    out +=
        roff_escaped(text.substr(start, end == std::string::npos ? std::string::npos : end - start)) + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out + ".fi\n";
}

std::string options_of(const command_spec& command) {
  std::string s;
  for (const auto& p : command.positionals)
    s += option_paragraph(p);
  for (const auto& o : command.options)
    s += option_paragraph(o);
  return s;
}

std::string subcommand_block(const command_spec& program, const command_spec& sub) {
  std::string s = ".SS \"" + roff_escaped(program.name + " " + sub.name) + "\"\n";
  s += ".B " + roff_escaped(program.name + " " + sub.name) + "\n" + usage(sub, false) + "\n.PP\n";
  s += roff_escaped(sub.description) + "\n";
  if (sub.takes_parent_options) s += "It takes every option of " + roff_escaped(program.name) + ".\n";
  s += options_of(sub);
  if (sub.footer != program.footer) s += preformatted(sub.footer);  // CLI11 hands a footer down: say it once
  return s;
}

/// The UTF-8 sequence at @p i as roff's `\[u00A1]` (which needs no input encoding, unlike the
/// bytes themselves); @p i moves to its last byte. A byte that begins no valid sequence is U+FFFD.
std::string unicode_escape(const std::string& text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  const std::size_t length = lead > 0xF4 ? 0 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  std::uint32_t code = 0xFFFD;
  if (length != 0 && i + length <= text.size()) {
    std::uint32_t value = lead & (0x7FU >> length);
    bool valid = true;
    for (std::size_t k = 1; k < length; ++k) {
      valid = valid && (byte(i + k) & 0xC0) == 0x80;
      value = (value << 6) | (byte(i + k) & 0x3FU);
    }
    const std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (valid && value >= least[length] && value <= 0x10FFFF && (value < 0xD800 || value > 0xDFFF)) {
      code = value;
      i += length - 1;
    }
  }
  std::array<char, 16> hex{};
  std::snprintf(hex.data(), hex.size(), "\\[u%04X]", static_cast<unsigned>(code));
  return hex.data();
}

}  // namespace

std::string roff_escaped(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (line_start && (c == '.' || c == '\'')) out += "\\&";  // not a request
    line_start = c == '\n';
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (static_cast<unsigned char>(c) < 0x80) {
      out += c;
    } else {
      out += unicode_escape(text, i);
    }
  }
  return out;
}

std::string man_page(const command_spec& program, const man_info& info) {
  std::string title;
  for (const char c : program.name)
    title += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string s = ".\\\" " + program.name + "(1), made by `" + program.name +
                  " man` from the program's own command line: regenerate it rather than edit it.\n";
  s += ".TH " + roff_escaped(title) + " 1 \"\" \"" + roff_escaped(info.version) + "\" \"User Commands\"\n";
  s += ".SH NAME\n" + roff_escaped(program.name) + " \\- " + roff_escaped(info.summary) + "\n";
  s += ".SH SYNOPSIS\n.B " + roff_escaped(program.name) + "\n" +
       usage(program, !program.subcommands.empty()) + "\n";
  s += ".SH DESCRIPTION\n" + roff_escaped(program.description) + "\n";
  s += ".SH OPTIONS\n" + options_of(program) + preformatted(program.footer);
  if (!program.subcommands.empty()) {
    s += ".SH COMMANDS\n";
    for (const auto& sub : program.subcommands)
      s += subcommand_block(program, sub);
  }
  if (!info.more.empty()) s += ".SH NOTES\n" + roff_escaped(info.more) + "\n";
  if (!info.see_also.empty()) {
    s += ".SH \"SEE ALSO\"\n";
    for (std::size_t i = 0; i < info.see_also.size(); ++i) {
      const auto& ref = info.see_also[i];
      const auto paren = std::min(ref.find('('), ref.size());  // "curl(1)": the name, then its section
      s += ".BR " + roff_escaped(ref.substr(0, paren)) + " \"" + ref.substr(paren) +
           (i + 1 < info.see_also.size() ? "," : "") + "\"\n";
    }
  }
  return s;
}

}  // namespace socketlab::cli
