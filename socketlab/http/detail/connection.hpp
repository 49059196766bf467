/// @file
/// The keep-alive rule requests and responses share (RFC 9112 §9.3). Internal.
#pragma once

#include "socketlab/http/fields.hpp"

namespace socketlab::http::detail {

/// Whether a message of @p version with @p headers lets the connection stay open.
/// @param version 10 * major + minor
/// @param headers the message's fields
/// @return true when the connection may be reused
inline bool keep_alive(int version, const fields& headers) {
  if (headers.has_token("Connection", "close")) return false;
  if (version >= 11) return true;
  // HTTP/1.0 has no chunked coding: its Transfer-Encoding framing is faulty, so the
  // connection must close after the message (RFC 9112 §6.1).
  return headers.has_token("Connection", "keep-alive") && !headers.contains("Transfer-Encoding");
}

}  // namespace socketlab::http::detail
