/// @file
/// How long a message body is, from its Content-Length and Transfer-Encoding fields
/// (RFC 9112 §6). Internal: shared by the request and response parsers.
#pragma once

#include <cstdint>

#include "socketlab/http/error.hpp"
#include "socketlab/http/fields.hpp"

namespace socketlab::http::detail {

/// How the body of a message is delimited.
enum class body_kind : std::uint8_t {
  none,       ///< no body
  length,     ///< exactly body_plan::length bytes (Content-Length)
  chunked,    ///< chunked transfer coding
  until_eof,  ///< everything until the connection closes (responses only)
};

/// What the header section says about the body.
struct body_plan {
  body_kind kind = body_kind::none;  ///< how the body is delimited
  std::uint64_t length = 0;          ///< the Content-Length, when kind is length
  error failure{};                   ///< why the framing is invalid; error{} when it is valid
};

/// Reads the framing fields of a message. Without Content-Length or Transfer-Encoding the
/// plan is body_kind::none; a response parser turns that into until_eof.
///
/// Checked in this order, so a smuggling attempt is named as such first:
/// Content-Length with Transfer-Encoding; a Transfer-Encoding whose last coding is not
/// chunked, or with chunked twice (chunked_not_last); other codings before chunked
/// (unsupported_transfer_coding); Content-Length repeated or in list form; Content-Length
/// not a decimal number that fits in 64 bits.
/// @param headers the header section
/// @return the plan, or a failure
[[nodiscard]] body_plan plan_body(const fields& headers) noexcept;

}  // namespace socketlab::http::detail
