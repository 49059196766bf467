/// @file
/// Messages to bytes.
#pragma once

#include <string>

#include "socketlab/http/request.hpp"
#include "socketlab/http/response.hpp"

namespace socketlab::http {

/// Appends @p res to @p out: status line (the standard reason when res.reason is empty),
/// the fields exactly as given and in order, an empty line, then the body as is.
/// The caller decides framing fields (Content-Length, ...); nothing is added.
/// @param res the response
/// @param out bytes are appended here (reuse one buffer to avoid allocations)
void serialize(const response& res, std::string& out);

/// Appends @p req to @p out: request line, the fields as given, an empty line, the body.
/// @param req the request
/// @param out bytes are appended here
void serialize(const request& req, std::string& out);

/// The bytes of @p res.
/// @param res the response
/// @return status line, fields, empty line and body
[[nodiscard]] std::string to_string(const response& res);

/// The bytes of @p req.
/// @param req the request
/// @return request line, fields, empty line and body
[[nodiscard]] std::string to_string(const request& req);

}  // namespace socketlab::http
