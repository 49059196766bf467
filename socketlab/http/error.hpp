/// @file
/// Why a message could not be parsed, and which status code answers it.
#pragma once

#include <system_error>

namespace socketlab::http {

/// A parse failure. Each maps to the status a server answers with (status_for());
/// after any of them the connection is closed, because the framing can no longer be trusted.
enum class error {
  bad_request_line = 1,         ///< not `method SP target SP HTTP/x.y` (400)
  bad_method,                   ///< method is not a token (400)
  bad_target,                   ///< empty target, or in none of the four forms of RFC 9112 §3.2 (400)
  bad_version,                  ///< version is not `HTTP/DIGIT.DIGIT` (400)
  version_not_supported,        ///< a major version other than 1 (505)
  start_line_too_long,          ///< request line over limits::max_start_line (414)
  header_too_large,             ///< field section over limits::max_header_bytes (431)
  too_many_fields,              ///< more than limits::max_fields fields (431)
  bad_field_name,               ///< empty or non-token field name (400)
  whitespace_before_colon,      ///< `Name : value` (400, RFC 9112 §5.1)
  obs_fold,                     ///< a field line folded onto the next line (400)
  bad_field_value,              ///< a control character (NUL, ...) in a value (400)
  bare_cr,                      ///< CR not followed by LF (400)
  missing_host,                 ///< HTTP/1.1 request without Host (400)
  duplicate_host,               ///< more than one Host (400)
  bad_content_length,           ///< Content-Length not a decimal number, or too big to represent (400)
  duplicate_content_length,     ///< Content-Length given more than once (400)
  content_length_and_chunked,   ///< both Content-Length and Transfer-Encoding (400)
  chunked_not_last,             ///< Transfer-Encoding whose last coding is not chunked (400)
  unsupported_transfer_coding,  ///< a transfer coding other than chunked (501)
  bad_chunk,                    ///< malformed chunk size, extension or chunk end (400)
  body_too_large,               ///< body over limits::max_body (413)
  bad_status_line,              ///< response: not `HTTP/x.y SP 3DIGIT SP reason`
  unexpected_eof,               ///< response: the peer closed before the message ended
  bad_target_char,              ///< a target byte outside visible ASCII: CTL, HTAB, DEL, 0x80-0xFF (400)
  target_form_not_allowed,      ///< `*` but not OPTIONS, `host:port` but not CONNECT, or the reverse (400)
  bad_host,                     ///< Host not `host[:port]`, or empty where the target names a host (400)
  bare_lf,                      ///< LF not preceded by CR, where line ends must be CRLF (400)
};

/// The category of socketlab::http::error, named "socketlab.http".
/// @return the one category object
const std::error_category& category() noexcept;

/// Makes an error_code from a socketlab::http::error (found by ADL, so
/// `std::error_code ec = error::obs_fold;` works).
/// @param e the error
/// @return the code in category()
std::error_code make_error_code(error e) noexcept;

/// The status code a server answers a request that failed with @p e:
/// 400, 413, 414, 431, 501 or 505.
/// @param e the error
/// @return the status code
[[nodiscard]] int status_for(error e) noexcept;

}  // namespace socketlab::http

/// Lets std::error_code be built from socketlab::http::error.
template <>
struct std::is_error_code_enum<socketlab::http::error> : std::true_type {};
