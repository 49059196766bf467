/// @file
/// What `get` shows: -v's steps and heads and --trace's bytes on standard error; the bodies (and
/// with -i or -I the response heads) on standard output or in the -o file.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "client/failure.hpp"
#include "client/http/blocking_tcp_client.hpp"
#include "client/http/get_command.hpp"
#include "client/http/response_reader.hpp"
#include "client/http/wire_trace.hpp"
#include "socketlab/http/request.hpp"

namespace socketlab::client {

/// Everything get prints but its error line. The fetcher says what happened; this class
/// words it as curl would, and knows which of it the options ask for.
///
/// Threading: one thread.
class get_output {
 public:
  using clock = blocking_tcp_client::clock;  ///< the clock of every time given

  /// Prints what @p options ask for.
  /// @param options -v, --trace, -i, -I, -o, --fail, --pipeline
  /// @param out standard output (bodies, unless -o)
  /// @param err standard error (-v and --trace)
  get_output(const get_options& options, std::ostream& out, std::ostream& err);

  /// Starts the clock that stamps -v's lines: a new URL.
  /// @param start when the URL started
  void start_url(clock::time_point start) { start_ = start; }

  /// A "* [0.412 ms] text" line of -v, stamped with the time since the URL started.
  /// @param text what happened
  void info(const std::string& text);

  /// With --trace, dumps one write or read in hex and as text.
  /// @param dir sent or received
  /// @param bytes the bytes of the write or read
  /// @param stream_offset how many bytes went that way on this connection before @p bytes
  void trace(direction dir, std::string_view bytes, std::uint64_t stream_offset);

  /// With -v, the request head as curl shows it ("> GET / HTTP/1.1"), and the body's size.
  /// @param req the request
  void show_request(const http::request& req);

  /// Shows a complete response on -v (its heads, any 1xx first, as "< " lines, and its size),
  /// then writes its body to the output, after its heads with -i or -I; with --fail, a status of
  /// 400 or more writes nothing.
  /// @param reader the reader that has just framed the response
  /// @param k the response's place among --pipeline copies, from 0
  /// @return the failure that --fail makes of the status, or why the output cannot be written
  std::optional<failure> deliver(const response_reader& reader, int k);

 private:
  /// Where bodies go: standard output, or the -o file, created at the first byte to write (as
  /// curl does), so a failed request leaves an existing file alone.
  /// @return the stream; null when the -o file cannot be opened
  std::ostream* output();

  const get_options& options_;  ///< what the user asked for
  std::ostream& out_;           ///< standard output
  std::ostream& err_;           ///< where -v and --trace go
  std::ofstream file_;          ///< the -o file, once something is written to it
  clock::time_point start_;     ///< when the current URL started
};

}  // namespace socketlab::client
