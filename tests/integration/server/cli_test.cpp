// socketlab-server's command line, run in-process: parsing, config files, start-up errors,
// and a whole run stopped by SIGINT.
#include "server/cli.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "socketlab/net/tcp_listener.hpp"
#include "support/capture_stream.hpp"
#include "support/catch.hpp"
#include "support/raw_client.hpp"
#include "support/temp_folder.hpp"

using namespace socketlab;
using namespace std::chrono_literals;

namespace {

/// An argv for @p args with the program name in front; it points into @p args.
std::vector<const char*> argv_for(std::vector<std::string>& args) {
  args.insert(args.begin(), "socketlab-server");
  std::vector<const char*> argv;
  for (const auto& a : args)
    argv.push_back(a.c_str());
  return argv;
}

/// Runs run_cli() with these arguments; returns the exit status.
int run(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  const auto argv = argv_for(args);
  return server::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
}

/// Parses these arguments; returns the command line or fails the test with the error text.
server::command_line parse(std::vector<std::string> args) {
  const auto argv = argv_for(args);
  std::ostringstream out;
  std::ostringstream err;
  auto result = server::parse_command_line(static_cast<int>(argv.size()), argv.data(), out, err);
  INFO(err.str());
  REQUIRE(std::holds_alternative<server::command_line>(result));
  return std::get<server::command_line>(result);
}

/// Runs with these arguments, expecting a failure; returns the one error line.
std::string failure(std::vector<std::string> args, int expected_status = 2) {
  std::ostringstream out;
  std::ostringstream err;
  CHECK(run(std::move(args), out, err) == expected_status);
  const auto text = err.str();
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);  // one line
  return text;
}

}  // namespace

TEST_CASE("cli: no arguments are the original three sites on loopback", "[integration][cli]") {
  const auto cl = parse({});
  REQUIRE(cl.config.sites.size() == 3);
  CHECK(cl.config.sites[0].port == 8888);
  CHECK(cl.config.sites[0].spec == "en");
  CHECK(cl.config.sites[1].port == 8881);
  CHECK(cl.config.sites[1].spec == "fr");
  CHECK(cl.config.sites[2].port == 8000);
  CHECK(cl.config.sites[2].spec == "es");
  CHECK(cl.config.host == "127.0.0.1");
  CHECK(cl.config.model == server::serving_model::async);
  CHECK(cl.config.threads == 0);  // the model's default
  CHECK(server::worker_threads(cl.config) == 1);
  CHECK(cl.config.max_connections == 512);
  CHECK(cl.config.sites[0].work == 0ms);
  CHECK(cl.config.backlog == 0);        // the system maximum
  CHECK_FALSE(cl.config.defer_accept);  // accept() as lesson 02 teaches it, unless asked
  CHECK(cl.access_log == "-");
}

TEST_CASE("cli: options, and `http` as an explicit command", "[integration][cli]") {
  const auto cl = parse({"http", "--site", "9001=ru", "--site", "9002=de", "--host", "::1", "--backlog", "5",
                         "--threads", "3", "-v", "--defer-accept", "--header-timeout", "0.5", "--max-body",
                         "100", "--access-log", "off"});
  REQUIRE(cl.config.sites.size() == 2);
  CHECK(cl.config.sites[1].port == 9002);
  CHECK(cl.config.sites[1].spec == "de");
  CHECK(cl.config.host == "::1");
  CHECK(cl.config.backlog == 5);
  CHECK(cl.config.threads == 3);
  CHECK(cl.config.defer_accept);
  CHECK(cl.config.verbose);
  CHECK(cl.config.timeouts.header == 500ms);
  CHECK(cl.config.limits.max_body == 100);
  CHECK(cl.access_log == "off");
}

