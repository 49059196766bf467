// Fuzz target: what the echo clients make of what comes back (client/echo/echo_tally and the
// probe numbers of echo_stats): UDP datagrams from whoever answers, TCP reads of any size.
//
// Input: the workload (transport, count, size, burst, large sizes), then operations: 'S' the
// sender sends the next numbered message, 'P' it enters a phase; any other byte is what comes
// back: over UDP a datagram (a length byte, a truncation byte, the bytes), over TCP a read (a
// length byte, the bytes).
// Invariants:
// - an echo is counted at most once; no more come back than were sent; an echo of a message that
//   was sent has its number, and one that was not is "unknown";
// - every datagram counts once, as a numbered echo, a part of the burst or of a large message;
// - a TCP stream's bytes are divided among the messages in order: the k-th echo is message k,
//   and no phase gets more bytes than were sent in it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string_view>
#include <vector>

#include "client/echo/echo_client.hpp"
#include "client/echo/echo_tally.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using socketlab::fuzz::check;
namespace client = socketlab::client;

/// The bytes of @p reads together.
std::size_t sum(const std::vector<std::size_t>& reads) {
  return std::accumulate(reads.begin(), reads.end(), std::size_t{0});
}

/// The workload from the input's first bytes, and the result set up the way echo_run sets it up.
client::echo_options workload(socketlab::fuzz::input& in, client::echo_result& result) {
  client::echo_options options;
  result.transport = (in.byte() & 1) ? client::echo_transport::tcp : client::echo_transport::udp;
  options.count = in.byte() % 32;
  options.size = in.byte() % 64;
  options.burst = in.byte() % 8;
  for (std::size_t n = in.byte() % 4; n > 0; --n)
    options.large.push_back(in.byte());
  result.size = options.size;
  result.numbered = client::carries_numbers(result.transport, options.size);
  result.burst.messages = options.burst;
  result.burst.message_size = options.size;
  for (const auto size : options.large)
    result.large.push_back(client::delivery{1, size, {}, {}});
  return options;
}

/// Aborts unless the counts add up after @p datagrams datagrams and @p stream_bytes TCP bytes.
void check_counts(const client::echo_result& result, const client::echo_options& options, std::size_t events,
                  std::size_t datagrams, std::size_t stream_bytes) {
  const auto& stats = result.stats;
  check(stats.received() <= stats.sent(), "no more messages come back than were sent");
  check(result.truncated <= events && result.mismatched <= events, "truncated and mismatched are echoes");
  std::size_t large_reads = 0;
  for (const auto& d : result.large) {
    large_reads += d.reads.size();
    if (result.transport == client::echo_transport::tcp) {
      check(sum(d.reads) <= d.message_size, "a large message gets no more bytes than it has");
    }
  }
  if (result.transport == client::echo_transport::udp) {
    check(events + result.burst.reads.size() + large_reads <= datagrams, "a datagram counts once");
    return;
  }
  check(sum(result.burst.reads) <= options.burst * options.size, "the burst gets no more bytes than it has");
  check(events * options.size <= stream_bytes, "an echo is a whole message's bytes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  socketlab::fuzz::input in(data, size);
  client::echo_result result;
  const client::echo_options options = workload(in, result);
  std::size_t events = 0;
  std::uint64_t next_tcp_echo = 0;
  const client::echo_observer observer = [&](const client::echo_event& e) {
    ++events;
    const bool was_sent = e.sequence < result.stats.sent();
    check(was_sent == (e.kind != client::echo_stats::arrival::unknown), "unknown means never sent");
    if (was_sent) check(result.stats.answered(e.sequence), "an echo is recorded as answered");
    if (result.transport == client::echo_transport::tcp) {
      check(e.sequence == next_tcp_echo++ && e.bytes == options.size, "TCP echoes come whole, in order");
    }
  };
  client::echo_tally tally(options, observer, result);
  std::size_t datagrams = 0;
  std::size_t stream_bytes = 0;
  const auto t0 = client::echo_stats::clock::now();
  while (!in.rest().empty()) {
    const char op = static_cast<char>(in.byte());
    if (op == 'S') {
      if (result.stats.sent() < options.count) result.stats.on_sent(t0);
    } else if (op == 'P') {
      tally.enter(static_cast<client::echo_phase>(in.byte() % 3), in.byte() % 4);
    } else if (result.transport == client::echo_transport::udp) {
      const std::size_t length = in.byte();
      const bool truncated = (in.byte() & 1) != 0;
      const std::string_view bytes = in.bytes(length);
      tally.on_datagram(bytes, {bytes.size(), truncated ? 0 : bytes.size(), truncated});
      ++datagrams;
    } else {
      const std::string_view bytes = in.bytes(in.byte());
      tally.on_stream(bytes);
      stream_bytes += bytes.size();
    }
    check_counts(result, options, events, datagrams, stream_bytes);
  }
  return 0;
}
