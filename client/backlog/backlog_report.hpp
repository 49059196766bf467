/// @file
/// The listen queue lab's table: who was served when, and who waited.
#pragma once

#include <chrono>
#include <ostream>
#include <vector>

#include "client/backlog/backlog.hpp"

namespace socketlab::client {

/// How much later than the first answered connection a connection must be answered to count
/// as having waited: well above loopback service times, well below the 1 s a dropped SYN costs.
inline constexpr std::chrono::milliseconds wait_threshold{50};

/// Prints the table (one row per connection, in arrival order) and the summary: how many were
/// answered at once, how many waited and how long, how many failed.
/// @param options the lab's settings (for the heading)
/// @param entries run_backlog()'s result
/// @param out where the table goes
void write_backlog_report(const backlog_options& options, const std::vector<backlog_entry>& entries,
                          std::ostream& out);

}  // namespace socketlab::client
