/// @file
/// Range requests (RFC 9110 §14): which bytes of a file a `Range: bytes=...` field asks for.
/// Pure: no files, no sockets.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "socketlab/http/request.hpp"

namespace socketlab::server {

struct validators;

/// The one range a request asks for, against a representation of a known size.
struct byte_range {
  /// What to answer.
  enum class kind {
    whole,          ///< no range, or one to ignore: 200 and the whole file
    partial,        ///< 206 with bytes [first, last] and `Content-Range: bytes first-last/size`
    unsatisfiable,  ///< 416 with `Content-Range: bytes */size`: no byte of the file was asked for
  };
  kind what = kind::whole;  ///< the answer
  std::uint64_t first = 0;  ///< the first byte sent, for a partial answer
  std::uint64_t last = 0;   ///< the last byte sent (inclusive), for a partial answer
};

/// The range that `Range: @p value` asks for in a representation of @p size bytes
/// (RFC 9110 §14.1.2): `bytes=a-b` (b past the end is cut to the end), `bytes=a-` (from a to the
/// end), `bytes=-n` (the last n bytes; all of them when n is larger than the file).
///
/// As nginx without multipart answers: a list of ranges, another unit than `bytes`, and a
/// value that does not parse (`bytes=5-2`, `bytes=x`) are ignored, and the whole file is
/// sent, which RFC 9110 §14.2 allows. A range that begins past the end, or `bytes=-0`, is
/// unsatisfiable.
/// @param value the field's value
/// @param size the representation's size in bytes
/// @return the answer
[[nodiscard]] byte_range parse_byte_range(std::string_view value, std::uint64_t size) noexcept;

/// The range a GET asks for, if it asks for one that still applies: the request's one `Range`
/// field, unless `If-Range` names another version of the file than @p current (RFC 9110 §13.1.5:
/// a strong ETag equal to ours, or a date equal to our Last-Modified), in which case the whole
/// new file is sent. Range is defined for GET only: other methods get the whole representation.
/// @param req the request
/// @param current the file's validators
/// @param size the file's size
/// @return the answer
[[nodiscard]] byte_range requested_range(const http::request& req, const validators& current,
                                         std::uint64_t size);

}  // namespace socketlab::server
