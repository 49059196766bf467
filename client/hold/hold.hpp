/// @file
/// The C10k lab: open many connections, keep them open and idle, and measure what that costs
/// the server (its memory per connection) and what a fresh request takes meanwhile.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <asio/ip/tcp.hpp>

#include "client/http/request_builder.hpp"
#include "client/http/url.hpp"
#include "client/platform.hpp"

namespace socketlab::client {

/// The lab's settings.
struct hold_options {
  using duration = std::chrono::duration<double>;  ///< seconds, fractional
  url target;                                      ///< what each connection asks for
  request_options request;                         ///< method and fields (keep-alive)
  int count = 1000;                                ///< -n: connections to hold
  bool send_request = true;                        ///< false with --no-request: only connect
  int probes = 20;                                 ///< --probes: fresh requests timed while they are held
  duration timeout{5};                             ///< --timeout: for each connection, connect and response
  duration hold{0};                                ///< --hold: how long to keep them once all are open
  std::optional<std::int64_t> server_pid;          ///< --server-pid: whose memory to read
};

/// The connections that could not be held for one reason.
struct hold_failure {
  std::string why;         ///< what happened, such as "refused (ECONNREFUSED)"
  int status = 0;          ///< the exit status (curl's number) that says it
  std::error_code error;   ///< the error behind it; empty for a response that closed the connection
  bool connected = false;  ///< the connections got as far as connecting
  int count = 0;           ///< how many connections
};

/// The server's resident memory before the connections were opened and once all were held.
struct memory_figures {
  std::optional<std::uint64_t> before;  ///< bytes; none when not measured
  std::optional<std::uint64_t> after;   ///< bytes; none when not measured
  std::error_code error;                ///< why a reading is missing (not_supported off Linux)
  int connections = 0;                  ///< connections held when `after` was read
};

/// The fresh requests timed while the connections were held.
struct probe_figures {
  std::vector<std::chrono::duration<double>> times;  ///< each answered one, from connect to last byte
  int tried = 0;                                     ///< probes started
  int not_ok = 0;                                    ///< answered with a status outside 200..399
  int last_not_ok = 0;                               ///< the last such status
  std::vector<hold_failure> failures;                ///< the probes that got no answer, by reason
  bool stopped = false;                              ///< a probe timed out, and the rest were not tried
};

/// The held connections the server closed before the lab ended.
struct closure_figures {
  using duration = std::chrono::duration<double>;  ///< seconds, fractional
  int closed = 0;                                  ///< connections the server closed (or reset)
  int answered_first = 0;                          ///< of those, the ones that got a response first (a 408)
  int status = 0;                                  ///< that response's status
  std::optional<duration> first;                   ///< the first close, from the moment all were held
  std::optional<duration> last;                    ///< the last close, likewise
  duration held_for{};                             ///< how long they were held
};

/// What the lab measured.
struct hold_result {
  platform::open_file_limit files;          ///< the client's open-file limit, raised
  int held = 0;                             ///< connections open and idle once all were tried
  std::vector<hold_failure> failures;       ///< the others, by reason, in order of first occurrence
  std::chrono::duration<double> opening{};  ///< from the first connect to the last one's outcome
  memory_figures memory;                    ///< the server's resident memory
  probe_figures probes;                     ///< the fresh requests
  closure_figures closures;                 ///< what the server closed meanwhile
  std::string stopped_by;                   ///< the signal that ended the lab early ("SIGINT"); empty if none
};

/// Runs the lab, all on one thread and one event loop: raises the open-file limit, reads the
/// server's memory, opens options.count connections at once (each sends its request and reads
/// the response, unless --no-request), waits a moment for the server to settle, reads its memory
/// again, times options.probes fresh requests one after another, keeps the connections
/// options.hold longer while watching for the server closing them, then closes them all.
/// SIGINT or SIGTERM (Ctrl+C) ends the lab early; what was measured is returned all the same.
/// @param options the lab's settings
/// @param server the address to connect to
/// @return the figures
[[nodiscard]] hold_result run_hold(const hold_options& options, const asio::ip::tcp::endpoint& server);

}  // namespace socketlab::client
