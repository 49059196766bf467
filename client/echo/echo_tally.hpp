/// @file
/// What each piece an echo run gets back is: the echo of which numbered message, or a part of
/// the burst or of a large message. No I/O: the receiver hands it datagrams and stream reads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "client/echo/echo_client.hpp"
#include "socketlab/net/datagram.hpp"

namespace socketlab::client {

/// The three phases of an echo run, in order.
enum class echo_phase {
  numbered,  ///< the numbered messages, paced
  burst,     ///< messages written back to back
  large,     ///< single large messages, one at a time
};

/// Counts what comes back into an echo_result. A datagram is one message, matched by its number
/// (or, unnumbered, by the phase the sender is in); a TCP read is a piece of the stream, which
/// offsets divide among the messages in the order they were sent.
///
/// Threading: one thread (the run's event loop).
class echo_tally {
 public:
  using clock = echo_stats::clock;  ///< the clock of the round trips

  /// Counts into @p result, whose transport, numbering and deliveries are set already.
  /// @param options the workload
  /// @param observer told of each echo of a numbered message; may be empty
  /// @param result where the counts go
  echo_tally(const echo_options& options, const echo_observer& observer, echo_result& result);

  /// The sender has moved on: an unnumbered datagram from now on counts for @p phase.
  /// @param phase the phase
  /// @param large_index in the large phase, the message under way
  void enter(echo_phase phase, std::size_t large_index = 0) noexcept;

  /// A datagram came back.
  /// @param bytes what the receive kept
  /// @param got its real size and whether it was truncated
  void on_datagram(std::string_view bytes, const net::datagram_receipt& got);

  /// A TCP read brought the next piece of the stream: whole messages, parts of them, or the
  /// burst's bytes run together.
  /// @param bytes what the read returned
  void on_stream(std::string_view bytes);

  /// @return when the last first echo of a numbered message arrived
  [[nodiscard]] clock::time_point last_echo() const noexcept { return last_echo_; }

 private:
  /// The echo of numbered message @p sequence.
  void on_echo(std::uint64_t sequence, std::string_view bytes, std::size_t size, bool truncated);

  const echo_options& options_;              ///< the workload
  const echo_observer& observer_;            ///< told of each echo
  echo_result& result_;                      ///< where the counts go
  echo_phase phase_ = echo_phase::numbered;  ///< what the sender is doing
  std::size_t large_index_ = 0;              ///< the large message under way
  clock::time_point last_echo_{};            ///< when the last first echo arrived
  std::uint64_t offset_ = 0;                 ///< TCP: bytes of the stream received so far
  std::uint64_t next_echo_ = 0;              ///< TCP: the message the next whole one in pending_ is
  std::string pending_;                      ///< TCP: a numbered message's bytes, not yet whole
};

}  // namespace socketlab::client
