/// @file
/// `socketlab-client udp-echo`, `tcp-echo` and `compare`: the echo clients' reports.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "client/echo_client.hpp"
#include "client/failure.hpp"

namespace socketlab::client {

/// Runs udp-echo or tcp-echo and prints a report like ping's: a line saying what is sent, with
/// @p verbose a line per echo ("64 bytes from 127.0.0.1:7007: seq=3 time=0.052 ms"), then the
/// statistics. tcp-echo also prints the connect time and, with a burst, what the reads
/// returned.
/// @param transport TCP or UDP
/// @param options the workload
/// @param verbose a line per echo, and the numbers that got none
/// @param out the report
/// @param err a failure's one line
/// @return 0; 28 when no echo came back; another exit_status for a failure
int run_echo_command(echo_transport transport, const echo_options& options, bool verbose, std::ostream& out,
                     std::ostream& err);

/// What compare runs.
struct compare_options {
  echo_options tcp;  ///< the TCP server and the workload
  echo_options udp;  ///< the UDP server and the same workload
};

/// compare's defaults: 1,000 messages of 64 bytes one at a time, a burst of 10, and the two
/// large messages (the largest IPv4 datagram and 70,000 bytes), against 127.0.0.1:7007.
/// @return the options
[[nodiscard]] compare_options default_compare_options();

/// One line of compare's table.
struct compare_row {
  std::string measure;  ///< what the line compares
  std::string tcp;      ///< TCP's result
  std::string udp;      ///< UDP's result
};

/// The table compare prints, from two runs with the same workload.
/// @param tcp the TCP run (with the burst and the two large messages)
/// @param udp the UDP run (likewise)
/// @return the rows, in order
[[nodiscard]] std::vector<compare_row> compare_rows(const echo_result& tcp, const echo_result& udp);

/// Runs the same workload over TCP and UDP and prints compare_rows() as a table. When a
/// server does not answer, says which socketlab-server command starts it.
/// @param options the two servers and the workload
/// @param out the table
/// @param err failures, one line each
/// @return 0, or the exit_status of the first failure
int run_compare(const compare_options& options, std::ostream& out, std::ostream& err);

/// Explains why an echo run stopped: nothing listening (with the socketlab-server command that
/// starts one), a message too long for a datagram, a timeout, a closed connection.
/// @param result the run
/// @param options what it was asked to do
/// @return the failure; its status is exit_status::ok when the run did not fail
[[nodiscard]] failure explain_echo(const echo_result& result, const echo_options& options);

}  // namespace socketlab::client
