/// @file
/// Incremental HTTP/1.1 request parser (RFC 9112), no I/O.
#pragma once

#include <string_view>
#include <system_error>

#include "socketlab/http/detail/message_parser.hpp"
#include "socketlab/http/limits.hpp"
#include "socketlab/http/parse_result.hpp"
#include "socketlab/http/request.hpp"

namespace socketlab::http {

/// Turns bytes into a @ref request, however the bytes are split.
///
/// Feed it whatever arrived — one byte or many requests at once. It consumes up to the end
/// of one message and reports @ref parse_status::done; the caller keeps the rest for the
/// next request (pipelining) and calls reset(). On error() the connection must be closed
/// after answering status_for(error()).
///
/// @code
///   parser.feed("GET / HTTP/1.1\r\nHo")      -> {need_more, 18}
///   parser.feed("st: a\r\n\r\nGET / HTTP/1.1") -> {done, 9}   (the second request is left)
/// @endcode
///
/// Strictness follows RFC 9112: bare CR, whitespace before a colon, obs-fold, bad or
/// repeated Content-Length, Content-Length with Transfer-Encoding, a bad chunk, and a
/// missing or repeated Host in HTTP/1.1 are errors. Empty lines before the request line
/// are skipped; a bare LF is accepted as a line end.
///
/// The line, field, body and chunk machinery is shared with response_parser
/// (detail::message_parser); this class adds the request line and the Host rules.
///
/// Threading: one parser per connection; not thread safe.
class request_parser : private detail::message_parser {
 public:
  /// A parser with the given limits.
  /// @param lim limits on line, header and body sizes
  explicit request_parser(const limits& lim = {});

  /// Parses as much of @p data as belongs to the current message.
  /// @param data the next bytes from the connection
  /// @return need_more (all consumed), done (consumed up to the message end) or error
  parse_result feed(std::string_view data);

  /// Whether the request line and header fields are complete (the body may still follow).
  /// A server checks this to send `100 Continue` and to stop its header deadline.
  /// @return true once the empty line after the fields has been parsed
  [[nodiscard]] bool header_done() const noexcept;

  /// Whether the client waits for `100 Continue` before sending its body: the header is
  /// done, it is HTTP/1.1 with `Expect: 100-continue`, and a body is still to come.
  /// @return true when the server should answer `100 Continue` before reading the body
  [[nodiscard]] bool expects_continue() const noexcept;

  /// Whether some bytes of a message have arrived (false between messages).
  /// @return true from the first byte of the request line until reset()
  [[nodiscard]] bool started() const noexcept;

  /// Why the last feed failed; empty unless it returned parse_status::error.
  /// @return the error, in category()
  [[nodiscard]] std::error_code error() const noexcept;

  /// The request parsed so far (complete after done).
  /// @return the request (reset() clears it)
  [[nodiscard]] const request& get() const noexcept;
  /// The request parsed so far, to move from after done.
  /// @return the request, to move from before reset()
  [[nodiscard]] request& get() noexcept;

  /// Forgets the current message and gets ready for the next one; limits are kept.
  void reset();

 private:
  /// Parses the request line into req_.
  http::error on_start_line(std::string_view line) override;
  /// A request line begins with its method, a token: a byte that cannot be in one fails now.
  [[nodiscard]] start_line_prefix check_partial_start_line(std::string_view so_far) const noexcept override;
  /// Applies the Host rules, notes Expect, and frames the body.
  detail::body_plan on_header_done(const fields& headers) override;

  request req_;                   ///< the request being parsed
  bool expect_continue_ = false;  ///< HTTP/1.1 with `Expect: 100-continue`
};

}  // namespace socketlab::http
