// Errors: category, messages, and the status code each one is answered with.
#include "socketlab/http/error.hpp"

#include <set>
#include <string>
#include <system_error>

#include "support/catch.hpp"

using socketlab::http::error;
using socketlab::http::status_for;

TEST_CASE("error: category and messages", "[unit][http][error]") {
  const std::error_code ec = error::obs_fold;
  CHECK(ec.category() == socketlab::http::category());
  CHECK(std::string(ec.category().name()) == "socketlab.http");
  CHECK(ec.message() == "a header field line starts with whitespace (obsolete line folding)");
  CHECK(std::error_code(error::whitespace_before_colon).message() ==
        "whitespace between a header field name and its colon");
  CHECK(ec == error::obs_fold);
  CHECK(ec != error::bare_cr);
  CHECK(std::error_code(error::bare_lf).message() == "a LF not preceded by CR (line ends must be CRLF)");

  // Every error has its own message.
  std::set<std::string> messages;
  for (int e = static_cast<int>(error::bad_request_line); e <= static_cast<int>(error::bare_lf); ++e) {
    const std::string m = make_error_code(static_cast<error>(e)).message();
    INFO(e << ": " << m);
    CHECK(m.find("unknown") == std::string::npos);
    CHECK(messages.insert(m).second);
  }
  CHECK(messages.size() == 28);
  CHECK(std::error_code(99, socketlab::http::category()).message() == "unknown socketlab.http error 99");
}

TEST_CASE("error: status_for", "[unit][http][error]") {
  CHECK(status_for(error::bad_request_line) == 400);
  CHECK(status_for(error::bad_method) == 400);
  CHECK(status_for(error::bad_target) == 400);
  CHECK(status_for(error::bad_version) == 400);
  CHECK(status_for(error::version_not_supported) == 505);
  CHECK(status_for(error::start_line_too_long) == 414);
  CHECK(status_for(error::header_too_large) == 431);
  CHECK(status_for(error::too_many_fields) == 431);
  CHECK(status_for(error::bad_field_name) == 400);
  CHECK(status_for(error::whitespace_before_colon) == 400);
  CHECK(status_for(error::obs_fold) == 400);
  CHECK(status_for(error::bad_field_value) == 400);
  CHECK(status_for(error::bare_cr) == 400);
  CHECK(status_for(error::missing_host) == 400);
  CHECK(status_for(error::duplicate_host) == 400);
  CHECK(status_for(error::bad_content_length) == 400);
  CHECK(status_for(error::duplicate_content_length) == 400);
  CHECK(status_for(error::content_length_and_chunked) == 400);
  CHECK(status_for(error::chunked_not_last) == 400);
  CHECK(status_for(error::unsupported_transfer_coding) == 501);
  CHECK(status_for(error::bad_chunk) == 400);
  CHECK(status_for(error::body_too_large) == 413);
  CHECK(status_for(error::bad_status_line) == 400);
  CHECK(status_for(error::unexpected_eof) == 400);
  CHECK(status_for(error::bad_target_char) == 400);
  CHECK(status_for(error::target_form_not_allowed) == 400);
  CHECK(status_for(error::bad_host) == 400);
  CHECK(status_for(error::bare_lf) == 400);
}
