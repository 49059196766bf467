// socketlab-client's command line without a network: each mistake answered by exit status 2 and
// one line that names it; --help and --version.
#include "client/cli.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/client_run.hpp"

using socketlab::test::contains;
using socketlab::test::run_client;

TEST_CASE("each command-line mistake is exit status 2 and one line naming it", "[unit][client]") {
  struct mistake {
    std::vector<std::string> args;  ///< the command line after the program name
    std::string hint;               ///< a part of the one line that must be there
  };
  const std::string url = "http://127.0.0.1:9/";  // never reached: each mistake is found first
  const auto m = GENERATE_COPY(values<mistake>({
      {{}, "subcommand"},
      {{"get"}, "URL is required"},
      {{"get", "https://127.0.0.1/"}, "https is not supported"},
      {{"get", "-H", "Accept text/plain", url}, "-H 'Accept text/plain': write 'Name: value'"},
      {{"get", "-H", "Accept : text/plain", url}, "no space before the colon"},
      {{"get", "-X", "GE T", url}, "-X 'GE T': a method is a token such as GET, POST or DELETE"},
      {{"get", "--pause", "100", url}, "--pause waits between --split pieces; add --split N"},
      {{"get", "-I", "-d", "x=1", url}, "-I sends HEAD, which has no body; drop -d or -I"},
      {{"get", "--timeout", "soon", url}, "'soon' is not a duration"},
      {{"get", "--split", "0", url}, "--split"},
      {{"bench", "-c", "2", "-t", "4", url},
       "-c 2 with -t 4: each thread needs a connection; use -c 4 or more"},
      {{"bench", "-d", "10h", url}, "'10h' is not a duration"},
      {{"backlog", "--timeout", "-1", url}, "'-1' is not a duration"},
      {{"hold"}, "URL is required"},
      {{"hold", "-n", "0", url}, "--connections"},
      {{"hold", "--timeout", "soon", url}, "'soon' is not a duration"},
      {{"hold", "--hold", "-1", url}, "'-1' is not a duration"},
      {{"hold", "--probes", "-1", url}, "--probes"},
      {{"hold", "--server-pid", "0", url}, "--server-pid"},
      {{"hold", "--no-request", "-H", "X-A: 1", url},
       "--no-request sends nothing, so -X and -H have nothing to change; drop them or --no-request"},
      {{"udp-echo", "127.0.0.1:0"}, "udp-echo '127.0.0.1:0': port 0 cannot be sent to"},
      {{"tcp-echo", "::1:7007"}, "tcp-echo '::1:7007': put an IPv6 address in brackets: [::1]:7007"},
      {{"tcp-echo", "--size", "0"}, "--size 0: TCP carries bytes, not messages"},
      {{"udp-echo", "--count", "0"}, "--count"},
      {{"udp-echo", "--interval", "-1"}, "--interval"},
      {{"compare", "--size", "4"},
       "compare numbers every message in its first 8 bytes; use --size 8 or more"},
      {{"compare", "--udp", "x:99999"}, "--udp 'x:99999': '99999' is not a port"},
  }));
  std::string line;
  for (const auto& a : m.args)
    line += a + " ";
  CAPTURE(line);
  const auto r = run_client(m.args);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err.starts_with("socketlab-client: "));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.ends_with("\n"));
  CHECK_THAT(r.err, contains(m.hint));
}

// A CR or LF in a -H value or a URL (easy with $'...' in a shell) is shown escaped, so the
// message stays one line.
TEST_CASE("a mistake with a line break in it is still one line", "[unit][client]") {
  const auto args = GENERATE(values<std::vector<std::string>>({
      {"get", "-H", "X-A: 1\r\nX-Injected: 2", "http://127.0.0.1:9/"},
      {"get", "http://127.0.0.1:9/\r\nX-Injected: 2"},
  }));
  CAPTURE(args);
  const auto r = run_client(args);
  CHECK(r.status == 2);
  CHECK(r.err.starts_with("socketlab-client: "));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find('\r') == std::string::npos);
}

TEST_CASE("an unknown subcommand is named in the one line, with the commands there are", "[unit][client]") {
  const auto r = run_client({"fetch", "http://127.0.0.1:9/"});
  CHECK(r.status == 2);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_THAT(
      r.err,
      contains("'fetch' is not a command; use get, bench, backlog, hold, udp-echo, tcp-echo or compare"));
}

TEST_CASE("--help and --version answer on standard output with status 0", "[unit][client]") {
  const auto help = run_client({"--help"});
  CHECK(help.status == 0);
  CHECK(help.err.empty());
  CHECK_THAT(help.out, contains("get"));
  CHECK_THAT(help.out, contains("bench"));
  CHECK_THAT(help.out, contains("backlog"));
  CHECK_THAT(help.out, contains("hold"));
  CHECK_THAT(help.out, contains("Exit status (curl's numbers)"));

  CHECK_THAT(help.out, contains("udp-echo"));
  CHECK_THAT(help.out, contains("compare"));

  const auto get_help = run_client({"get", "--help"});
  CHECK(get_help.status == 0);
  CHECK_THAT(get_help.out, contains("--pipeline"));

  const auto hold_help = run_client({"hold", "--help"});
  CHECK(hold_help.status == 0);
  CHECK_THAT(hold_help.out, contains("--server-pid"));
  CHECK_THAT(hold_help.out, contains("--no-request"));

  const auto version = run_client({"--version"});
  CHECK(version.status == 0);
  CHECK(version.out == "socketlab-client " SOCKETLAB_VERSION "\n");
}
