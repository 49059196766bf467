/// @file
/// Access-log lines in the Common Log Format, as Apache and nginx write them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

namespace socketlab::http {
struct request;  // socketlab/http/request.hpp: what the log writes of a request
}

namespace socketlab::server {

/// Appends one access-log line, without its line end, to @p out:
/// `127.0.0.1 - - [24/Nov/2026:01:30:00 +0000] "GET / HTTP/1.1" 200 14`. It allocates nothing
/// once @p out has room (a server reuses one line per thread), and formats the time once per
/// second per thread, as the Date field is: a logged request costs little more than one unlogged.
/// @param out where the line goes
/// @param client the client's address
/// @param when the time the request was answered (written in UTC)
/// @param req the request as received; its request line is written, or "-" when none could be read
/// @param status the status code sent
/// @param body_bytes body bytes sent ("-" when 0, as the format says)
void append_access_log(std::string& out, std::string_view client, std::chrono::system_clock::time_point when,
                       const http::request& req, int status, std::uint64_t body_bytes);

/// A thread-safe writer of log text to a stream (standard output), flushed after each write so a
/// learner sees each request as it is answered, even through a pipe. (A log file is written
/// with net::log_file: a line a system call, no stream buffer.)
///
/// Threading: write() is thread safe.
class stream_log {
 public:
  /// @param stream where to write (outlives this object)
  explicit stream_log(std::ostream& stream);

  /// Writes @p text as is (callers end lines themselves).
  /// @param text the text
  void write(std::string_view text);

 private:
  std::mutex mutex_;      ///< one line at a time from many threads
  std::ostream& stream_;  ///< the destination
};

}  // namespace socketlab::server
