#include "socketlab/http/error.hpp"

#include <string>

namespace socketlab::http {

namespace {

/// The category of socketlab::http::error.
class error_category final : public std::error_category {
 public:
  /// "socketlab.http".
  [[nodiscard]] const char* name() const noexcept override { return "socketlab.http"; }

  /// One sentence saying what was wrong with the message.
  [[nodiscard]] std::string message(int code) const override {
    switch (static_cast<error>(code)) {
      case error::bad_request_line:
        return "malformed request line (expected: method SP target SP HTTP/1.1)";
      case error::bad_method:
        return "the method is not a token";
      case error::bad_target:
        return "the request target is empty or contains a control character";
      case error::bad_version:
        return "malformed HTTP version (expected: HTTP/1.1)";
      case error::version_not_supported:
        return "HTTP major version not supported (only HTTP/1.x is)";
      case error::start_line_too_long:
        return "the request line (or status line) is too long";
      case error::header_too_large:
        return "the header section is too large";
      case error::too_many_fields:
        return "too many header fields";
      case error::bad_field_name:
        return "a header field name is empty or not a token, or the colon is missing";
      case error::whitespace_before_colon:
        return "whitespace between a header field name and its colon";
      case error::obs_fold:
        return "a header field line starts with whitespace (obsolete line folding)";
      case error::bad_field_value:
        return "a header field value contains a control character";
      case error::bare_cr:
        return "a CR not followed by LF";
      case error::missing_host:
        return "HTTP/1.1 request without a Host header field";
      case error::duplicate_host:
        return "more than one Host header field";
      case error::bad_content_length:
        return "Content-Length is not a decimal number that fits in 64 bits";
      case error::duplicate_content_length:
        return "Content-Length given more than once";
      case error::content_length_and_chunked:
        return "both Content-Length and Transfer-Encoding";
      case error::chunked_not_last:
        return "Transfer-Encoding does not end with chunked, or repeats it";
      case error::unsupported_transfer_coding:
        return "a transfer coding other than chunked";
      case error::bad_chunk:
        return "malformed chunk size, chunk extension, or chunk end";
      case error::body_too_large:
        return "the body is too large";
      case error::bad_status_line:
        return "malformed status line (expected: HTTP/1.1 SP 3DIGIT SP reason)";
      case error::unexpected_eof:
        return "the connection closed before the message ended";
    }
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
