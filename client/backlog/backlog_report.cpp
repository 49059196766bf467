#include "client/backlog/backlog_report.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "client/format.hpp"

namespace socketlab::client {
namespace {

using duration = backlog_entry::duration;

/// "0.412 ms", "201 ms", "1.81 s": a time as short as it stays readable.
std::string format_time(duration d) {
  const double ms = d.count() * 1000.0;
  if (ms < 10) return format("%.3f ms", ms);
  if (ms < 1000) return format("%.1f ms", ms);
  return format("%.2f s", d.count());
}

/// A time, or "-" when there is none.
std::string format_time(const std::optional<duration>& d) {
  return d ? format_time(*d) : "-";
}

/// A 503 (past the server's --max-connections) is a refusal, not service: it neither sets the
/// first answer's time nor counts as answered at once.
bool refused(const backlog_entry& e) {
  return e.error.empty() && e.status == 503;
}

/// When the first connection that was served got its first byte; nothing when none was.
std::optional<duration> first_answer(const std::vector<backlog_entry>& entries) {
  std::optional<duration> fastest;
  for (const auto& e : entries) {
    if (!refused(e) && e.first_byte && (!fastest || *e.first_byte < *fastest)) fastest = e.first_byte;
  }
  return fastest;
}

/// What the rows add up to, for the summary.
struct tally {
  int waited = 0;                       ///< answered later than wait_threshold after the first
  int failed = 0;                       ///< got no response
  int refusals = 0;                     ///< got a 503
  duration longest{};                   ///< the longest wait
  duration shortest = duration::max();  ///< the shortest wait
};

/// The last column of @p e's row: its error, its refusal, or how long it waited; counted in @p t.
std::string note(const backlog_entry& e, const std::optional<duration>& fastest, tally& t) {
  if (!e.error.empty()) {
    ++t.failed;
    return e.error;
  }
  if (refused(e)) {
    ++t.refusals;
    return "refused: the server is full";
  }
  if (fastest && e.first_byte && *e.first_byte - *fastest > wait_threshold) {
    ++t.waited;
    const auto wait = *e.first_byte - *fastest;
    t.longest = std::max(t.longest, wait);
    t.shortest = std::min(t.shortest, wait);
    return format_time(wait);
  }
  return {};
}

/// "10 connections: 1 answered at once, 9 waited (1.01 s to 9.05 s longer than the first), 0 failed."
void write_summary(std::size_t count, const tally& t, std::ostream& out) {
  const auto served = static_cast<int>(count) - t.failed - t.refusals;
  out << "\n"
      << count << " connections: " << served - t.waited << " answered at once, " << t.waited << " waited";
  if (t.waited > 0) {
    out << " (" << format_time(t.shortest) << (t.waited > 1 ? " to " + format_time(t.longest) : "")
        << " longer than the first)";
  }
  if (t.refusals > 0) out << ", " << t.refusals << " refused (503)";
  out << ", " << t.failed << " failed.\n";
}

}  // namespace

void write_backlog_report(const backlog_options& options, const std::vector<backlog_entry>& entries,
                          std::ostream& out) {
  out << entries.size() << " connections to " << host_and_port(options.target.host, options.target.port)
      << " opened at once";
  if (options.hold.count() > 0) out << ", each closed " << options.hold.count() << " ms after its response";
  out << ".\nTimes count from that moment; rows are in the order the responses began to arrive.\n\n";
  out << format("%7s %5s %10s %12s %12s %12s %7s  %s\n", "arrival", "conn", "local port", "connected",
                "first byte", "complete", "status", "waited");
  const auto fastest = first_answer(entries);
  tally t;
  int arrival = 0;
  for (const auto& e : entries) {
    const std::string waited = note(e, fastest, t);
    const std::string place = e.first_byte ? std::to_string(++arrival) : "-";
    const std::string status = e.status != 0 ? std::to_string(e.status) : "-";
    const std::string port = e.local_port != 0 ? std::to_string(e.local_port) : "-";
    out << format("%7s %5d %10s %12s %12s %12s %7s  ", place.c_str(), e.number, port.c_str(),
                  format_time(e.connected).c_str(), format_time(e.first_byte).c_str(),
                  format_time(e.complete).c_str(), status.c_str())
        << waited << "\n";
  }
  write_summary(entries.size(), t, out);
}

}  // namespace socketlab::client
