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
/// Strictness follows RFC 9112 and RFC 9110; each of these is an error of its own, answered
/// with 400 (the framing can no longer be trusted, so the connection closes after it):
/// - line ends: a bare CR anywhere, and a LF without its CR (error::bare_lf) in the request
///   line, the empty lines before it, the header section, chunk-size lines, after chunk data
///   and in trailers: every line end is CRLF (detail::line_ends::crlf; RFC 9112 §2.2 lets a
///   recipient accept a lone LF, a server that other parsers stand in front of should not);
/// - the request line: anything but exactly one SP between method, target and version (a
///   second SP included); a method that is not a token; a request-target with a byte outside
///   visible ASCII, 0x21-0x7E (error::bad_target_char: a control character, HTAB, DEL, or a
///   raw 0x80-0xFF byte that a client should have percent-encoded);
/// - the request-target's form (RFC 9112 §3.2, error::target_form_not_allowed): `*` with a
///   method other than OPTIONS; `host:port` (authority-form) with a method other than CONNECT;
///   CONNECT with anything but `host:port`. The origin-form (`/path?query`) and absolute-form
///   (`http://host/path`) serve the other methods. A target in none of the four forms, an
///   `http(s)` URI without a host or with `user@`, and a CONNECT port that is empty, 0 or over
///   65535 are error::bad_target. Beyond that the URI character classes are not checked;
/// - Host (RFC 9110 §7.2, RFC 9112 §3.2): missing in HTTP/1.1, repeated in any version, or,
///   when present in any version, not `uri-host [ ":" port ]` (error::bad_host): no userinfo,
///   path, list (not even `a,b`), whitespace or non-ASCII byte; the host is a name
///   (`xn--bcher-kva.example`), an IPv4 address or a bracketed IPv6 address (`[::1]:8080`).
///   An empty value is allowed only when the target URI has no authority, that is an
///   absolute-form target without `//` (`urn:...`); an origin-form or `*` target takes its
///   host from Host, and an `http://host/` target names one, so an empty Host is refused
///   there. HTTP/1.0 may leave Host out;
/// - fields and framing: whitespace before a colon, obs-fold, bad or repeated
///   Content-Length, Content-Length with Transfer-Encoding, a bad chunk.
///
/// Empty lines (CRLF) before the request line are skipped.
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

  /// Forgets the current message and gets ready for the next one, with new limits: a parser
  /// kept for reuse (its memory with it) serves a connection with other limits.
  /// @param lim the limits from now on
  void reset(const limits& lim);

 private:
  /// Parses the request line into req_: its syntax, the target's bytes, and whether the
  /// target's form fits the method.
  http::error on_start_line(std::string_view line) override;
  /// A request line begins with its method, a token: a byte that cannot be in one fails now.
  [[nodiscard]] start_line_prefix check_partial_start_line(std::string_view so_far) const noexcept override;
  /// Applies the Host rules, notes Expect, and frames the body.
  detail::body_plan on_header_done(const fields& headers) override;

  request req_;                   ///< the request being parsed
  bool expect_continue_ = false;  ///< HTTP/1.1 with `Expect: 100-continue`
  bool empty_host_ok_ = false;    ///< the target is an absolute URI without authority: Host may be empty
};

}  // namespace socketlab::http
