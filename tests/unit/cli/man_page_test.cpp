// The manual page made from a command line: every visible option and command in it, nothing hidden,
// and text escaped so that roff neither swallows a line nor turns `--help` into dashes.
#include "socketlab/cli/man_page.hpp"

#include <string>

#include "support/catch.hpp"
#include "unit/cli/sample_app.hpp"

namespace cli = socketlab::cli;
using socketlab::test::contains;

TEST_CASE("roff_escaped keeps text from being read as roff", "[unit][cli]") {
  CHECK(cli::roff_escaped("--help") == "\\-\\-help");
  CHECK(cli::roff_escaped("a\\b") == "a\\eb");
  CHECK(cli::roff_escaped(".TH x") == "\\&.TH x");  // a request, were it not escaped
  CHECK(cli::roff_escaped("'x") == "\\&'x");
  CHECK(cli::roff_escaped("one\n.two\n'three") == "one\n\\&.two\n\\&'three");
  CHECK(cli::roff_escaped("a.b 'c'") == "a.b 'c'");  // only at the start of a line
  CHECK(cli::roff_escaped("") == "");
  CHECK(cli::roff_escaped("\xC2\xA1Hola") == "\\[u00A1]Hola");                // ¡, two bytes
  CHECK(cli::roff_escaped("\xD0\x9F!") == "\\[u041F]!");                      // П
  CHECK(cli::roff_escaped("\xE2\x80\xAF!") == "\\[u202F]!");                  // a narrow no-break space
  CHECK(cli::roff_escaped("\xF0\x9F\x98\x80") == "\\[u1F600]");               // four bytes
  CHECK(cli::roff_escaped("\xC0\xAF") == "\\[uFFFD]\\[uFFFD]");               // overlong: not UTF-8
  CHECK(cli::roff_escaped("\xE2\x80") == "\\[uFFFD]\\[uFFFD]");               // cut short
  CHECK(cli::roff_escaped("\xED\xA0\x80") == "\\[uFFFD]\\[uFFFD]\\[uFFFD]");  // a surrogate
  CHECK(cli::roff_escaped("\xFC\x90\x80\x80") == "\\[uFFFD]\\[uFFFD]\\[uFFFD]\\[uFFFD]");  // no lead byte
}

TEST_CASE("the manual page has every visible option and command, and nothing hidden", "[unit][cli]") {
  socketlab::test::sample_values values;
  const auto app = socketlab::test::sample_app(values);
  const auto page =
      cli::man_page(cli::describe(*app), {"tool 1.0", "does things", {"curl(1)", "wrk(1)"}, "More."});

  CHECK(page.starts_with(".\\\""));  // a comment first: made, not written
  CHECK_THAT(page, contains(".TH TOOL 1 \"\" \"tool 1.0\" \"User Commands\"\n"));
  CHECK_THAT(page, contains(".SH NAME\ntool \\- does things\n"));
  CHECK_THAT(page, contains(".SH SYNOPSIS\n.B tool\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n"));
  CHECK_THAT(page, contains("tool: does things.\n\\&.A line that begins with a dot\n"));
  CHECK_THAT(
      page,
      contains(".TP\n\\fB\\-\\-model\\fR \\fITEXT:{iterative,async}\\fR\nhow it works (default: async)\n"));
  CHECK_THAT(page, contains(".TP\n\\fB\\-c\\fR, \\fB\\-\\-count\\fR \\fIINT"));
  CHECK_THAT(page, contains(".TP\n\\fB\\-v\\fR, \\fB\\-\\-verbose\\fR\nsay more\n"));
  CHECK_THAT(page, contains(".nf\nExit status: 0 done,\n2 a mistake \\e back\\-slashed\n.fi\n"));
  CHECK_THAT(page, contains(".SS \"tool run\"\n.B tool run\n[\\fIOPTIONS\\fR] \\fIURL\\fR...\n"));
  CHECK_THAT(page, contains("It takes every option of tool.\n"));
  CHECK_THAT(page, contains(".SS \"tool shell\"\n.B tool shell\n[\\fIOPTIONS\\fR] [\\fISHELL\\fR]\n"));
  CHECK_THAT(page, contains(".SH NOTES\nMore.\n"));
  CHECK_THAT(page, contains(".SH \"SEE ALSO\"\n.BR curl \"(1),\"\n.BR wrk \"(1)\"\n"));
  // CLI11 hands the tool's footer down to its subcommands: the page says it once.
  CHECK(page.find("Exit status") == page.rfind("Exit status"));
  CHECK(page.find("secret") == std::string::npos);
  CHECK(page.find("internal") == std::string::npos);
  CHECK(page.find("\n ") == std::string::npos);  // no line begins with a space (roff would break there)
}