TEST_CASE("cli: a --config file holds the same settings", "[integration][cli]") {
  const std::string path = "socketlab-cli-test.ini";
  {
    std::ofstream file(path);
    file
        << "# socketlab-server settings\nsite = [\"8080=it\", \"8081=pt\"]\nthreads = 2\nidle-timeout = 30\n";
  }
  const auto cl = parse({"--config", path});
  std::remove(path.c_str());
  REQUIRE(cl.config.sites.size() == 2);
  CHECK(cl.config.sites[0].port == 8080);
  CHECK(cl.config.sites[0].spec == "it");
  CHECK(cl.config.sites[1].spec == "pt");
  CHECK(cl.config.threads == 2);
  CHECK(cl.config.timeouts.idle == 30s);
}

TEST_CASE("cli: mistakes get one line saying what is wrong and what is right", "[integration][cli]") {
  CHECK_THAT(failure({"--site", "8888"}),
             test::contains("write PORT=LANG, PORT=echo or PORT=DIR, e.g. --site 8888=en"));
  CHECK_THAT(failure({"--site", "99999=en"}), test::contains("'99999'"));
  CHECK_THAT(
      failure({"--site", "8888=xx"}),
      test::contains("--site 8888=xx: unknown language 'xx' and no folder 'xx'; use one of en, fr, es"));
  CHECK_THAT(
      failure({"--model", "forking"}),
      test::contains("unknown model 'forking'; use iterative, thread-per-connection, thread-pool or async"));
  CHECK_THAT(failure({"--model", "iterative", "--threads", "4"}),
             test::contains("--threads: the iterative model serves on one thread; use --model thread-pool or "
                            "--model async for --threads"));
  CHECK_THAT(failure({"--model", "thread-per-connection", "--threads", "4"}),
             test::contains("limit them with --max-connections"));
  CHECK_THAT(failure({"--max-connections", "0"}), test::contains("--max-connections"));
  CHECK_THAT(failure({"--model", "iterative", "--max-connections", "10"}),
             test::contains("the iterative model serves one connection at a time and leaves the rest in the "
                            "listen queue; size that with --backlog"));
  CHECK_THAT(failure({"--work-ms", "-5"}), test::contains("--work-ms"));
  CHECK_THAT(failure({"--site", "8888=en", "stray"}), test::contains("stray"));
  CHECK_THAT(failure({"--site", "8888=en", "--site", "8888=fr"}), test::contains("port 8888 is given twice"));
  CHECK_THAT(failure({"--threads", "0"}), test::contains("--threads"));
  CHECK_THAT(failure({"--bogus"}), test::contains("--help"));
  CHECK_THAT(failure({"--config", "no-such-file.ini"}), test::contains("no-such-file.ini"));
}

TEST_CASE("cli: --model, --threads, --max-connections", "[integration][cli]") {
  for (auto model : server::all_serving_models) {
    const std::string name(server::to_string(model));
    CAPTURE(name);
    CHECK(parse({"--model", name}).config.model == model);
  }
  const auto pool = parse({"--model", "thread-pool"});
  CHECK(server::worker_threads(pool.config) == 8);
  const auto sized = parse({"--model", "thread-pool", "--threads", "3", "--max-connections", "40"});
  CHECK(server::worker_threads(sized.config) == 3);
  CHECK(sized.config.max_connections == 40);
  CHECK(server::worker_threads(parse({"--threads", "2"}).config) == 2);  // async
}

TEST_CASE("cli: --work-ms belongs to the --site before it; before any --site, to every site",
          "[integration][cli]") {
  const auto cl = parse(
      {"--site", "9001=en", "--work-ms", "50", "--site", "9002=fr", "--site", "9003=es", "--work-ms=7"});
  REQUIRE(cl.config.sites.size() == 3);
  CHECK(cl.config.sites[0].work == 50ms);
  CHECK(cl.config.sites[1].work == 0ms);
  CHECK(cl.config.sites[2].work == 7ms);

  const auto all = parse({"--work-ms", "20", "--site", "9001=en", "--site", "9002=fr", "--work-ms", "5"});
  CHECK(all.config.sites[0].work == 20ms);
  CHECK(all.config.sites[1].work == 5ms);

  const auto defaults = parse({"--work-ms", "30"});  // the original three sites
  REQUIRE(defaults.config.sites.size() == 3);
  for (const auto& s : defaults.config.sites)
    CHECK(s.work == 30ms);

  // A config file has no order between its keys: its work-ms is every site's.
  const std::string path = "socketlab-cli-work-test.ini";
  {
    std::ofstream file(path);
    file << "site = [\"8080=it\", \"8081=pt\"]\nwork-ms = 40\nmodel = \"thread-pool\"\n";
  }
  const auto from_file = parse({"--config", path});
  std::remove(path.c_str());
  REQUIRE(from_file.config.sites.size() == 2);
  CHECK(from_file.config.sites[0].work == 40ms);
  CHECK(from_file.config.sites[1].work == 40ms);
  CHECK(from_file.config.model == server::serving_model::thread_pool);
}

