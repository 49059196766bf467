#include "client/hold/hold_report.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "client/failure.hpp"
#include "client/format.hpp"

namespace socketlab::client {
namespace {

using duration = std::chrono::duration<double>;

/// Where a figure begins, after its label: the labels line up, as in a form.
constexpr int label_width = 19;

/// "held:" padded to label_width, so that every figure starts in the same column.
std::string label(const std::string& text) {
  return text +
         std::string(static_cast<std::size_t>(std::max(1, label_width - static_cast<int>(text.size()))), ' ');
}

/// A label's worth of blanks, for a figure's second line.
std::string more() {
  return std::string(label_width, ' ');
}

/// "0.213 ms": a fresh request's time.
std::string in_ms(duration d) {
  return format("%.3f ms", d.count() * 1000.0);
}

/// "4.1 ms", "0.41 s": a time as short as it stays readable.
std::string short_time(duration d) {
  return d.count() < 1.0 ? format("%.1f ms", d.count() * 1000.0) : format("%.2f s", d.count());
}

/// "6,912 KiB"
std::string kib(std::uint64_t bytes) {
  return grouped((bytes + 512) / 1024) + " KiB";
}

/// The failures, most first, one line each: "980 too many open files (EMFILE): the client's limit".
void write_failures(const std::string& heading, std::vector<hold_failure> failures, std::ostream& out) {
  std::stable_sort(failures.begin(), failures.end(),
                   [](const hold_failure& a, const hold_failure& b) { return a.count > b.count; });
  for (std::size_t i = 0; i < failures.size(); ++i) {
    out << (i == 0 ? label(heading) : more()) << grouped(static_cast<unsigned long long>(failures[i].count))
        << " " << failures[i].why << "\n";
  }
}

/// The client's open-file limit, and what it was before it was raised.
void write_files(const platform::open_file_limit& files, std::ostream& out) {
  if (files.now == 0) return;  // Windows: sockets are not counted against a limit
  const auto text = [](std::uint64_t n) {
    return n == platform::open_file_limit::unlimited ? std::string("unlimited") : grouped(n);
  };
  out << label("open-file limit:") << text(files.now);
  if (files.now != files.before) out << " (raised from " << text(files.before) << ")";
  out << "\n";
}

/// The server's resident memory before and after, and the difference per connection held.
void write_memory(const hold_options& options, const memory_figures& m, std::ostream& out) {
  out << label("server memory:");
  if (!options.server_pid) {
    out << "not measured; give the server's process id, e.g. --server-pid $(pgrep -n socketlab-server)\n";
    return;
  }
  if (m.error == std::errc::not_supported) {
    out << "unknown (Linux only)\n";
    return;
  }
  if (!m.before || !m.after) {
    out << "could not be read from process " << *options.server_pid << ": " << m.error.message() << "\n";
    return;
  }
  out << kib(*m.before) << " before, " << kib(*m.after) << " with "
      << grouped(static_cast<unsigned>(m.connections)) << " held";
  if (m.connections > 0) {
    const double per =
        (static_cast<double>(*m.after) - static_cast<double>(*m.before)) / m.connections / 1024.0;
    out << ": " << format("%.2f", per) << " KiB per connection";
  }
  out << " (RSS of pid " << *options.server_pid << ")\n";
}

/// The nearest-rank percentile @p p of @p sorted (not empty).
duration percentile(const std::vector<duration>& sorted, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

/// The fresh requests: how many were answered, their median (p99) and max, and the failures.
void write_probes(const hold_options& options, const probe_figures& p, std::ostream& out) {
  out << label("fresh requests:");
  if (p.tried == 0) {
    out << "none timed (--probes 0)\n";
    return;
  }
  std::vector<duration> times = p.times;
  std::sort(times.begin(), times.end());
  out << times.size() << " of " << p.tried << " answered, one after another while held";
  if (!times.empty()) {
    out << ": median " << in_ms(percentile(times, 50));
    if (times.size() >= 100) out << ", p99 " << in_ms(percentile(times, 99));
    out << ", max " << in_ms(times.back());
  }
  if (p.not_ok > 0) out << " (" << p.not_ok << " answered " << p.last_not_ok << ")";
  out << "\n";
  write_failures("", p.failures, out);
  if (p.stopped && p.tried < options.probes) {
    out << more() << "the rest (" << options.probes - p.tried
        << ") not tried: the server takes no new connection while these are held\n";
  }
}

/// What the server closed while they were held, and which of its timeouts likely did it.
void write_closures(const hold_options& options, const closure_figures& k, std::ostream& out) {
  out << label("closed by server:");
  if (k.closed == 0) {
    out << "none in the " << short_time(k.held_for) << " they were held";
    if (options.hold.count() == 0) out << " (--hold SECONDS keeps them longer)";
    out << "\n";
    return;
  }
  out << grouped(static_cast<unsigned>(k.closed)) << " in the " << short_time(k.held_for)
      << " they were held, " << short_time(*k.first)
      << (*k.last > *k.first ? " to " + short_time(*k.last) : "") << " after all were open";
  if (k.answered_first > 0) out << "; " << k.answered_first << " got a " << k.status << " first";
  out << "\n" << more();
  if (!options.send_request) {
    out << "they had sent nothing: a server closes such connections at its header timeout "
           "(socketlab-server: 10 s, --header-timeout)\n";
  } else {
    out << "closed while idle: the server's idle timeout (socketlab-server: 15 s, --idle-timeout), "
           "or its need for their threads (thread-pool)\n";
  }
}

}  // namespace

void write_hold_report(const hold_options& options, const hold_result& result, std::ostream& out) {
  out << "Holding " << grouped(static_cast<unsigned>(options.count)) << " connections to "
      << host_and_port(options.target.host, options.target.port);
  if (options.send_request) {
    out << ", each after one " << (options.request.method.empty() ? "GET" : options.request.method) << " "
        << options.target.target << " (keep-alive)";
  } else {
    out << ", each only connected (--no-request: nothing sent)";
  }
  out << ", on one event loop.\n\n";
  write_files(result.files, out);
  out << label("held:") << grouped(static_cast<unsigned>(result.held)) << " of "
      << grouped(static_cast<unsigned>(options.count)) << ", all tried in " << short_time(result.opening)
      << "\n";
  write_failures("not held:", result.failures, out);
  write_memory(options, result.memory, out);
  write_probes(options, result.probes, out);
  write_closures(options, result.closures, out);
  if (!result.stopped_by.empty()) out << label("stopped:") << result.stopped_by << " ended the lab early\n";
}

}  // namespace socketlab::client
