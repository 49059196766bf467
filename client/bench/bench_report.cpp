#include "client/bench/bench_report.hpp"

#include <array>
#include <cctype>
#include <string_view>

#include "client/format.hpp"

namespace socketlab::client {
namespace {

/// The percentiles the report lists.
constexpr std::array<double, 5> percentiles = {50.0, 75.0, 90.0, 99.0, 99.9};

/// wrk's units.c: divide by @p scale, taking the next of @p units, while the value is at least
/// 85 % of @p scale. (wrk's list ends one unit further, which its loop never reaches.)
std::string scale_units(double n, double scale, std::string_view base,
                        std::initializer_list<std::string_view> units) {
  std::string_view unit = base;
  for (const auto next : units) {
    if (n < scale * 0.85) break;
    n /= scale;
    unit = next;
  }
  return format("%.2f", n) + std::string(unit);
}

/// wrk's print_units(): @p text right-aligned in @p width, so that the numbers line up
/// whether the unit has one letter or two.
std::string align(const std::string& text, int width) {
  const auto len = text.size();
  int pad = 2;
  if (len > 0 && std::isalpha(static_cast<unsigned char>(text[len - 1]))) --pad;
  if (len > 1 && std::isalpha(static_cast<unsigned char>(text[len - 2]))) --pad;
  return format("%*s", width - pad, text.c_str()) + std::string(static_cast<std::size_t>(pad), ' ');
}

/// A JSON string literal.
std::string json_string(std::string_view text) {
  std::string s = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      s += '\\';
      s += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      s += format("\\u%04x", static_cast<unsigned>(c));
    } else {
      s += c;
    }
  }
  return s + "\"";
}

/// Nanoseconds as microseconds with three decimals, for JSON.
std::string micros(double ns) {
  return format("%.3f", ns / 1000.0);
}

/// Requests per second over the duration: what completed in it, divided by it (wrk's rate).
double request_rate(const bench_result& r) {
  return r.elapsed.count() > 0 ? static_cast<double>(r.requests - r.late) / r.elapsed.count() : 0.0;
}

/// Bytes per second over the duration.
double byte_rate(const bench_result& r) {
  return r.elapsed.count() > 0 ? static_cast<double>(r.bytes_read - r.late_bytes) / r.elapsed.count() : 0.0;
}

}  // namespace

std::string format_wrk_time(double ns) {
  // wrk's format_time_us(): microseconds or milliseconds below a second; from a second on,
  // seconds or minutes (so 900 ms stays "900.00ms", and 55 s is "0.92m").
  const double us = ns / 1000.0;
  if (us >= 1e6) return scale_units(us / 1e6, 60.0, "s", {"m"});
  return scale_units(us, 1000.0, "us", {"ms"});
}

std::string format_wrk_binary(double n) {
  return scale_units(n, 1024.0, "", {"K", "M", "G", "T"});
}

