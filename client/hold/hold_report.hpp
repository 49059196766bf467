/// @file
/// The C10k lab's report: how many were held, why the others were not, what they cost the
/// server, what a fresh request took meanwhile, and what the server closed.
#pragma once

#include <ostream>

#include "client/hold/hold.hpp"

namespace socketlab::client {

/// Prints the report, one line per figure:
///
/// @code
///   Holding 2,000 connections to 127.0.0.1:8888, each after one GET / (keep-alive), on one event loop.
///
///   open-file limit:   20,000 (raised from 1,024)
///   held:              2,000 of 2,000, all tried in 0.148 s
///   server memory:     6,912 KiB before, 15,400 KiB with 2,000 held: 4.24 KiB per connection (RSS of pid
///   4242) fresh requests:    20 of 20 answered, one after another while held: median 0.181 ms, max 0.412 ms
///   closed by server:  none in the 0.412 s they were held (--hold SECONDS keeps them longer)
/// @endcode
///
/// A line "not held:" per reason comes after "held:" when some were not (the client's open-file
/// limit, refused, reset, timed out, a 503...); the fresh requests that failed are listed the
/// same way; a close by the server gets a line naming the timeout that likely did it.
/// @param options the lab's settings
/// @param result run_hold()'s figures
/// @param out where the report goes
void write_hold_report(const hold_options& options, const hold_result& result, std::ostream& out);

}  // namespace socketlab::client
