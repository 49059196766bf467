// What every command of socketlab-server says the same way: a failure on a network path, a stop
// signal, and the way out of a port that cannot be used.
#include "server/messages.hpp"

#include <csignal>
#include <stdexcept>
#include <string>
#include <vector>

#include <asio/error.hpp>

#include "support/catch.hpp"

using namespace socketlab;

namespace {

/// A listen_failure on 127.0.0.1:@p port.
net::listen_failure failed(std::string_view step, std::error_code code, std::uint16_t port) {
  return net::listen_failure({step, code}, {asio::ip::address_v4::loopback(), port});
}

/// How the HTTP command takes a port.
std::string site_option(std::uint16_t port) {
  return "--site " + std::to_string(port) + "=en";
}

}  // namespace

TEST_CASE("explain: another port for one in use, the next one up", "[unit][server][messages]") {
  CHECK(server::explain(failed("bind", asio::error::address_in_use, 8888), 8080, site_option) ==
        "port 8888 is already in use (another server?); choose another with --site 8889=en");
  // After the last port, the usual one.
  CHECK(server::explain(failed("listen", asio::error::address_in_use, 65535), 7007, [](std::uint16_t p) {
          return "--port " + std::to_string(p);
        }) == "port 65535 is already in use (another server?); choose another with --port 7007");
}

TEST_CASE("explain: a privileged port, and an address not on this machine", "[unit][server][messages]") {
  CHECK(server::explain(failed("bind", asio::error::access_denied, 80), 8080, site_option) ==
        "permission denied for port 80 (ports below 1024 need privileges); choose a port from 1024 up, "
        "e.g. --site 8080=en");
  const auto elsewhere =
      server::explain(failed("bind", asio::error::invalid_argument, 8888), 8080, site_option);
  CHECK_THAT(elsewhere,
             Catch::Matchers::EndsWith("; listen on an address of this machine, e.g. --host 127.0.0.1 or "
                                       "--host 0.0.0.0"));
  // Another step's failure has no advice to give beyond the system's words.
  const auto other = server::explain(failed("listen", asio::error::no_buffer_space, 8888), 8080, site_option);
  CHECK(other.find("; ") == std::string::npos);
}

TEST_CASE("fail: one line naming the step, or nothing without a console", "[unit][server][messages]") {
  std::vector<std::string> lines;
  const server::log_sink console = [&lines](std::string_view text) { lines.emplace_back(text); };
  server::fail(console, "accept", make_error_code(asio::error::no_descriptors));
  server::fail(console, "connection", std::runtime_error("out of memory"));
  server::fail_on_exception(console, "accept loop")(std::make_exception_ptr(std::logic_error("a bug")));
  server::fail_on_exception(console, "accept loop")(nullptr);  // the coroutine ended normally
  server::fail({}, "accept", make_error_code(asio::error::no_descriptors));
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] ==
        "socketlab-server: accept: " + make_error_code(asio::error::no_descriptors).message() + "\n");
  CHECK(lines[1] == "socketlab-server: connection: out of memory\n");
  CHECK(lines[2] == "socketlab-server: accept loop: a bug\n");
}

TEST_CASE("stop_signal_line names the signal and what happens now", "[unit][server][messages]") {
  CHECK(server::stop_signal_line(SIGINT, "stopping") == "socketlab-server: SIGINT received; stopping\n");
  CHECK(server::stop_signal_line(SIGTERM, "finishing the requests under way") ==
        "socketlab-server: SIGTERM received; finishing the requests under way\n");
#ifdef SIGBREAK  // Windows' Ctrl+Break (the MinGW build runs this under Wine)
  CHECK(server::stop_signal_line(SIGBREAK, "stopping") == "socketlab-server: SIGBREAK received; stopping\n");
#endif
  // The name comes from the number: anything else is not called a SIGTERM.
  CHECK(server::stop_signal_line(SIGSEGV, "stopping") ==
        "socketlab-server: signal " + std::to_string(SIGSEGV) + " received; stopping\n");
}
