/// @file
/// What an echo client measures: loss, duplicates, reordering and round-trip times, by sequence number.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/latency_histogram.hpp"

namespace socketlab::client {

/// The bytes a probe's number takes: 64 bits, big-endian (network order).
inline constexpr std::size_t sequence_bytes = 8;

/// The bytes of one probe: an 8-byte big-endian sequence number, then filler up to @p size
/// (a probe shorter than 8 bytes carries no number and cannot be matched).
/// @param sequence the probe's number, from 0
/// @param size the probe's length in bytes
/// @return the payload
[[nodiscard]] std::string encode_probe(std::uint64_t sequence, std::size_t size);

/// The sequence number in an echoed probe.
/// @param payload what came back
/// @return the number, or nothing when the payload is too short to hold one
[[nodiscard]] std::optional<std::uint64_t> decode_probe(std::string_view payload);

/// Counts, like ping, what happened to numbered probes: sent, received, lost, duplicated,
/// reordered, and each first echo's round-trip time. No I/O: the UDP and TCP echo clients
/// tell it what they sent and what came back, and the tests feed it made-up arrivals.
///
/// Reordered: an echo whose number is below one already received. Duplicate: a number that
/// came back before. Lost: sent, and not received (by the time summary is asked for).
///
/// Threading: one thread at a time.
class echo_stats {
 public:
  using clock = std::chrono::steady_clock;  ///< the clock of every time given

  /// Notes that probe number sent() (0, 1, 2, ...) left at @p when.
  /// @param when the time of the send
  /// @return the probe's number
  std::uint64_t on_sent(clock::time_point when);

  /// What an arrival was.
  enum class arrival {
    first,      ///< the first echo of this number, in order
    reordered,  ///< the first echo of this number, after a higher number
    duplicate,  ///< this number came back before
    unknown,    ///< no probe with this number was sent
  };

  /// Notes the echo of probe @p sequence at @p when.
  /// @param sequence the number decoded from the echo
  /// @param when the time of arrival
  /// @return what the arrival was (a round-trip time is recorded for first and reordered)
  arrival on_received(std::uint64_t sequence, clock::time_point when);

  /// @param sequence a probe's number
  /// @return whether an echo of it came back
  [[nodiscard]] bool answered(std::uint64_t sequence) const noexcept {
    return sequence < seen_.size() && seen_[static_cast<std::size_t>(sequence)];
  }
  /// @param sequence a probe's number, below sent()
  /// @return when it left
  [[nodiscard]] clock::time_point sent_at(std::uint64_t sequence) const {
    return send_times_.at(static_cast<std::size_t>(sequence));
  }
  /// @return probes sent
  [[nodiscard]] std::uint64_t sent() const noexcept { return send_times_.size(); }
  /// @return distinct probes that came back
  [[nodiscard]] std::uint64_t received() const noexcept { return received_; }
  /// @return probes that have not come back
  [[nodiscard]] std::uint64_t lost() const noexcept { return sent() - received_; }
  /// @return echoes of a number that had already come back
  [[nodiscard]] std::uint64_t duplicates() const noexcept { return duplicates_; }
  /// @return first echoes that came after a higher number's
  [[nodiscard]] std::uint64_t reordered() const noexcept { return reordered_; }
  /// @return the loss in percent of the probes sent; 0 when none were
  [[nodiscard]] double loss_percent() const noexcept;
  /// @return the round-trip times of the first echoes
  [[nodiscard]] const latency_histogram& rtt() const noexcept { return rtt_; }

  /// One line like ping's: "10 sent, 9 received, 10% loss, 0 duplicates, 1 reordered,
  /// rtt min/avg/max/p99 = 0.051/0.062/0.090/0.090 ms".
  /// @return the line, without a line end
  [[nodiscard]] std::string summary() const;

 private:
  std::vector<clock::time_point> send_times_;  ///< by sequence number
  std::vector<bool> seen_;                     ///< by sequence number: came back already
  std::uint64_t received_ = 0;                 ///< distinct numbers that came back
  std::uint64_t duplicates_ = 0;               ///< echoes of a number seen before
  std::uint64_t reordered_ = 0;                ///< first echoes below the highest seen
  std::optional<std::uint64_t> highest_;       ///< the highest number that came back
  latency_histogram rtt_;                      ///< first echoes' round trips
};

}  // namespace socketlab::client
