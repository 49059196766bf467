/// @file
/// Echo statistics made up without a network, for the echo reports' and failures' tests.
#pragma once

#include <chrono>
#include <cstdint>

#include "client/echo/echo_stats.hpp"

namespace socketlab::client::test {

/// When the made-up runs start.
inline const echo_stats::clock::time_point t0{};

/// Notes @p count messages sent 1 ms apart.
inline void send(echo_stats& stats, std::uint64_t count) {
  using namespace std::chrono_literals;
  for (std::uint64_t i = 0; i < count; ++i)
    (void)stats.on_sent(t0 + i * 1ms);
}

/// Notes the echo of message @p sequence, @p rtt after it left.
inline void echo(echo_stats& stats, std::uint64_t sequence, std::chrono::nanoseconds rtt) {
  (void)stats.on_received(sequence, stats.sent_at(sequence) + rtt);
}

}  // namespace socketlab::client::test
