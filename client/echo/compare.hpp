/// @file
/// `socketlab-client compare`: the same messages over TCP and UDP, side by side in one table.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "client/echo/echo_client.hpp"

namespace socketlab::client {

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

}  // namespace socketlab::client
