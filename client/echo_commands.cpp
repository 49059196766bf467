#include "client/echo_commands.hpp"

#include <algorithm>

#include <asio/error.hpp>

#include "client/format.hpp"
#include "socketlab/net/datagram.hpp"

namespace socketlab::client {
namespace {

constexpr std::uint16_t default_port = 7007;  ///< the echo servers' default, so no --port is needed
constexpr std::size_t large_message = 70'000;

/// "127.0.0.1:7007", "[::1]:7007": the server as the user named it.
std::string where(const echo_options& o) {
  const bool v6 = o.host.find(':') != std::string::npos;
  return (v6 ? "[" + o.host + "]" : o.host) + ":" + std::to_string(o.port);
}

/// The socketlab-server command that starts the server @p o names.
std::string start_command(echo_transport t, const echo_options& o) {
  std::string command =
      std::string("socketlab-server ") + (t == echo_transport::tcp ? "tcp-echo" : "udp-echo");
  if (o.host != "127.0.0.1" && o.host != "localhost") command += " --host " + o.host;
  if (o.port != default_port) command += " --port " + std::to_string(o.port);
  return command;
}

std::size_t max_datagram(bool ipv6) {
  return ipv6 ? net::max_udp_payload_ipv6 : net::max_udp_payload_ipv4;
}

/// "message too long for one UDP datagram over IPv4 (max 65,507 bytes)"
std::string too_long_for_datagram(bool ipv6) {
  return std::string("message too long for one UDP datagram over ") + (ipv6 ? "IPv6" : "IPv4") + " (max " +
         grouped(max_datagram(ipv6)) + " bytes)";
}

double milliseconds(std::chrono::nanoseconds d) {
  return static_cast<double>(d.count()) / 1e6;
}

/// "64 + 576 bytes": the sizes of the receives, the first few.
std::string sizes(const std::vector<std::size_t>& reads) {
  constexpr std::size_t shown = 8;
  std::string text;
  for (std::size_t i = 0; i < reads.size() && i < shown; ++i)
    text += (i ? " + " : "") + grouped(reads[i]);
  if (reads.size() > shown) text += " + ...";
  return text + " bytes";
}

/// "2 reads", "1 receive", "3 echoes".
std::string count_of(std::size_t n, const std::string& what) {
  const char* plural = what.ends_with('o') ? "es" : "s";
  return grouped(n) + " " + what + (n == 1 ? "" : plural);
}

/// The line per echo: "64 bytes from 127.0.0.1:7007: seq=3 time=0.052 ms", and what was odd.
std::string echo_line(const echo_event& e, const echo_options& o) {
  std::string line =
      format("%llu bytes from %s: seq=%llu time=%.3f ms", static_cast<unsigned long long>(e.bytes),
             where(o).c_str(), static_cast<unsigned long long>(e.sequence), milliseconds(e.rtt));
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

void write_header(echo_transport t, const echo_options& o, std::ostream& out) {
  out << name(t) << " echo to " << where(o) << ": " << count_of(o.count, "message") << " of "
      << count_of(o.size, "byte") << ", ";
  const bool numbered = t == echo_transport::tcp || o.size >= 8;
  if (o.interval.count() == 0 || !numbered) {
    out << "one at a time";
  } else {
    out << "one every " << o.interval.count() << " ms";
  }
  out << "\n";
  if (o.size == 0) {
    out << "(empty datagrams: UDP delivers them, each a message; a TCP read of 0 bytes would mean the "
           "peer closed)\n";
  }
  if (!numbered) {
    out << "(a message under 8 bytes has no room for its number: they go one at a time, and each echo "
           "counts for the last one sent)\n";
  }
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
    return "byte stream: " + count_of(d.messages, "write") + " of " + count_of(d.message_size, "byte") +
           " came back in " + count_of(d.reads.size(), "read") + " (" + sizes(d.reads) +
           "); TCP keeps the bytes and their order, not the boundaries between writes";
  }
  return "datagrams: " + count_of(d.messages, "send") + " of " + count_of(d.message_size, "byte") +
         " came back as " + count_of(d.reads.size(), "receive") + " (" + sizes(d.reads) +
         "); each datagram keeps its boundaries";
}

void write_statistics(const echo_result& r, const echo_options& o, bool verbose, std::ostream& out) {
  out << "--- " << where(o) << " " << name(r.transport) << " echo statistics ---\n";
  if (r.setup) {
    out << format("connected from %s in %.3f ms (the three-way handshake: SYN, SYN-ACK, ACK)\n",
                  r.local.c_str(), milliseconds(*r.setup));
  } else if (!r.local.empty()) {
    out << "sent from " << r.local << " (no connection to set up: each datagram stands alone)\n";
  }
  out << r.stats.summary() << "\n";
  if (r.stats.received() > 0) {
    const double seconds = std::chrono::duration<double>(r.elapsed).count();
    const double rate = seconds > 0 ? static_cast<double>(r.stats.received()) / seconds : 0.0;
    out << count_of(r.stats.received(), "round trip") << " in "
        << (seconds < 1 ? format("%.3f ms", seconds * 1e3) : format("%.3f s", seconds)) << ": "
        << (rate < 10 ? format("%.1f", rate) : grouped(static_cast<unsigned long long>(rate + 0.5)))
        << format(" messages/s, %.2f MB/s\n", rate * static_cast<double>(o.size) / 1e6);
  }
  if (r.truncated) {
    out << count_of(r.truncated, "echo") << " truncated: larger than the " << grouped(o.buffer)
        << "-byte receive buffer (--buffer); the system discarded the rest of each\n";
  }
  if (r.mismatched)
    out << count_of(r.mismatched, "echo") << " differed from what was sent: is that an echo server?\n";
  if (verbose) write_lost(r.stats, out);
  if (o.burst > 0 && !r.failure) out << boundary_sentence(r.transport, r.burst) << "\n";
}

}  // namespace

failure explain_echo(const echo_result& r, const echo_options& o) {
  const std::string server = name(r.transport) + std::string(" ") + where(o);
  const std::string start = "; start one with: " + start_command(r.transport, o);
  const std::string echoes = grouped(r.stats.received()) + " of " + grouped(r.stats.sent()) +
                             (r.stats.sent() == 1 ? " echo" : " echoes");
  const auto& ec = r.failure;
  if (!ec) return {exit_status::ok, {}};
  if (r.failed_step == "resolve") return explain_open(o.host, o.port, {}, ec, o.timeout);
  if (ec == asio::error::connection_refused) {
    // TCP: the connect was refused (RST). UDP: the peer's system answered an earlier datagram
    // with ICMP "port unreachable", which a connected UDP socket reports on its next receive.
    return {exit_status::connect,
            "nothing is listening on " + server +
                (r.transport == echo_transport::udp ? " (its system answered \"port unreachable\")"
                                                    : " (the connection was refused)") +
                start};
  }
  if (r.failed_step == "connect") return explain_open(o.host, o.port, r.tried, ec, o.timeout);
  if (ec == asio::error::message_size) {
    return {exit_status::usage, "--size " + std::to_string(o.size) + ": " + too_long_for_datagram(r.ipv6) +
                                    "; use --size " + std::to_string(max_datagram(r.ipv6)) +
                                    " or less, or tcp-echo, which carries any size"};
  }
  if (ec == asio::error::timed_out) {
    return {exit_status::timeout, "timed out after " + format_seconds(o.timeout) +
                                      " waiting for an echo from " + server + " (" + echoes +
                                      " came back); is it an echo server?"};
  }
  if (ec == asio::error::eof) {
    return {exit_status::partial, server + " closed the connection after " + echoes};
  }
  if (ec == asio::error::connection_reset || ec == asio::error::connection_aborted) {
    return {exit_status::receive, server + " reset the connection after " + echoes};
  }
  const bool sending = r.failed_step == "send";
  return {
      sending ? exit_status::send : exit_status::receive,
      std::string("could not ") + (sending ? "send to " : "receive from ") + server + ": " + ec.message()};
}

namespace {

/// The failure of a run, or, for UDP, the silence of a server that answered nothing at all.
failure explain_run(const echo_result& r, const echo_options& o) {
  failure f = explain_echo(r, o);
  if (f.status == exit_status::ok && r.stats.sent() > 0 && r.stats.received() == 0) {
    f = {exit_status::timeout, "no echo came back from " + std::string(name(r.transport)) + " " + where(o) +
                                   " within " + format_seconds(o.timeout) +
                                   "; UDP has no connection, so a missing server and lost datagrams look "
                                   "alike: is " +
                                   start_command(r.transport, o) + " running?"};
  }
  return f;
}

}  // namespace

int run_echo_command(echo_transport transport, const echo_options& options, bool verbose, std::ostream& out,
                     std::ostream& err) {
  write_header(transport, options, out);
  echo_observer observer;
  if (verbose) observer = [&](const echo_event& e) { out << echo_line(e, options) << "\n"; };
  const echo_result result = run_echo(transport, options, observer);
  const failure f = explain_run(result, options);
  const bool nothing_happened = result.failed_step == "resolve" || result.failed_step == "connect" ||
                                f.status == exit_status::usage || f.status == exit_status::connect;
  if (!nothing_happened) write_statistics(result, options, verbose, out);
  if (f.status != exit_status::ok) err << "socketlab-client: " << f.message << "\n";
  return f.status;
}

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
  const auto rtt = [](const echo_result& r) {
    if (r.stats.rtt().count() == 0) return std::string("-");
    return format("%.3f / %.3f ms", milliseconds(r.stats.rtt().value_at_percentile(50.0)),
                  milliseconds(r.stats.rtt().value_at_percentile(99.0)));
  };
  const auto per_second = [](const echo_result& r, double scale) {
    const double seconds = std::chrono::duration<double>(r.elapsed).count();
    return seconds > 0 ? static_cast<double>(r.stats.received()) * scale / seconds : 0.0;
  };
  const auto rate = [&](const echo_result& r) {
    return grouped(static_cast<unsigned long long>(per_second(r, 1.0)));
  };
  const auto megabytes = [&](const echo_result& r) {
    return format("%.2f", per_second(r, static_cast<double>(r.size) / 1e6));
  };
  const auto of_sent = [](std::uint64_t n, const echo_result& r) {
    return grouped(n) + " of " + grouped(r.stats.sent());
  };
  const auto boundaries = [](const echo_result& r) {
    const auto& d = r.burst;
    const bool kept =
        d.reads.size() == d.messages &&
        std::all_of(d.reads.begin(), d.reads.end(), [&](std::size_t n) { return n == d.message_size; });
    if (r.transport == echo_transport::tcp) {
      return std::string(kept ? "kept this time" : "not kept") + ": " + count_of(d.messages, "write") + ", " +
             count_of(d.reads.size(), "read");
    }
    return std::string(kept ? "kept" : "see the datagrams") + ": " + count_of(d.messages, "datagram") + ", " +
           count_of(d.reads.size(), "receive");
  };
  const auto fate = [](const echo_result& r, const delivery& d) -> std::string {
    if (d.send_error == asio::error::message_size) return "refused: too long for one datagram";
    if (d.send_error) return "not sent: " + d.send_error.message();
    if (d.complete()) {
      return r.transport == echo_transport::tcp
                 ? "delivered in " + count_of(d.reads.size(), "read")
                 : grouped(d.message_size) + " bytes (" + (r.ipv6 ? "IPv6" : "IPv4") + "), echoed whole";
    }
    return grouped(d.received()) + " of " + grouped(d.message_size) + " bytes came back";
  };
  const delivery none{};
  const auto& udp_largest = udp.large.size() > 0 ? udp.large[0] : none;
  const auto& udp_large = udp.large.size() > 1 ? udp.large[1] : none;
  const auto& tcp_large = tcp.large.size() > 0 ? tcp.large[0] : none;
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
      {"largest message", "no limit: a byte stream", fate(udp, udp_largest)},
      {grouped(tcp_large.message_size) + "-byte message", fate(tcp, tcp_large), fate(udp, udp_large)},
  };
}

int run_compare(const compare_options& options, std::ostream& out, std::ostream& err) {
  const echo_result tcp = run_echo(echo_transport::tcp, options.tcp);
  const echo_result udp = run_echo(echo_transport::udp, options.udp);
  const failure tcp_failure = explain_run(tcp, options.tcp);
  const failure udp_failure = explain_run(udp, options.udp);
  if (tcp_failure.status != exit_status::ok || udp_failure.status != exit_status::ok) {
    for (const auto* f : {&tcp_failure, &udp_failure}) {
      if (f->status != exit_status::ok) err << "socketlab-client: " << f->message << "\n";
    }
    return tcp_failure.status != exit_status::ok ? tcp_failure.status : udp_failure.status;
  }
  out << "TCP " << where(options.tcp) << " vs UDP " << where(options.udp) << ": "
      << count_of(options.tcp.count, "message") << " of " << count_of(options.tcp.size, "byte")
      << " each, one at a time\n\n";
  const auto rows = compare_rows(tcp, udp);
  std::size_t widths[2] = {0, 3};
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
  return exit_status::ok;
}

}  // namespace socketlab::client
