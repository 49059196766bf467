/// @file
/// `--trace`: every byte sent and received, in hex and as text, like curl --trace.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace socketlab::client {

/// Which way bytes went.
enum class direction {
  sent,      ///< from the client to the server ("=> Send")
  received,  ///< from the server to the client ("<= Recv")
};

/// Formats one write or one read for --trace: a heading with the direction, the size and where
/// the piece starts in its direction's byte stream, then 16 bytes a line: the stream offset in
/// hex, the bytes in hex, and the bytes as text with anything unprintable shown as '.'.
///
/// @code
///   <= Recv 19 bytes (0x13), stream offset 0 (0x0)
///   0000: 48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d HTTP/1.1 200 OK.
///   0010: 0a 0d 0a                                        ...
/// @endcode
///
/// Offsets count from the connection's first byte in that direction, so two reads of one
/// response show where the byte stream was cut: TCP keeps no message boundaries.
/// @param dir sent or received
/// @param data the bytes of this write or read
/// @param stream_offset how many bytes went that way on this connection before @p data
/// @return the lines, each ending in '\n'
[[nodiscard]] std::string format_trace(direction dir, std::string_view data, std::uint64_t stream_offset);

}  // namespace socketlab::client
