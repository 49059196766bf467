/// @file
/// The protocol side of one HTTP connection, without sockets (sans-I/O).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <asio/ip/tcp.hpp>

#include "server/config.hpp"
#include "server/sites/site.hpp"
#include "socketlab/http/request_parser.hpp"
#include "socketlab/http/response.hpp"

namespace socketlab::server {

/// The protocol side of one connection: bytes in, bytes out, and when to close.
///
/// Parsing, keep-alive, 100-continue, error replies, limits and deadlines are decided here,
/// once, for every serving model. A model's driver only moves bytes:
///
/// @code
///   read n bytes       ──> on_bytes(bytes, now) ──┐    output(), then file_output(): send some,
///   peer closed        ──> on_eof()               ├──>   on_written(n, now), again until
///   now >= deadline()  ──> on_timeout(now)        │    has_output() is false;
///   server stopping    ──> on_shutdown()        ──┘    should_close(): then close
///                                                        (after a lingering read if linger())
/// @endcode
///
/// A file's body (a static site's reply::file) is not read into memory: once output() (its
/// header) has gone, file_output() says which bytes of which file to send, and the driver sends
/// them straight from the file (net::send_file(): sendfile(2) where the system has it). A small
/// body (at most inline_file_max) is the exception: it is read into output() behind its header,
/// so that the whole response is one write. Requests pipelined behind a file wait, unparsed,
/// until it has been sent.
///
/// Deadlines (config timeouts): the first request's header must arrive within `header` of the
/// accept; later ones within `idle` of the previous response (then `header` from their first
/// byte); a body must keep arriving every `body`; while output() is being written, each write
/// must make progress within `send` of the previous one, as nginx's send_timeout (a slow reader
/// of a large file is served as long as it keeps reading).
///
/// Threading: one object per connection, used by one thread (or strand) at a time.
class http_session {
 public:
  using clock = std::chrono::steady_clock;  ///< deadlines are measured on this clock

  /// A session for a connection accepted at @p now.
  /// @param s the site of the port the connection came in on (outlives the session)
  /// @param cfg limits, timeouts and logging (outlives the session)
  /// @param peer_address the client's address, for the access log
  /// @param peer_endpoint the client's address and port ("[::1]:53012"), for verbose output
  /// @param now when the connection was accepted
  /// @param work simulated waiting per request (the site's `--work-ms`), see pending_work()
  http_session(const site& s, const server_config& cfg, std::string peer_address, std::string peer_endpoint,
               clock::time_point now, std::chrono::milliseconds work = {});

  /// A session for a connection from @p peer; its address is formatted only when something
  /// logs it (the access log, -v), as every driver wants.
  /// @param s the site of the port the connection came in on (outlives the session)
  /// @param cfg limits, timeouts and logging (outlives the session)
  /// @param peer the client's address and port, as accept() gave them
  /// @param now when the connection was accepted
  /// @param work simulated waiting per request
  /// @return the session
  [[nodiscard]] static http_session for_peer(const site& s, const server_config& cfg,
                                             const asio::ip::tcp::endpoint& peer, clock::time_point now,
                                             std::chrono::milliseconds work);

  /// How long a driver drains a peer that may still be sending before closing (see linger()).
  static constexpr std::chrono::seconds linger_time{2};
  /// ... and how many bytes it reads and discards at most meanwhile.
  static constexpr std::size_t linger_max_bytes = 1 << 20;
  /// The largest file body read into memory to go out with its header in one write; a larger
  /// one is sent from the file (file_output()). Reading a small file costs one copy of a few KiB
  /// and saves a system call (and a packet) per response.
  static constexpr std::size_t inline_file_max = 16 * 1024;
  /// The largest output buffer (or parser with its last request's body) a thread keeps spare for
  /// its next response (server/thread_spares.hpp); a larger one is freed once the connection is
  /// idle. So a session may borrow a buffer this large for a small response.
  static constexpr std::size_t max_kept_buffer = 64 * 1024;
  /// The most a driver lets the kernel keep unsent on a connection (net::limit_unsent()), so
  /// that a slow reader's progress is seen every 128 KiB it takes: what the send timeout counts.
  static constexpr std::size_t unsent_limit = 128 * 1024;

