#include "client/echo/echo_report.hpp"

#include <cstdint>
#include <vector>

#include "client/format.hpp"

namespace socketlab::client {
namespace {

/// "64 + 576 bytes": the sizes of the receives, the first few.
std::string sizes(const std::vector<std::size_t>& reads) {
  constexpr std::size_t shown = 8;
  std::string text;
  for (std::size_t i = 0; i < reads.size() && i < shown; ++i)
    text += (i ? " + " : "") + grouped(reads[i]);
  if (reads.size() > shown) text += " + ...";
  return text + " bytes";
}

/// "no echo for seq=3 7 12": the numbers that never came back.
void write_lost(const echo_stats& stats, std::ostream& out) {
  constexpr std::size_t shown = 20;
  std::size_t listed = 0;
  for (std::uint64_t i = 0; i < stats.sent(); ++i) {
    if (stats.answered(i)) continue;
    if (listed == shown) {
      out << " ...";
      break;
    }
    out << (listed++ ? " " : "no echo for seq=") << i;
  }
  if (listed) out << "\n";
}

/// The boundaries the burst came back with, and what that says.
std::string boundary_sentence(echo_transport t, const delivery& d) {
  if (t == echo_transport::tcp) {
    return "byte stream: " + counted(d.messages, "write") + " of " + counted(d.message_size, "byte") +
           " came back in " + counted(d.reads.size(), "read") + " (" + sizes(d.reads) +
           "); TCP keeps the bytes and their order, not the boundaries between writes";
  }
  return "datagrams: " + counted(d.messages, "send") + " of " + counted(d.message_size, "byte") +
         " came back as " + counted(d.reads.size(), "receive") + " (" + sizes(d.reads) +
         "); each datagram keeps its boundaries";
}

/// "10 round trips in 1.803 s: 5.5 messages/s, 0.00 MB/s"
void write_rate(const echo_result& r, const echo_options& o, std::ostream& out) {
  const double seconds = std::chrono::duration<double>(r.elapsed).count();
  const double rate = r.round_trips_per_second();
  out << counted(r.stats.received(), "round trip") << " in "
      << (seconds < 1 ? format("%.3f ms", seconds * 1e3) : format("%.3f s", seconds)) << ": "
      << (rate < 10 ? format("%.1f", rate) : grouped(static_cast<unsigned long long>(rate + 0.5)))
      << format(" messages/s, %.2f MB/s\n", rate * static_cast<double>(o.size) / 1e6);
}

}  // namespace

std::string pacing(echo_transport t, const echo_options& o) {
  if (o.interval.count() == 0 || !carries_numbers(t, o.size)) return "one at a time";
  return "one every " + std::to_string(o.interval.count()) + " ms";
}

void write_echo_header(echo_transport t, const echo_options& o, std::ostream& out) {
  out << name(t) << " echo to " << host_and_port(o.host, o.port) << ": " << counted(o.count, "message")
      << " of " << counted(o.size, "byte") << ", " << pacing(t, o) << "\n";
  const bool numbered = carries_numbers(t, o.size);
  if (o.size == 0) {
    out << "(empty datagrams: UDP delivers them, each a message; a TCP read of 0 bytes would mean the "
           "peer closed)\n";
  }
  if (!numbered) {
    out << "(a message under " << sequence_bytes
        << " bytes has no room for its number: they go one at a time, and each echo "
           "counts for the last one sent)\n";
  }
}

std::string echo_line(const echo_event& e, const echo_options& o) {
  std::string line = format("%llu bytes from %s: seq=%llu time=%.3f ms",
                            static_cast<unsigned long long>(e.bytes), host_and_port(o.host, o.port).c_str(),
                            static_cast<unsigned long long>(e.sequence), milliseconds(e.rtt));
  if (e.kind == echo_stats::arrival::reordered) line += " (out of order)";
  if (e.kind == echo_stats::arrival::duplicate) line += " (DUP!)";
  if (e.truncated) {
    line += " TRUNCATED: the datagram was " +
            (e.size ? grouped(e.size) + " bytes" : std::string("larger than the buffer")) + "; the " +
            grouped(o.buffer) + "-byte receive buffer kept " + grouped(e.bytes) +
            " and the system discarded the rest";
  } else if (e.mismatched) {
    line += " (the bytes differ from those sent)";
  }
  return line;
}

void write_echo_statistics(const echo_result& r, const echo_options& o, bool verbose, std::ostream& out) {
  out << "--- " << host_and_port(o.host, o.port) << " " << name(r.transport) << " echo statistics ---\n";
  if (r.setup) {
    out << format("connected from %s in %.3f ms (the three-way handshake: SYN, SYN-ACK, ACK)\n",
                  r.local.c_str(), milliseconds(*r.setup));
  } else if (!r.local.empty()) {
    out << "sent from " << r.local << " (no connection to set up: each datagram stands alone)\n";
  }
  out << r.stats.summary() << "\n";
  if (r.stats.received() > 0) write_rate(r, o, out);
  if (r.truncated) {
    out << counted(r.truncated, "echo") << " truncated: larger than the " << grouped(o.buffer)
        << "-byte receive buffer (--buffer); the system discarded the rest of each\n";
  }
  if (r.mismatched)
    out << counted(r.mismatched, "echo") << " differed from what was sent: is that an echo server?\n";
  if (verbose) write_lost(r.stats, out);
  if (o.burst > 0 && !r.failure) out << boundary_sentence(r.transport, r.burst) << "\n";
}

}  // namespace socketlab::client
