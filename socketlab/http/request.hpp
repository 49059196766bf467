/// @file
/// An HTTP request as plain data.
#pragma once

#include <string>

#include "socketlab/http/fields.hpp"

namespace socketlab::http {

/// An HTTP/1.x request: what the request parser produces and a site handler reads.
struct request {
  std::string method;  ///< "GET", "HEAD", ... (case-sensitive, RFC 9110 §9.1)
  std::string target;  ///< request-target as sent, e.g. "/index.html?lang=fr"
  int version = 11;    ///< 10 * major + minor: 11 for HTTP/1.1, 10 for HTTP/1.0
  fields headers;      ///< header fields in arrival order
  std::string body;    ///< the body, with any chunked framing removed

  /// Whether the client wants the connection kept open after the response:
  /// HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
  /// @return true to keep the connection
  [[nodiscard]] bool keep_alive() const;

  /// The request line as parsed, without its CRLF: "GET /index.html HTTP/1.1", the version as
  /// the parser read it ("HTTP/1.0", "HTTP/1.2").
  /// @return the line; empty when not even the method was read (a request cut short)
  [[nodiscard]] std::string request_line() const;
};

}  // namespace socketlab::http
