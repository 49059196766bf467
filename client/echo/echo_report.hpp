/// @file
/// udp-echo's and tcp-echo's report, like ping's: what is sent, a line per echo (-v), then the
/// statistics, and with a burst what the receives made of it.
#pragma once

#include <ostream>
#include <string>

#include "client/echo/echo_client.hpp"

namespace socketlab::client {

/// How the numbered messages are paced: "one at a time" (each once the previous echo is back) or
/// "one every 200 ms".
/// @param t TCP or UDP
/// @param o the workload
/// @return the words, to follow "10 messages of 64 bytes, "
[[nodiscard]] std::string pacing(echo_transport t, const echo_options& o);

/// The first line: "UDP echo to 127.0.0.1:7007: 10 messages of 64 bytes, one every 200 ms", and
/// a note when the messages are empty or too short to carry their number.
/// @param t TCP or UDP
/// @param o the workload
/// @param out where the report goes
void write_echo_header(echo_transport t, const echo_options& o, std::ostream& out);

/// The line per echo (-v): "64 bytes from 127.0.0.1:7007: seq=3 time=0.052 ms", and what was
/// odd about it (out of order, a duplicate, truncated, different bytes).
/// @param e the echo
/// @param o the workload
/// @return the line, without a line end
[[nodiscard]] std::string echo_line(const echo_event& e, const echo_options& o);

/// The statistics: the connect time (TCP) or the local address (UDP), ping's summary, the rate,
/// truncated and altered echoes, with @p verbose the numbers that got no echo, and what became of
/// the burst's boundaries.
/// @param r the run
/// @param o the workload
/// @param verbose list the numbers that got no echo
/// @param out where the report goes
void write_echo_statistics(const echo_result& r, const echo_options& o, bool verbose, std::ostream& out);

}  // namespace socketlab::client