  /// Handles bytes read from the connection: parses them and queues every response they
  /// complete (pipelined requests are answered in order).
  /// @param data the bytes, any split of the stream
  /// @param now when they arrived
  void on_bytes(std::string_view data, clock::time_point now);

  /// The peer closed its sending side: nothing more will come, so close once output is sent.
  void on_eof() noexcept;

  /// deadline() has passed: answers 408 if a request was under way, then closes.
  /// @param now the time
  void on_timeout(clock::time_point now);

  /// The server is stopping: an idle connection closes now; one in the middle of a request
  /// finishes it, answers with `Connection: close` and closes.
  void on_shutdown() noexcept;

  /// The next response is the last: it carries `Connection: close` and the connection closes
  /// after it. A thread pool uses it to hand a thread back when other connections are waiting.
  void close_after_response() noexcept { closing_ = true; }

  /// The server is already serving its `max_connections`: queues a 503 with `Retry-After`
  /// and `Connection: close`, then closes, without reading a request.
  void on_overload();

  /// Bytes to send, in order. The driver writes some or all of them, then calls on_written().
  /// @return the bytes, empty when there are none to send now (see file_output())
  [[nodiscard]] std::string_view output() const noexcept { return std::string_view(output_).substr(sent_); }

  /// Once output() is empty, the file body to send next: the driver sends some of its
  /// remaining() bytes from its offset() straight from its file() (net::send_file()), then calls
  /// on_written() with how many went, or on_file_short() if the file had none left to give.
  /// @return the body, or nullptr when output() is not empty or no file is being sent; valid
  ///   until the next call on the session
  [[nodiscard]] const file_body* file_output() const noexcept {
    return output_.size() == sent_ ? body_.get() : nullptr;
  }

  /// Whether anything is left to send: output(), or a file's body after it.
  /// @return true until the driver has sent everything queued
  [[nodiscard]] bool has_output() const noexcept { return output_.size() != sent_ || body_ != nullptr; }

  /// How long to wait before writing output(), simulating the work of its responses: the
  /// site's `work` for each site response in it (error replies cost nothing). Pipelined
  /// requests answered together wait for all their work before the first byte is written.
  /// @return the time to wait, zero without `--work-ms`
  [[nodiscard]] std::chrono::milliseconds pending_work() const noexcept { return work_ * pending_answers_; }

  /// The wait of pending_work() is over and output() is about to be written. If the server
  /// began to stop meanwhile (on_shutdown(), close_after_response()), the last response now
  /// says `Connection: close`, as one that had not waited would, and the connection closes
  /// after it. Call it on the connection's own thread, before the write begins.
  /// @param now the time: the send deadline counts from it
  void on_work_done(clock::time_point now);

  /// The first @p n bytes of output() have been written, or, when output() is empty, the first
  /// @p n bytes of file_output()'s remaining ones. Once everything is sent, a kept-alive connection's
  /// idle timeout counts from @p now, when the client got its answer; requests that were
  /// pipelined behind a file are answered; and a connection told to close after its response
  /// (on_shutdown() while the response was being written, say) closes, unless another request
  /// has begun.
  /// @param n how many bytes of output() (or of the file) were written, at most what there was
  /// @param now when they were written
  void on_written(std::size_t n, clock::time_point now);

  /// The file of file_output() ended before the length its header promised: it shrank while it
  /// was being sent. Nothing can make the response whole, so nothing more is sent and the
  /// connection closes (the client sees fewer bytes than Content-Length said).
  void on_file_short() noexcept;

  /// All of output() has been written: on_written() with its size.
  /// @param now when the last byte was written
  void on_sent(clock::time_point now) { on_written(output().size(), now); }

  /// Whether the connection is to be closed once output() is sent.
  /// @return true to close after writing output()
  [[nodiscard]] bool should_close() const noexcept { return close_; }

  /// Whether the peer may still be sending (an error cut a request short, or pipelined
  /// requests were left unread): then the driver shuts down its sending side and reads until
  /// the peer closes, so the final response is not destroyed by a TCP reset.
  /// @return true to linger before closing
  [[nodiscard]] bool linger() const noexcept { return linger_; }

