/// @file
/// Incremental HTTP/1.1 response parser (RFC 9112), no I/O — what the client reads with.
#pragma once

#include <string_view>
#include <system_error>

#include "socketlab/http/detail/message_parser.hpp"
#include "socketlab/http/limits.hpp"
#include "socketlab/http/parse_result.hpp"
#include "socketlab/http/response.hpp"

namespace socketlab::http {

/// Turns bytes into a @ref response, however the bytes are split.
///
/// The body is framed by Content-Length, by chunked coding, or by the server closing the
/// connection (then call feed_eof()). A response to HEAD, a 1xx, 204 or 304 has no body.
/// A 1xx response is reported as done on its own; reset() and feed on for the final one.
///
/// Line ends are CRLF or a lone LF (detail::line_ends::crlf_or_lf), unlike request_parser,
/// which takes CRLF only: RFC 9112 §2.2 lets a recipient accept a lone LF, and a client gains
/// from understanding a server that sends one, while a server must not let a lone LF split
/// lines that a proxy in front of it reads differently. A bare CR is an error in both.
/// The other rules are the same as request_parser's: whitespace before a colon, obs-fold,
/// bad or repeated Content-Length, Content-Length with Transfer-Encoding and a bad chunk fail.
///
/// The line, field, body and chunk machinery is shared with request_parser
/// (detail::message_parser); this class adds the status line and the body rules of responses.
///
/// Threading: one parser per connection; not thread safe.
class response_parser : private detail::message_parser {
 public:
  /// A parser with the given limits (the default body limit is large: clients download).
  /// @param lim limits on line, header and body sizes
  explicit response_parser(const limits& lim = default_limits());

  /// The limits a client uses by default: request limits, but a body up to 1 GiB.
  /// @return those limits
  [[nodiscard]] static limits default_limits() noexcept;

  /// Tells the parser the request was HEAD, so the response carries no body whatever its
  /// Content-Length says. Kept across reset() until changed.
  /// @param head true when the request method was HEAD
  void set_head_request(bool head) noexcept;

  /// Parses as much of @p data as belongs to the current message.
  /// @param data the next bytes from the connection
  /// @return need_more (all consumed), done (consumed up to the message end) or error
  parse_result feed(std::string_view data);

  /// Tells the parser the peer closed the connection. Completes a close-delimited body.
  /// @return done when the message is complete, otherwise error (error::unexpected_eof)
  parse_result feed_eof();

  /// Whether the status line and header fields are complete.
  /// @return true once the empty line after the fields has been parsed
  [[nodiscard]] bool header_done() const noexcept;

  /// Whether the body runs until the server closes (no Content-Length, not chunked).
  /// @return true when only feed_eof() can complete the message
  [[nodiscard]] bool close_delimited() const noexcept;

  /// Why the last feed failed; empty unless it returned parse_status::error.
  /// @return the error, in category()
  [[nodiscard]] std::error_code error() const noexcept;

  /// The response parsed so far (complete after done).
  /// @return the response (reset() clears it)
  [[nodiscard]] const response& get() const noexcept;
  /// The response parsed so far, to move from after done.
  /// @return the response, to move from before reset()
  [[nodiscard]] response& get() noexcept;

  /// Forgets the current message and gets ready for the next one.
  void reset();

 private:
  /// Parses the status line into res_.
  http::error on_start_line(std::string_view line) override;
  /// A status line begins with "HTTP/": anything else fails as soon as it differs.
  [[nodiscard]] start_line_prefix check_partial_start_line(std::string_view so_far) const noexcept override;
  /// Frames the body from the status, the request method and the framing fields.
  detail::body_plan on_header_done(const fields& headers) override;

  response res_;       ///< the response being parsed
  bool head_ = false;  ///< the request was HEAD: no body whatever the fields say
};

}  // namespace socketlab::http
