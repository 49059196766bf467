/// @file
/// The listen queue lab: many users at once, to watch a server's listen queue fill.
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

namespace socketlab::client {

/// The lab's settings.
struct backlog_options {
  url target;                                 ///< what each connection asks for
  request_options request;                    ///< method and fields
  int count = 10;                             ///< -n: connections opened at once
  std::chrono::milliseconds hold{0};          ///< --hold: how long each stays open after its response
  std::chrono::duration<double> timeout{60};  ///< --timeout: when the lab gives up on a connection
};

/// What happened to one connection. Times count from the moment all connections were started.
struct backlog_entry {
  using duration = std::chrono::duration<double>;  ///< seconds, fractional
  int number = 0;                                  ///< 1..count, the order in which connect() was called
  std::uint16_t local_port = 0;        ///< this side's port, to find the connection in ss or netstat
  std::optional<duration> connected;   ///< when the handshake completed
  std::optional<duration> first_byte;  ///< when the response began to arrive
  std::optional<duration> complete;    ///< when the response was complete
  int status = 0;                      ///< the response's status; 0 when there was none
  std::string error;                   ///< what went wrong; empty when the response came
  std::error_code failure;             ///< the error behind it (timed_out when --timeout passed)
};

/// Opens options.count connections at once, sends the request on each as soon as it is
/// connected, reads the response, keeps the connection options.hold longer (a user who lingers,
/// keeping a one-at-a-time server busy), and closes it. All on one thread and event loop.
/// @param options the lab's settings
/// @param server the address to connect to
/// @return one entry per connection, in arrival order: by the time of the first response byte,
///   connections that failed last
[[nodiscard]] std::vector<backlog_entry> run_backlog(const backlog_options& options,
                                                     const asio::ip::tcp::endpoint& server);

}  // namespace socketlab::client
