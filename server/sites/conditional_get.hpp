/// @file
/// Conditional GET: a file's validators (ETag, Last-Modified) and whether a client's cached
/// copy is still current, so that 304 Not Modified answers instead of the bytes.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "socketlab/http/request.hpp"

namespace socketlab::server {

/// What a client's cached copy of a file is compared with (RFC 9110 §8.8).
struct validators {
  std::string etag;                                ///< a strong tag, quoted: `"<mtime hex>-<size hex>"`
  std::chrono::system_clock::time_point modified;  ///< Last-Modified, floored to seconds
};

/// The validators of a file of @p size bytes last written at @p written, made the way nginx
/// makes them: they change when the file is rewritten, without reading the file to hash it.
/// @param size the file's size in bytes
/// @param written its last write time, as std::filesystem reports it
/// @return the validators
[[nodiscard]] validators validators_of(std::uintmax_t size, std::filesystem::file_time_type written);

/// Whether the client's copy is still current, so 304 answers instead of the bytes
/// (RFC 9110 §13.2.2, steps 3 and 4, for GET and HEAD): If-None-Match decides when it is there,
/// else If-Modified-Since.
/// @param req the request, for its conditional fields
/// @param current the file's validators
/// @return true when 304 is the answer
[[nodiscard]] bool not_modified(const http::request& req, const validators& current);

}  // namespace socketlab::server
