/// @file
/// `socketlab-client bench`: load a server like wrk and measure it.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>

#include <asio/ip/tcp.hpp>

#include "client/http/request_builder.hpp"
#include "client/http/url.hpp"
#include "client/latency_histogram.hpp"

namespace socketlab::client {

/// How to load the server.
struct bench_options {
  url target;                                  ///< what every request asks for
  request_options request;                     ///< method and fields; keep_alive false is --no-keepalive
  int connections = 10;                        ///< -c: connections kept busy, spread over the threads
  int threads = 1;                             ///< -t: threads, each with its own event loop
  std::chrono::duration<double> duration{10};  ///< -d: how long new requests are started
  std::chrono::duration<double> timeout{2};    ///< --timeout: a request slower than this is an error
};

/// Socket errors by kind, as wrk counts them.
struct socket_errors {
  std::uint64_t connect = 0;  ///< a connect failed
  std::uint64_t read = 0;   ///< a read failed, the server closed mid-response, or the response was malformed
  std::uint64_t write = 0;  ///< a write failed
  std::uint64_t timeout = 0;  ///< a request (or connect) took longer than --timeout
};

/// What a benchmark measured.
struct bench_result {
  std::chrono::duration<double> elapsed{};        ///< from the start until the duration was over
  std::chrono::duration<double> drained{};        ///< then until the last request under way ended
  std::uint64_t requests = 0;                     ///< responses received in full, late ones included
  std::uint64_t late = 0;                         ///< of those, the ones completed after the duration
  std::uint64_t bytes_read = 0;                   ///< bytes received, complete responses or not
  std::uint64_t late_bytes = 0;                   ///< of those, the ones received after the duration
  std::array<std::uint64_t, 5> status_classes{};  ///< responses by class: [0] 1xx .. [4] 5xx
  std::uint64_t non_2xx_3xx = 0;                  ///< responses with a status outside 200..399
  std::uint64_t connections_opened = 0;           ///< connections established
  socket_errors errors;                           ///< failures by kind
  latency_histogram latency;                      ///< from writing a request to its response's last byte
};

/// A glance at a running benchmark, for the live progress line.
struct bench_progress {
  std::chrono::duration<double> elapsed{};  ///< since the start
  std::uint64_t requests = 0;               ///< responses so far
};

/// Runs the benchmark: options.threads threads, each running its own io_context with its
/// share of the connections. Each connection writes a request, waits for the whole response,
/// and writes the next one (no pipelining, as wrk), reconnecting when the server closes or
/// after an error. Latency is measured from the request's write to its response's last byte
/// (wrk's definition: a new connection's handshake is not in it).
///
/// When the duration is over, no request is started; those under way finish (or time out) and
/// are counted, as `late`. So every response that arrives in full is counted, and a server's
/// count of answered requests matches the benchmark's (unless a response came after its request
/// had timed out). The rates are computed over the duration alone (requests - late, bytes_read -
/// late_bytes, divided by elapsed), so one slow request at the end does not dilute them.
///
/// @param options what to send, how hard, how long
/// @param server the address to connect to (resolved and checked by the caller)
/// @param progress called about once a second from the calling thread while the benchmark runs;
///   may be empty
/// @return the measurements
[[nodiscard]] bench_result run_bench(const bench_options& options, const asio::ip::tcp::endpoint& server,
                                     const std::function<void(const bench_progress&)>& progress = {});

}  // namespace socketlab::client
