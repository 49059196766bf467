#include "client/echo/echo_tally.hpp"

#include <algorithm>
#include <optional>

namespace socketlab::client {

echo_tally::echo_tally(const echo_options& options, const echo_observer& observer, echo_result& result)
    : options_(options), observer_(observer), result_(result) {}

void echo_tally::enter(echo_phase phase, std::size_t large_index) noexcept {
  phase_ = phase;
  large_index_ = large_index;
}

void echo_tally::on_datagram(std::string_view bytes, const net::datagram_receipt& got) {
  const auto number = result_.numbered ? decode_probe(bytes) : std::nullopt;
  const std::uint64_t first_burst = options_.count;
  const std::uint64_t first_large = first_burst + options_.burst;
  if (number ? *number < first_burst : phase_ == echo_phase::numbered) {
    const std::uint64_t sequence = number ? *number : result_.stats.sent() - 1;
    on_echo(sequence, bytes, got.size, got.truncated);
  } else if (number ? *number < first_large : phase_ == echo_phase::burst) {
    result_.burst.reads.push_back(bytes.size());
  } else {
    const auto i = number ? static_cast<std::size_t>(*number - first_large) : large_index_;
    if (i < result_.large.size()) result_.large[i].reads.push_back(bytes.size());
  }
}

void echo_tally::on_stream(std::string_view bytes) {
  // Offsets in the stream tell which phase each byte belongs to.
  const std::uint64_t numbered_end = options_.count * options_.size;
  const std::uint64_t burst_end = numbered_end + options_.burst * options_.size;
  while (!bytes.empty()) {
    std::size_t take = bytes.size();
    if (offset_ < numbered_end) {
      take = static_cast<std::size_t>(std::min<std::uint64_t>(take, numbered_end - offset_));
      pending_.append(bytes.substr(0, take));
      while (pending_.size() >= options_.size && next_echo_ < result_.stats.sent()) {
        on_echo(next_echo_, std::string_view(pending_).substr(0, options_.size), options_.size, false);
        pending_.erase(0, options_.size);
        ++next_echo_;
      }
    } else if (offset_ < burst_end) {
      take = static_cast<std::size_t>(std::min<std::uint64_t>(take, burst_end - offset_));
      result_.burst.reads.push_back(take);
    } else {
      std::uint64_t region_end = burst_end;
      for (auto& d : result_.large) {  // find the large message this offset is in
        region_end += d.message_size;
        if (offset_ < region_end) {
          take = static_cast<std::size_t>(std::min<std::uint64_t>(take, region_end - offset_));
          d.reads.push_back(take);
          break;
        }
      }
    }
    offset_ += take;
    bytes.remove_prefix(take);
  }
}

void echo_tally::on_echo(std::uint64_t sequence, std::string_view bytes, std::size_t size, bool truncated) {
  const auto now = clock::now();
  echo_event e;
  e.sequence = sequence;
  e.kind = result_.stats.on_received(sequence, now);
  e.bytes = bytes.size();
  e.size = size;
  e.truncated = truncated;
  e.mismatched = !truncated && bytes != encode_probe(sequence, options_.size);
  if (e.kind != echo_stats::arrival::unknown) e.rtt = now - result_.stats.sent_at(sequence);
  if (e.kind == echo_stats::arrival::first || e.kind == echo_stats::arrival::reordered) last_echo_ = now;
  result_.truncated += truncated ? 1 : 0;
  result_.mismatched += e.mismatched ? 1 : 0;
  if (observer_) observer_(e);
}

}  // namespace socketlab::client
