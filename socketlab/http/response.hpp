/// @file
/// An HTTP response as plain data.
#pragma once

#include <string>

#include "socketlab/http/fields.hpp"

namespace socketlab::http {

/// An HTTP/1.x response: what a site handler returns and the response parser produces.
struct response {
  int status = 200;    ///< status code, 100..999
  std::string reason;  ///< reason phrase; empty means the standard one for @ref status
  int version = 11;    ///< 10 * major + minor
  fields headers;      ///< header fields, serialized in this order
  std::string body;    ///< the body, with any chunked framing removed

  /// Whether the connection stays open after this response (same rules as a request).
  /// @return true to keep the connection
  [[nodiscard]] bool keep_alive() const;
};

}  // namespace socketlab::http