void write_bench_report(const bench_options& options, const std::string& url_text, const bench_result& result,
                        std::ostream& out) {
  const auto& lat = result.latency;
  const double mean = lat.mean().count();
  const double stdev = lat.stdev().count();
  const auto ns = [](double v) { return std::chrono::nanoseconds(static_cast<std::int64_t>(v)); };
  const double within = 100.0 * lat.fraction_within(ns(mean - stdev), ns(mean + stdev));

  out << "Running " << format("%g", options.duration.count()) << "s test @ " << url_text << "\n";
  out << "  " << options.threads << " threads and " << options.connections << " connections\n";
  out << format("  Thread Stats%6s%11s%8s%12s\n", "Avg", "Stdev", "Max", "+/- Stdev");
  out << "    " << format("%-10s", "Latency") << align(format_wrk_time(mean), 8)
      << align(format_wrk_time(stdev), 10)
      << align(format_wrk_time(static_cast<double>(lat.max().count())), 9) << format("%8.2f%%", within)
      << "\n";
  out << "  Latency Distribution\n";
  for (const double p : percentiles) {
    out << format("%7s%%", format("%g", p).c_str())
        << align(format_wrk_time(static_cast<double>(lat.value_at_percentile(p).count())), 10) << "\n";
  }
  out << "  " << result.requests << " requests in " << format_wrk_time(result.elapsed.count() * 1e9) << ", "
      << format_wrk_binary(static_cast<double>(result.bytes_read)) << "B read\n";
  // Requests under way at the end always finish a moment later; worth a line only when one was
  // slow enough to keep the run going (the rates leave them out either way).
  if (result.late > 0 && result.drained >= std::chrono::milliseconds(100)) {
    out << "  (" << result.late << " of them completed in the "
        << format_wrk_time(result.drained.count() * 1e9)
        << " after, as the requests under way finished; the rates leave them out)\n";
  }
  const auto& e = result.errors;
  if (e.connect + e.read + e.write + e.timeout > 0) {
    out << "  Socket errors: connect " << e.connect << ", read " << e.read << ", write " << e.write
        << ", timeout " << e.timeout << "\n";
  }
  if (result.non_2xx_3xx > 0) out << "  Non-2xx or 3xx responses: " << result.non_2xx_3xx << "\n";
  out << format("Requests/sec: %9.2f\n", request_rate(result));
  out << format("Transfer/sec: %10sB\n", format_wrk_binary(byte_rate(result)).c_str());
}

void write_bench_json(const bench_options& options, const std::string& url_text, const bench_result& result,
                      std::ostream& out) {
  const auto& lat = result.latency;
  const auto& e = result.errors;
  out << "{\n";
  out << "  \"url\": " << json_string(url_text) << ",\n";
  out << "  \"threads\": " << options.threads << ",\n";
  out << "  \"connections\": " << options.connections << ",\n";
  out << "  \"keepalive\": " << (options.request.keep_alive ? "true" : "false") << ",\n";
  out << "  \"duration_s\": " << format("%.3f", options.duration.count()) << ",\n";
  out << "  \"elapsed_s\": " << format("%.6f", result.elapsed.count()) << ",\n";
  out << "  \"requests\": " << result.requests << ",\n";
  out << "  \"late\": " << result.late << ",\n";
  out << "  \"late_bytes\": " << result.late_bytes << ",\n";
  out << "  \"drained_s\": " << format("%.6f", result.drained.count()) << ",\n";
  out << "  \"bytes_read\": " << result.bytes_read << ",\n";
  out << "  \"requests_per_sec\": " << format("%.2f", request_rate(result)) << ",\n";
  out << "  \"bytes_per_sec\": " << format("%.2f", byte_rate(result)) << ",\n";
  out << "  \"connections_opened\": " << result.connections_opened << ",\n";
  out << "  \"latency_us\": {\"min\": " << micros(static_cast<double>(lat.min().count()))
      << ", \"mean\": " << micros(lat.mean().count()) << ", \"stdev\": " << micros(lat.stdev().count())
      << ", \"max\": " << micros(static_cast<double>(lat.max().count()));
  for (const double p : percentiles) {
    std::string name = format("p%g", p);
    for (auto& c : name)
      c = c == '.' ? '_' : c;  // "p99_9": a key scripts can use as an identifier
    out << ", \"" << name << "\": " << micros(static_cast<double>(lat.value_at_percentile(p).count()));
  }
  out << "},\n";
  out << "  \"status\": {";
  for (std::size_t i = 0; i < result.status_classes.size(); ++i) {
    out << (i ? ", " : "") << "\"" << i + 1 << "xx\": " << result.status_classes[i];
  }
  out << "},\n";
  out << "  \"non_2xx_3xx\": " << result.non_2xx_3xx << ",\n";
  out << "  \"errors\": {\"connect\": " << e.connect << ", \"read\": " << e.read << ", \"write\": " << e.write
      << ", \"timeout\": " << e.timeout << "}\n";
  out << "}\n";
}

}  // namespace socketlab::client
