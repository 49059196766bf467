#include "socketlab/http/status.hpp"

#include <algorithm>
#include <array>

namespace socketlab::http {
namespace {

/// A status code and its reason phrase.
struct phrase {
  int status;             ///< e.g. 404
  std::string_view text;  ///< e.g. "Not Found"
};

/// RFC 9110 §15, plus 428, 429, 431 (RFC 6585) and 451 (RFC 7725), in order.
constexpr std::array<phrase, 50> phrases{{{100, "Continue"},
                                          {101, "Switching Protocols"},
                                          {200, "OK"},
                                          {201, "Created"},
                                          {202, "Accepted"},
                                          {203, "Non-Authoritative Information"},
                                          {204, "No Content"},
                                          {205, "Reset Content"},
                                          {206, "Partial Content"},
                                          {300, "Multiple Choices"},
                                          {301, "Moved Permanently"},
                                          {302, "Found"},
                                          {303, "See Other"},
                                          {304, "Not Modified"},
                                          {305, "Use Proxy"},
                                          {306, "Unused"},
                                          {307, "Temporary Redirect"},
                                          {308, "Permanent Redirect"},
                                          {400, "Bad Request"},
                                          {401, "Unauthorized"},
                                          {402, "Payment Required"},
                                          {403, "Forbidden"},
                                          {404, "Not Found"},
                                          {405, "Method Not Allowed"},
                                          {406, "Not Acceptable"},
                                          {407, "Proxy Authentication Required"},
                                          {408, "Request Timeout"},
                                          {409, "Conflict"},
                                          {410, "Gone"},
                                          {411, "Length Required"},
                                          {412, "Precondition Failed"},
                                          {413, "Content Too Large"},
                                          {414, "URI Too Long"},
                                          {415, "Unsupported Media Type"},
                                          {416, "Range Not Satisfiable"},
                                          {417, "Expectation Failed"},
                                          {421, "Misdirected Request"},
                                          {422, "Unprocessable Content"},
                                          {426, "Upgrade Required"},
                                          {428, "Precondition Required"},
                                          {429, "Too Many Requests"},
                                          {431, "Request Header Fields Too Large"},
                                          {451, "Unavailable For Legal Reasons"},
                                          {500, "Internal Server Error"},
                                          {501, "Not Implemented"},
                                          {502, "Bad Gateway"},
                                          {503, "Service Unavailable"},
                                          {504, "Gateway Timeout"},
                                          {505, "HTTP Version Not Supported"},
                                          {511, "Network Authentication Required"}}};

static_assert(std::ranges::is_sorted(phrases, {}, &phrase::status));

}  // namespace

std::string_view reason_phrase(int status) noexcept {
  const auto* found = std::ranges::lower_bound(phrases, status, {}, &phrase::status);
  return found != phrases.end() && found->status == status ? found->text : "Unknown";
}

}  // namespace socketlab::http