TEST_CASE("cli: --help and --version", "[integration][cli]") {
  std::ostringstream out;
  std::ostringstream err;
  CHECK(run({"--help"}, out, err) == 0);
  CHECK_THAT(out.str(), test::contains("--site PORT=LANG"));
  CHECK_THAT(out.str(), test::contains("ru  Russian"));
  std::ostringstream version;
  CHECK(run({"--version"}, version, err) == 0);
  CHECK(version.str() == "socketlab-server " SOCKETLAB_VERSION "\n");
}

TEST_CASE("cli: a taken port ends start-up with one clear line", "[integration][cli]") {
  asio::io_context io;
  net::tcp_listener taken(io.get_executor());
  REQUIRE_FALSE(taken.listen({asio::ip::make_address("127.0.0.1"), 0}, 5));
  const auto port = std::to_string(taken.local_endpoint().port());
  const auto next = std::to_string(taken.local_endpoint().port() + 1);
  CHECK(failure({"--site", port + "=en"}, 1) ==
        "socketlab-server: port " + port +
            " is already in use (another server?); choose another with --site " + next + "=en\n");
}

/// socketlab-server's run() on a thread of its own, from its banner to the exit SIGINT asks for.
class running_server {
 public:
  /// Starts run(@p args) and waits for its banner (FAILs with its error when start-up fails).
  explicit running_server(std::vector<std::string> args) {
    thread_ = std::thread([this, args = std::move(args)] { status_ = run(args, out_, err_); });
    if (!out_.wait_for("Press Ctrl+C to stop.", 10s)) {
      thread_.join();  // start-up failed: err says why
      FAIL(err_.str());
    }
    const auto banner = out_.str();
    const auto at = banner.find("http://127.0.0.1:");
    REQUIRE(at != std::string::npos);
    port_ = static_cast<std::uint16_t>(std::stoi(banner.substr(at + 17)));
  }
  running_server(const running_server&) = delete;
  running_server& operator=(const running_server&) = delete;
  ~running_server() {
    if (thread_.joinable()) stop();
  }

  /// Raises SIGINT and waits for run() to return.
  /// @return its exit status
  int stop() {
    std::raise(SIGINT);
    thread_.join();
    return status_;
  }

  /// @return the first site's port
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  /// @return standard output, as captured so far
  [[nodiscard]] test::capture_stream& out() noexcept { return out_; }
  /// @return standard error, as captured so far
  [[nodiscard]] test::capture_stream& err() noexcept { return err_; }

