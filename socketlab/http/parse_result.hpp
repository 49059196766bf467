/// @file
/// What a parser says after it has been fed.
#pragma once

#include <cstddef>

namespace socketlab::http {

/// The state a parser reports after each feed.
enum class parse_status {
  need_more,  ///< everything given was consumed; feed more bytes
  done,       ///< a whole message is parsed; bytes after `consumed` belong to the next one
  error,      ///< the input is malformed; see the parser's error()
};

/// The answer to one feed.
struct parse_result {
  parse_status status;   ///< need more, done or error
  std::size_t consumed;  ///< how many of the fed bytes the parser used
};

}  // namespace socketlab::http