  /// Whether the connection is between requests: nothing half-received, nothing to send.
  /// @return true when closing now would cut nothing short
  [[nodiscard]] bool idle() const noexcept;

  /// When on_timeout() is due, given what the connection is doing now.
  /// @return the deadline; it moves as bytes arrive and responses are sent
  [[nodiscard]] clock::time_point deadline() const noexcept;

  /// The buffer memory the session holds for output() and for requests waiting behind a file:
  /// never a large file's bytes, and between responses none (no more than two empty strings'
  /// capacity): the buffer goes back to the thread's spares (server/thread_spares.hpp).
  /// @return the bytes reserved
  [[nodiscard]] std::size_t buffered_capacity() const noexcept {
    return output_.capacity() + held_.capacity();
  }

  /// How many responses have been queued (1xx interim responses not counted).
  /// @return the number of final responses since the connection was accepted
  [[nodiscard]] std::size_t responses() const noexcept { return responses_; }

 private:
  void answer(const http::request& req, clock::time_point now);
  void answer_parse_error(clock::time_point now);
  void send(reply res, const http::request& req, bool close);
  void all_sent(clock::time_point now);
  void log_verbose();

  const site& site_;             ///< what this port serves
  const server_config& config_;  ///< limits, timeouts, log
  std::string peer_address_;     ///< client address for the access log
  std::string peer_endpoint_;    ///< client address:port for verbose output
  /// Gives a parser back to the spares of the thread (see parser()), or frees it.
  struct parser_return {
    /// @param p the parser, its request forgotten here
    void operator()(http::request_parser* p) const noexcept;
  };
  /// The parser of the request being received, taken from the thread's spares when one begins
  /// and given back when the connection is idle: ten thousand idle connections hold no parser,
  /// and a kept-alive connection's next request finds one with memory (as nginx frees a
  /// request's pool between requests, and keeps its free buffers for the next).
  /// @return the parser
  http::request_parser& parser();
  /// Before output_ gets its first bytes: takes a buffer from the thread's spares, if one is there.
  void take_output_buffer() noexcept;
  /// Once everything is sent: output_'s buffer goes back to the thread's spares (or is freed).
  void give_back_output() noexcept;
  /// @return whether a request has begun (its first byte received) and is not answered yet
  [[nodiscard]] bool started() const noexcept { return parser_ && parser_->started(); }

  std::unique_ptr<http::request_parser, parser_return> parser_;  ///< the request being received
  std::string output_;                                           ///< responses not yet written, from sent_ on
  std::size_t sent_ = 0;                                         ///< bytes of output_ already written
  std::unique_ptr<file_body> body_;  ///< the file body to send after output_ (on the heap: an idle
                                     ///< connection holds no open file)
  std::string held_;                 ///< bytes received behind a request whose file is being sent
  std::string raw_;                  ///< with -v: the current request's bytes as received
  clock::time_point accepted_;       ///< when the connection was accepted
  clock::time_point request_start_;  ///< first byte of the current request
  clock::time_point last_read_;      ///< last bytes received
  clock::time_point last_response_;  ///< last response queued
  clock::time_point send_progress_;  ///< output queued, or the last write that made progress
  std::chrono::milliseconds work_;   ///< simulated waiting per site response
  std::size_t responses_ = 0;        ///< final responses queued
  int pending_answers_ = 0;          ///< site responses in output_
  /// Where `Connection: close` goes in output_ if the stop comes during the work: the end of the
  /// last response's header, while it is a kept-alive site response; npos otherwise.
  std::size_t close_header_at_ = std::string::npos;
  std::size_t header_at_ = 0;   ///< where the last response begins in output_
  bool continue_sent_ = false;  ///< `100 Continue` already sent for this request
  bool closing_ = false;        ///< the next response is the last (stopping, or handing the thread back)
  bool close_ = false;          ///< close once output is sent
  bool linger_ = false;         ///< the peer may still be sending
};

}  // namespace socketlab::server
