#include "socketlab/http/detail/framing.hpp"

#include <cstddef>
#include <limits>
#include <string_view>

#include "socketlab/http/detail/syntax.hpp"

namespace socketlab::http::detail {

namespace {

/// Parses a Content-Length value: 1*DIGIT, no sign, no inner whitespace, no overflow.
/// @return the plan for that length, or a failure
body_plan plan_length(std::string_view value) noexcept {
  // "5, 5" is a list of lengths; RFC 9110 §8.6 lets a recipient accept identical ones,
  // but one length per message is simpler to trust.
  if (value.find(',') != std::string_view::npos) return {.failure = error::duplicate_content_length};
  if (value.empty()) return {.failure = error::bad_content_length};
  constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t n = 0;
  for (const char c : value) {
    if (!is_digit(c)) return {.failure = error::bad_content_length};
    const auto d = static_cast<std::uint64_t>(digit_value(c));
    if (n > (max - d) / 10) return {.failure = error::bad_content_length};
    n = n * 10 + d;
  }
  return {.kind = body_kind::length, .length = n};
}

}  // namespace

body_plan plan_body(const fields& headers) noexcept {
  std::size_t lengths = 0;
  std::string_view length_value;
  bool has_te = false;
  bool chunked_before_last = false;
  std::size_t codings = 0;
  std::string_view last_coding;
  for (const field& f : headers) {
    if (iequals(f.name, "Content-Length")) {
      ++lengths;
      length_value = f.value;
    } else if (iequals(f.name, "Transfer-Encoding")) {
      // Several Transfer-Encoding lines form one list, in order (RFC 9110 §5.3).
      has_te = true;
      any_list_element(f.value, [&](std::string_view coding) {
        if (codings > 0 && iequals(last_coding, "chunked")) chunked_before_last = true;
        last_coding = coding;
        ++codings;
        return false;
      });
    }
  }
  if (has_te) {
    if (lengths > 0) return {.failure = error::content_length_and_chunked};
    if (chunked_before_last || !iequals(last_coding, "chunked")) return {.failure = error::chunked_not_last};
    if (codings > 1) return {.failure = error::unsupported_transfer_coding};
    return {.kind = body_kind::chunked};
  }
  if (lengths > 1) return {.failure = error::duplicate_content_length};
  if (lengths == 1) return plan_length(length_value);
  return {};
}

}  // namespace socketlab::http::detail
