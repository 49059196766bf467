/// @file
/// What runs a benchmark on one thread: the thread's share of the connections, each a chain of
/// callbacks (Beast's do_x / on_x), on the thread's own event loop.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "client/bench/bench.hpp"
#include "client/http/response_reader.hpp"

namespace socketlab::client {

class bench_connection;

/// One thread's share of the benchmark: an event loop, its connections and its own counters,
/// merged into the result once the thread has finished (so the hot path shares nothing).
///
/// Threading: everything but `requests` is touched by the worker's thread alone, until it has
/// finished.
struct bench_worker {
  using clock = std::chrono::steady_clock;  ///< the clock of every time here

  /// A worker with no connections yet.
  /// @param o the run's settings
  /// @param ep where to connect
  /// @param req the request's bytes
  /// @param head_request the request is HEAD
  bench_worker(const bench_options& o, const asio::ip::tcp::endpoint& ep, const std::string& req,
               bool head_request);
  /// Destroys the connections (declared here, where bench_connection is incomplete).
  ~bench_worker();

  const bench_options& options;          ///< the run's settings
  const asio::ip::tcp::endpoint server;  ///< where to connect
  const std::string request;             ///< the request's bytes, serialized once
  const bool head;                       ///< the request is HEAD (its responses have no body)
  const clock::duration timeout;         ///< --timeout on the steady clock

  asio::io_context ioc{1};                                     ///< this thread's event loop
  asio::steady_timer stop_timer{ioc};                          ///< ends the run
  asio::steady_timer sweep_timer{ioc};                         ///< looks for requests past --timeout
  std::vector<std::unique_ptr<bench_connection>> connections;  ///< this thread's connections
  bool stopping = false;                                       ///< the duration is over
  clock::time_point stopped_at;                                ///< when it was over
  std::array<char, 16384> buffer{};                            ///< every read of this thread's connections
  std::size_t active = 0;                                      ///< connections not finished yet

  std::atomic<std::uint64_t> requests{0};  ///< responses, read by the progress line's thread
  bench_result result;                     ///< everything else this thread measured

  /// Starts every connection, and the timers that end the run at @p end and sweep for timeouts.
  /// @param end when the duration is over
  void start(clock::time_point end);
  /// The duration is over: no new request starts (see bench_connection::stop()).
  void stop();
  /// Closes the connections whose step is older than --timeout, now and every period after.
  void sweep();
  /// A connection has finished; after the last one, cancels the timers so that run() returns.
  void finished_one();
};

/// One connection of the benchmark, as a chain of callbacks (Beast's do_x / on_x):
/// connect -> write request -> wait until readable -> read -> ... -> response complete -> write.
class bench_connection {
 public:
  using clock = bench_worker::clock;  ///< the clock of every time here

  /// A connection not yet started.
  /// @param w the thread it runs on
  explicit bench_connection(bench_worker& w);

  /// Starts connecting.
  void start() { do_connect(); }

  /// Called once the duration is over: a connection that is still connecting gives up now;
  /// one with a request under way finishes that request first.
  void stop();

  /// Counts a timeout and closes the socket when the current step is older than --timeout.
  /// @param now the time of the sweep
  void check_timeout(clock::time_point now);

 private:
  /// What the connection is doing.
  enum class phase {
    connecting,  ///< a connect is under way
    requesting,  ///< a request is written, or its response read
    finished,    ///< the run is over for it
  };

  void do_connect();                           ///< connects, unless the run is over
  void on_connect(const std::error_code& ec);  ///< connected: on to the first request
  void do_write();                             ///< writes the request, unless the run is over
  void on_write(const std::error_code& ec);    ///< written: on to the response
  void do_read();                              ///< waits until the socket is readable
  void on_readable(std::error_code ec);        ///< reads what is there, and frames it
  void complete(bool closed);                  ///< counts a response; the next request
  void on_error(std::uint64_t& counter);       ///< counts an error; a new connection
  void finish();                               ///< the run is over for this connection
  void close_socket();                         ///< closes the socket, ignoring errors

  bench_worker& w_;                  ///< the thread this connection runs on
  asio::ip::tcp::socket socket_;     ///< the connection (reopened after each close)
  response_reader reader_;           ///< frames the responses
  phase phase_ = phase::connecting;  ///< what the connection is doing
  clock::time_point since_;          ///< when the current connect or request started
  bool cancelled_ = false;           ///< check_timeout() or stop() closed the socket on purpose
};

}  // namespace socketlab::client
