/// @file
/// Simulated network trouble for the UDP echo server: loss, delay, jitter, duplicates, reordering.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace socketlab::server {

/// What `udp-echo --drop/--delay/--jitter/--duplicate/--reorder/--seed` ask for. Probabilities
/// are 0..1 and apply to each received datagram independently.
struct impairment_config {
  double drop = 0;                      ///< chance a datagram is dropped (no echo at all)
  double duplicate = 0;                 ///< chance an echo is sent twice
  double reorder = 0;                   ///< chance an echo is held back and sent after the next one
  std::chrono::milliseconds delay{0};   ///< every echo waits this long
  std::chrono::milliseconds jitter{0};  ///< plus a uniform random 0..jitter
  std::uint64_t seed = 0;               ///< the random sequence; the same seed gives the same run

  /// @return whether any impairment is on (else the server echoes at once, as RFC 862 says)
  [[nodiscard]] bool active() const noexcept {
    return drop > 0 || duplicate > 0 || reorder > 0 || delay.count() > 0 || jitter.count() > 0;
  }
};

/// What to do with one received datagram.
struct echo_plan {
  bool drop = false;  ///< send nothing
  int copies = 1;     ///< 1, or 2 for a duplicate
  bool hold = false;  ///< keep it until the next datagram from the same sender has been echoed
  std::chrono::milliseconds delay{0};  ///< wait this long before sending
};

/// Decides, datagram by datagram, how the simulated network treats the echo. No I/O: the
/// server asks decide() and carries the plan out, and the tests check the statistics.
///
/// The decisions come from a 64-bit Mersenne Twister turned into [0, 1) by hand (the standard
/// distributions differ between standard libraries; the engine's output does not), so one seed
/// gives the same run on Linux, macOS and Windows.
///
/// Threading: one thread at a time.
class impairment {
 public:
  /// @param config the probabilities and delays
  explicit impairment(const impairment_config& config);

  /// Draws the plan for the next datagram: drop? else duplicate? hold for reordering? delay?
  /// @return the plan
  [[nodiscard]] echo_plan decide();

 private:
  /// A uniform number in [0, 1) with 53 random bits.
  double uniform();

  impairment_config config_;  ///< what to simulate
  std::mt19937_64 random_;    ///< the seeded sequence
};

}  // namespace socketlab::server
