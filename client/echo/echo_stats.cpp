#include "client/echo/echo_stats.hpp"

#include "client/format.hpp"

namespace socketlab::client {

std::string encode_probe(std::uint64_t sequence, std::size_t size) {
  std::string payload(size, '.');
  for (std::size_t i = 0; i < sequence_bytes && i < size; ++i) {
    payload[i] = static_cast<char>((sequence >> (8 * (sequence_bytes - 1 - i))) & 0xff);
  }
  return payload;
}

std::optional<std::uint64_t> decode_probe(std::string_view payload) {
  if (payload.size() < sequence_bytes) return std::nullopt;
  std::uint64_t sequence = 0;
  for (std::size_t i = 0; i < sequence_bytes; ++i) {
    sequence = (sequence << 8) | static_cast<unsigned char>(payload[i]);
  }
  return sequence;
}

std::uint64_t echo_stats::on_sent(clock::time_point when) {
  send_times_.push_back(when);
  seen_.push_back(false);
  return send_times_.size() - 1;
}

echo_stats::arrival echo_stats::on_received(std::uint64_t sequence, clock::time_point when) {
  if (sequence >= send_times_.size()) return arrival::unknown;
  const auto index = static_cast<std::size_t>(sequence);
  if (seen_[index]) {
    ++duplicates_;
    return arrival::duplicate;
  }
  seen_[index] = true;
  ++received_;
  rtt_.record(when - send_times_[index]);
  if (highest_ && sequence < *highest_) {
    ++reordered_;
    return arrival::reordered;
  }
  highest_ = sequence;
  return arrival::first;
}

double echo_stats::loss_percent() const noexcept {
  return sent() == 0 ? 0.0 : 100.0 * static_cast<double>(lost()) / static_cast<double>(sent());
}

std::string echo_stats::summary() const {
  std::string line = format(
      "%llu sent, %llu received, %.1f%% loss, %llu duplicates, %llu reordered",
      static_cast<unsigned long long>(sent()), static_cast<unsigned long long>(received_), loss_percent(),
      static_cast<unsigned long long>(duplicates_), static_cast<unsigned long long>(reordered_));
  if (rtt_.count() > 0) {
    line += format(", rtt min/avg/max/p99 = %.3f/%.3f/%.3f/%.3f ms", milliseconds(rtt_.min()),
                   rtt_.mean().count() / 1e6, milliseconds(rtt_.max()),
                   milliseconds(rtt_.value_at_percentile(99.0)));
  }
  return line;
}

}  // namespace socketlab::client
