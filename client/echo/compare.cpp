#include "client/echo/compare.hpp"

#include <algorithm>
#include <array>

#include <asio/error.hpp>

#include "client/echo/echo_failure.hpp"
#include "client/echo/echo_report.hpp"
#include "client/format.hpp"

namespace socketlab::client {
namespace {

/// The large message both transports are tried with: more than one datagram can hold.
constexpr std::size_t large_message = 70'000;

/// "0.052 / 0.090 ms": the round trip's median and 99th percentile.
std::string rtt(const echo_result& r) {
  if (r.stats.rtt().count() == 0) return "-";
  return format("%.3f / %.3f ms", milliseconds(r.stats.rtt().value_at_percentile(50.0)),
                milliseconds(r.stats.rtt().value_at_percentile(99.0)));
}

/// "3 of 1,000": a count among the messages sent.
std::string of_sent(std::uint64_t n, const echo_result& r) {
  return grouped(n) + " of " + grouped(r.stats.sent());
}

/// Whether the burst came back in as many receives as it was sent in, each a message's size.
std::string boundaries(const echo_result& r) {
  const auto& d = r.burst;
  const bool kept =
      d.reads.size() == d.messages &&
      std::all_of(d.reads.begin(), d.reads.end(), [&](std::size_t n) { return n == d.message_size; });
  if (r.transport == echo_transport::tcp) {
    return std::string(kept ? "kept this time" : "not kept") + ": " + counted(d.messages, "write") + ", " +
           counted(d.reads.size(), "read");
  }
  return std::string(kept ? "kept" : "see the datagrams") + ": " + counted(d.messages, "datagram") + ", " +
         counted(d.reads.size(), "receive");
}

/// What became of one large message.
std::string fate(const echo_result& r, const delivery& d) {
  if (d.send_error == asio::error::message_size) return "refused: too long for one datagram";
  if (d.send_error) return "not sent: " + d.send_error.message();
  if (d.complete()) {
    return r.transport == echo_transport::tcp
               ? "delivered in " + counted(d.reads.size(), "read")
               : grouped(d.message_size) + " bytes (" + (r.ipv6 ? "IPv6" : "IPv4") + "), echoed whole";
  }
  return grouped(d.received()) + " of " + grouped(d.message_size) + " bytes came back";
}

/// Large message @p i of @p r; an empty delivery when there is none.
const delivery& large(const echo_result& r, std::size_t i) {
  static const delivery none{};
  return i < r.large.size() ? r.large[i] : none;
}

/// Prints @p rows as columns under "TCP" and "UDP".
void write_table(const std::vector<compare_row>& rows, std::ostream& out) {
  std::array<std::size_t, 2> widths = {0, 3};
  for (const auto& row : rows) {
    widths[0] = std::max(widths[0], row.measure.size());
    widths[1] = std::max(widths[1], row.tcp.size());
  }
  const auto line = [&](const std::string& a, const std::string& b, const std::string& c) {
    out << a << std::string(widths[0] + 2 - a.size(), ' ') << b << std::string(widths[1] + 2 - b.size(), ' ')
        << c << "\n";
  };
  line("", "TCP", "UDP");
  for (const auto& row : rows)
    line(row.measure, row.tcp, row.udp);
}

}  // namespace

compare_options default_compare_options() {
  compare_options o;
  o.tcp.count = 1000;
  o.tcp.interval = std::chrono::milliseconds(0);
  o.tcp.burst = 10;
  o.udp = o.tcp;
  o.tcp.large = {large_message};
  o.udp.large = {0, large_message};  // 0: the largest datagram the address family allows
  return o;
}

std::vector<compare_row> compare_rows(const echo_result& tcp, const echo_result& udp) {
  const auto rate = [](const echo_result& r) {
    return grouped(static_cast<unsigned long long>(r.round_trips_per_second()));
  };
  const auto megabytes = [](const echo_result& r) {
    return format("%.2f", r.round_trips_per_second() * static_cast<double>(r.size) / 1e6);
  };
  return {
      {"connection setup", tcp.setup ? format("%.3f ms handshake", milliseconds(*tcp.setup)) : "-",
       "none: no connection"},
      {"round trip p50 / p99", rtt(tcp), rtt(udp)},
      {"messages/s", rate(tcp), rate(udp)},
      {"MB/s", megabytes(tcp), megabytes(udp)},
      {"loss", of_sent(tcp.stats.lost(), tcp) + " (TCP resends)", of_sent(udp.stats.lost(), udp)},
      {"reordering", of_sent(tcp.stats.reordered(), tcp) + " (TCP keeps order)",
       of_sent(udp.stats.reordered(), udp)},
      {"message boundaries", boundaries(tcp), boundaries(udp)},
      {"largest message", "no limit: a byte stream", fate(udp, large(udp, 0))},
      {grouped(large(tcp, 0).message_size) + "-byte message", fate(tcp, large(tcp, 0)),
       fate(udp, large(udp, 1))},
  };
}

int run_compare(const compare_options& options, std::ostream& out, std::ostream& err) {
  const echo_result tcp = run_echo(echo_transport::tcp, options.tcp);
  const echo_result udp = run_echo(echo_transport::udp, options.udp);
  const failure tcp_failure = explain_echo_run(tcp, options.tcp);
  const failure udp_failure = explain_echo_run(udp, options.udp);
  if (tcp_failure.status != exit_status::ok || udp_failure.status != exit_status::ok) {
    for (const auto* f : {&tcp_failure, &udp_failure}) {
      if (f->status != exit_status::ok) report_failure(*f, err);
    }
    return tcp_failure.status != exit_status::ok ? tcp_failure.status : udp_failure.status;
  }
  out << "TCP " << host_and_port(options.tcp.host, options.tcp.port) << " vs UDP "
      << host_and_port(options.udp.host, options.udp.port) << ": " << counted(options.tcp.count, "message")
      << " of " << counted(options.tcp.size, "byte") << " each, " << pacing(echo_transport::tcp, options.tcp)
      << "\n\n";
  write_table(compare_rows(tcp, udp), out);
  return exit_status::ok;
}

}  // namespace socketlab::client
