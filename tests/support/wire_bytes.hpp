/// @file
/// Bytes for tests that check what crossed a connection: recognisable bodies, and the responses in
/// a stream of bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "socketlab/http/response.hpp"
#include "socketlab/http/response_parser.hpp"
#include "support/catch.hpp"

namespace socketlab::test {

/// @p size bytes that differ from one position to the next (with a period that is no power of
/// two), so that a piece of a body lost, repeated or out of place shows.
/// @param size how many
/// @return the bytes, lower-case letters
inline std::string patterned_bytes(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i)
    bytes[i] = static_cast<char>('a' + (i * 7 + i / 4093) % 26);
  return bytes;
}

/// Every response in @p bytes, which must hold whole responses only (a Catch2 REQUIRE).
/// @param bytes the stream
/// @param heads which responses (by index) answer HEAD requests, and so have no body
/// @return the responses, in order
inline std::vector<http::response> parse_responses(std::string_view bytes, std::vector<bool> heads = {}) {
  std::vector<http::response> out;
  http::response_parser parser;
  while (!bytes.empty()) {
    parser.set_head_request(out.size() < heads.size() && heads[out.size()]);
    const auto r = parser.feed(bytes);
    REQUIRE(r.status == http::parse_status::done);
    bytes.remove_prefix(r.consumed);
    out.push_back(parser.get());
    parser.reset();
  }
  return out;
}

}  // namespace socketlab::test
