/// @file
/// The chunk-size line of the chunked transfer coding (RFC 9112 §7.1). Internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace socketlab::http::detail {

/// A parsed chunk-size line.
struct chunk_header {
  bool valid = false;      ///< whether the line is well-formed
  std::uint64_t size = 0;  ///< the chunk size; 0 for the last chunk
};

/// The most hex digits a chunk size may have: 16 fit in 64 bits, more is an attack or a bug.
inline constexpr std::size_t max_chunk_size_digits = 16;

/// Parses `chunk-size *( BWS ";" BWS ext-name [ BWS "=" BWS ext-value ] )`, line end removed.
/// Extensions are checked and ignored: nothing uses them, and they are bounded by the line
/// limit the caller applies.
/// @param line the line without its line end
/// @return the size, or valid == false
[[nodiscard]] chunk_header parse_chunk_header(std::string_view line) noexcept;

}  // namespace socketlab::http::detail
