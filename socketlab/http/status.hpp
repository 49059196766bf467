/// @file
/// Standard reason phrases.
#pragma once

#include <string_view>

namespace socketlab::http {

/// The reason phrase RFC 9110 gives a status code.
/// @param status a status code, e.g. 404
/// @return "Not Found" for 404; "Unknown" for a code without a standard phrase
[[nodiscard]] std::string_view reason_phrase(int status) noexcept;

}  // namespace socketlab::http
