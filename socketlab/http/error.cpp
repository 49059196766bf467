#include "socketlab/http/error.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>

namespace socketlab::http {

namespace {

/// One sentence per error: what was wrong with the message, and what would be right. A table
/// rather than a switch, to keep message() short; error_test checks that no error lacks one.
constexpr auto messages = std::to_array<std::pair<error, std::string_view>>({
    {error::bad_request_line, "malformed request line (expected: method SP target SP HTTP/1.1)"},
    {error::bad_method, "the method is not a token"},
    {error::bad_target,
     "the request target is empty or not in a request-target form: /path, http://host/path, host:port "
     "(CONNECT) or * (OPTIONS)"},
    {error::bad_version, "malformed HTTP version (expected: HTTP/1.1)"},
    {error::version_not_supported, "HTTP major version not supported (only HTTP/1.x is)"},
    {error::start_line_too_long, "the request line (or status line) is too long"},
    {error::header_too_large, "the header section is too large"},
    {error::too_many_fields, "too many header fields"},
    {error::bad_field_name, "a header field name is empty or not a token, or the colon is missing"},
    {error::whitespace_before_colon, "whitespace between a header field name and its colon"},
    {error::obs_fold, "a header field line starts with whitespace (obsolete line folding)"},
    {error::bad_field_value, "a header field value contains a control character"},
    {error::bare_cr, "a CR not followed by LF"},
    {error::missing_host, "HTTP/1.1 request without a Host header field"},
    {error::duplicate_host, "more than one Host header field"},
    {error::bad_content_length, "Content-Length is not a decimal number that fits in 64 bits"},
    {error::duplicate_content_length, "Content-Length given more than once"},
    {error::content_length_and_chunked, "both Content-Length and Transfer-Encoding"},
    {error::chunked_not_last, "Transfer-Encoding does not end with chunked, or repeats it"},
    {error::unsupported_transfer_coding, "a transfer coding other than chunked"},
    {error::bad_chunk, "malformed chunk size, chunk extension, or chunk end"},
    {error::body_too_large, "the body is too large"},
    {error::bad_status_line, "malformed status line (expected: HTTP/1.1 SP 3DIGIT SP reason)"},
    {error::unexpected_eof, "the connection closed before the message ended"},
    {error::bad_target_char,
     "the request target holds a byte outside visible ASCII (a control character, DEL or a non-ASCII byte); "
     "percent-encode it"},
    {error::target_form_not_allowed,
     "the request target's form does not fit the method: * is for OPTIONS only, host:port for CONNECT only, "
     "and CONNECT takes host:port only"},
    {error::bad_host,
     "the Host value is not host[:port] (a name, an IPv4 address or an [IPv6] address; no user@, path, list "
     "or whitespace), or is empty while the target names a host"},
    {error::bare_lf, "a LF not preceded by CR (line ends must be CRLF)"},
});

/// The category of socketlab::http::error.
class error_category final : public std::error_category {
 public:
  /// "socketlab.http".
  [[nodiscard]] const char* name() const noexcept override { return "socketlab.http"; }

  /// One sentence saying what was wrong with the message.
  [[nodiscard]] std::string message(int code) const override {
    const auto found = std::find_if(messages.begin(), messages.end(),
                                    [code](const auto& m) { return static_cast<int>(m.first) == code; });
    if (found != messages.end()) return std::string(found->second);
    return "unknown socketlab.http error " + std::to_string(code);
  }
};

}  // namespace

const std::error_category& category() noexcept {
  static const error_category instance;
  return instance;
}

std::error_code make_error_code(error e) noexcept {
  return {static_cast<int>(e), category()};
}

int status_for(error e) noexcept {
  switch (e) {
    case error::start_line_too_long:
      return 414;
    case error::header_too_large:
    case error::too_many_fields:
      return 431;
    case error::body_too_large:
      return 413;
    case error::unsupported_transfer_coding:
      return 501;
    case error::version_not_supported:
      return 505;
    default:
      return 400;
  }
}

}  // namespace socketlab::http
