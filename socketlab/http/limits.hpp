/// @file
/// Size limits the parsers enforce.
#pragma once

#include <cstddef>

namespace socketlab::http {

/// How much a parser accepts before it gives up (anchor: nginx, Apache, RFC 9112).
struct limits {
  std::size_t max_start_line = 8 * 1024;     ///< request or status line, CRLF excluded (414)
  std::size_t max_header_bytes = 32 * 1024;  ///< the whole field section incl. line ends (431)
  std::size_t max_fields = 100;              ///< number of header (and trailer) fields (431)
  std::size_t max_body = 1024 * 1024;        ///< decoded body bytes (413)
};

}  // namespace socketlab::http
