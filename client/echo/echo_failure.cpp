#include "client/echo/echo_failure.hpp"

#include <string>

#include <asio/error.hpp>

#include "client/format.hpp"
#include "socketlab/net/datagram.hpp"

namespace socketlab::client {
namespace {

/// "TCP 127.0.0.1:7007": the server as the user named it.
std::string server_name(echo_transport t, const echo_options& o) {
  return name(t) + std::string(" ") + host_and_port(o.host, o.port);
}

/// The socketlab-server command that starts the server @p o names.
std::string start_command(echo_transport t, const echo_options& o) {
  std::string command = std::string("socketlab-server ") + command_name(t);
  if (o.host != "127.0.0.1" && o.host != "localhost") command += " --host " + o.host;
  if (o.port != default_echo_port) command += " --port " + std::to_string(o.port);
  return command;
}

std::size_t max_datagram(bool ipv6) {
  return ipv6 ? net::max_udp_payload_ipv6 : net::max_udp_payload_ipv4;
}

/// "message too long for one UDP datagram over IPv4 (max 65,507 bytes)"
std::string too_long_for_datagram(bool ipv6) {
  return std::string("message too long for one UDP datagram over ") + (ipv6 ? "IPv6" : "IPv4") + " (max " +
         grouped(max_datagram(ipv6)) + " bytes)";
}

/// Nothing listening: TCP's connect was refused (RST); or, UDP, the peer's system answered an
/// earlier datagram with ICMP "port unreachable", which a connected UDP socket reports on its
/// next receive.
failure nothing_listening(const echo_result& r, const echo_options& o) {
  return {exit_status::connect,
          "nothing is listening on " + server_name(r.transport, o) +
              (r.transport == echo_transport::udp ? " (its system answered \"port unreachable\")"
                                                  : " (the connection was refused)") +
              "; start one with: " + start_command(r.transport, o)};
}

}  // namespace

failure explain_echo(const echo_result& r, const echo_options& o) {
  const std::string server = server_name(r.transport, o);
  const std::string echoes = grouped(r.stats.received()) + " of " + grouped(r.stats.sent()) +
                             (r.stats.sent() == 1 ? " echo" : " echoes");
  const auto& ec = r.failure;
  if (!ec) return {exit_status::ok, {}};
  if (r.failed_step == "resolve") return explain_open(o.host, o.port, {}, ec, o.timeout);
  if (ec == asio::error::connection_refused) return nothing_listening(r, o);
  if (r.failed_step == "connect") return explain_open(o.host, o.port, r.tried, ec, o.timeout);
  if (ec == asio::error::message_size) {
    return {exit_status::usage, "--size " + std::to_string(o.size) + ": " + too_long_for_datagram(r.ipv6) +
                                    "; use --size " + std::to_string(max_datagram(r.ipv6)) +
                                    " or less, or tcp-echo, which carries any size"};
  }
  if (ec == asio::error::timed_out) {
    return {exit_status::timeout, "timed out after " + format_seconds(o.timeout) +
                                      " waiting for an echo from " + server + " (" + echoes +
                                      " came back); is it an echo server?"};
  }
  if (ec == asio::error::eof) {
    return {exit_status::partial, server + " closed the connection after " + echoes};
  }
  if (ec == asio::error::connection_reset || ec == asio::error::connection_aborted) {
    return {exit_status::receive, server + " reset the connection after " + echoes};
  }
  const bool sending = r.failed_step == "send";
  return {
      sending ? exit_status::send : exit_status::receive,
      std::string("could not ") + (sending ? "send to " : "receive from ") + server + ": " + ec.message()};
}

failure explain_echo_run(const echo_result& r, const echo_options& o) {
  failure f = explain_echo(r, o);
  if (f.status == exit_status::ok && r.stats.sent() > 0 && r.stats.received() == 0) {
    f = {exit_status::timeout, "no echo came back from " + server_name(r.transport, o) + " within " +
                                   format_seconds(o.timeout) +
                                   "; UDP has no connection, so a missing server and lost datagrams look "
                                   "alike: is " +
                                   start_command(r.transport, o) + " running?"};
  }
  return f;
}

}  // namespace socketlab::client