 private:
  test::capture_stream out_;
  test::capture_stream err_;
  int status_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

TEST_CASE("cli: serves until SIGINT, then exits 0, whatever the model", "[integration][cli]") {
  // The signal arrives on the event loop; a blocking model's threads are woken from there.
  const std::string model = GENERATE("iterative", "thread-per-connection", "thread-pool", "async");
  CAPTURE(model);
  running_server server({"--site", "0=es", "--work-ms", "1", "--model", model, "--access-log", "-"});
  const auto banner = server.out().str();
  CHECK_THAT(banner, test::contains("Spanish (es), 1 ms of work per request"));
  CHECK_THAT(banner, test::contains(": " + model + " model"));

  const auto res = test::round_trip(server.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(res.body == "\u00A1Hola, Mundo!\n");
  CHECK(server.out().wait_for("\"GET / HTTP/1.1\" 200 ", 5s));  // the access log line

  CHECK(server.stop() == 0);
  CHECK_THAT(server.out().str(), test::contains("SIGINT received"));
  CHECK(server.err().str().empty());
}

TEST_CASE("cli: --access-log FILE appends a line per response to the file", "[integration][cli]") {
  const test::temp_folder folder("socketlab-cli-log");
  const auto log = folder.path() / "access.log";
  std::ofstream(log, std::ios::binary) << "a line from before\n";
  {
    running_server server(
        {"--site", "0=en", "--model", "async", "--threads", "2", "--access-log", log.string()});
    for (const char* path : {"/", "/none", "/"})
      test::round_trip(server.port(), std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(server.stop() == 0);
    CHECK_THAT(server.out().str(), !test::contains("GET /"));  // the file has them, not stdout
  }
  std::ifstream in(log, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "a line from before");  // appended, not overwritten
  CHECK_THAT(lines[1], test::contains("\"GET / HTTP/1.1\" 200 14"));
  CHECK_THAT(lines[2], test::contains("\"GET /none HTTP/1.1\" 404 "));
  CHECK_THAT(lines[3], test::contains("\"GET / HTTP/1.1\" 200 14"));

  // A file that cannot be opened: one line that says what to give instead.
  const auto text =
      failure({"--site", "0=en", "--access-log", (folder.path() / "no-folder" / "a.log").string()});
  CHECK_THAT(text, test::contains("cannot open access log"));
  CHECK_THAT(text, test::contains("give a writable file, - for standard output, or off"));
}

TEST_CASE("cli: udp-echo and tcp-echo take their own options", "[integration][cli]") {
  const auto udp =
      parse({"udp-echo", "--port",       "9007", "--host",      "::1", "--drop",    "0.25", "--delay",
             "30",       "--jitter",     "5",    "--duplicate", "0.1", "--reorder", "0.2",  "--seed",
             "9",        "--rate-limit", "100",  "-v"});
  CHECK(udp.what == server::command_line::command::udp_echo);
  CHECK(udp.udp.port == 9007);
  CHECK(udp.udp.host == "::1");
  CHECK(udp.udp.impair.drop == 0.25);
  CHECK(udp.udp.impair.delay == 30ms);
  CHECK(udp.udp.impair.jitter == 5ms);
  CHECK(udp.udp.impair.duplicate == 0.1);
  CHECK(udp.udp.impair.reorder == 0.2);
  CHECK(udp.udp.impair.seed == 9);
  CHECK(udp.udp.rate_limit == 100);
  CHECK(udp.udp.verbose);
  const auto udp_default = parse({"udp-echo"});
  CHECK(udp_default.udp.port == 7007);
  CHECK(udp_default.udp.host == "127.0.0.1");
  CHECK_FALSE(udp_default.udp.impair.active());

  const auto tcp = parse({"tcp-echo", "--idle-timeout", "500", "--backlog", "5"});
  CHECK(tcp.what == server::command_line::command::tcp_echo);
  CHECK(tcp.tcp.port == 7007);
  CHECK(tcp.tcp.idle == 500ms);
  CHECK(tcp.tcp.backlog == 5);
}

TEST_CASE("cli: echo servers' mistakes get one line too", "[integration][cli]") {
  CHECK_THAT(failure({"udp-echo", "--drop", "1.5"}), test::contains("--drop"));
  CHECK_THAT(failure({"udp-echo", "--site", "8888=en"}), test::contains("--site"));
  CHECK_THAT(failure({"tcp-echo", "--host", "nowhere"}), test::contains("'nowhere' is not an IP address"));
  asio::io_context io;
  net::tcp_listener taken(io.get_executor());
  REQUIRE_FALSE(taken.listen({asio::ip::make_address("127.0.0.1"), 0}, 5));
  const auto port = std::to_string(taken.local_endpoint().port());
  const auto next = std::to_string(taken.local_endpoint().port() + 1);
  CHECK(failure({"tcp-echo", "--port", port}, 1) == "socketlab-server: tcp-echo: port " + port +
                                                        " is already in use (another server?); choose "
                                                        "another with --port " +
                                                        next + "\n");
}
