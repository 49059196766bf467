/// @file
/// A benchmark's result as wrk prints it, or as JSON for scripts.
#pragma once

#include <ostream>
#include <string>

#include "client/bench/bench.hpp"

namespace socketlab::client {

/// Prints @p result in wrk's shape, so people who know wrk read it at a glance:
///
/// @code
///   Running 10s test @ http://127.0.0.1:8888/
///     1 threads and 64 connections
///     Thread Stats   Avg      Stdev     Max   +/- Stdev
///       Latency   635.91us    0.89ms  12.92ms   93.69%
///     Latency Distribution
///        50%  491.00us
///        ...
///     1122478 requests in 10.00s, 139.86MB read
///   Requests/sec: 112256.35
///   Transfer/sec:     13.99MB
/// @endcode
///
/// wrk's per-thread "Req/Sec" row is left out (it samples each thread's rate); 99.9 % is added
/// to the percentiles. "Non-2xx or 3xx responses" and "Socket errors" appear when not zero, as in wrk.
/// @param options what was run (URL, threads, connections, duration)
/// @param url_text the URL as the user typed it
/// @param result the measurements
/// @param out where the report goes
void write_bench_report(const bench_options& options, const std::string& url_text, const bench_result& result,
                        std::ostream& out);

/// Prints @p result as one JSON object: the settings, counts, rates, latency in microseconds
/// (min, mean, stdev, max and percentiles), responses by status class and errors by kind.
/// @param options what was run
/// @param url_text the URL as the user typed it
/// @param result the measurements
/// @param out where the JSON goes
void write_bench_json(const bench_options& options, const std::string& url_text, const bench_result& result,
                      std::ostream& out);

/// wrk's unit formatting: @p ns as "491.00us", "0.90ms", "900.00ms", "1.20s" or "0.92m" (below a
/// second: us, or ms from 850 us on; from a second: s, or minutes from 51 s on).
/// @param ns a time in nanoseconds
/// @return the text
[[nodiscard]] std::string format_wrk_time(double ns);

/// wrk's binary units: "139.86M", "13.99K", "512.00", up to "T" (append "B" for bytes).
/// @param n a count
/// @return the text
[[nodiscard]] std::string format_wrk_binary(double n);

}  // namespace socketlab::client
