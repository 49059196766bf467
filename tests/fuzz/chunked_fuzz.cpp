// Fuzz target: the chunked transfer coding (RFC 9112 §7.1), as the request parser (CRLF only) and
// the response parser (CRLF or LF) decode it: chunk-size lines with extensions, chunk data, the
// CRLF after it, the last chunk and the trailer section.
//
// Input: a flags byte, a count k, k cut increments, then the bytes after a header section that
// said `Transfer-Encoding: chunked`. Invariants:
// - a decoded body is never larger than max_body, nor than the bytes it was decoded from;
// - a body the parser accepts is the one a plain reading of the chunks gives (each size line
//   through parse_chunk_header(), its data, a CRLF), and it ends where that reading ends;
// - parse_chunk_header() gives the value of the line's hex digits, or refuses the line;
// - the messages and where they end do not depend on where the input was cut.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "socketlab/http/detail/chunk.hpp"
#include "socketlab/http/detail/syntax.hpp"
#include "socketlab/http/request_parser.hpp"
#include "socketlab/http/response_parser.hpp"
#include "unit/http/grind.hpp"

namespace {

using socketlab::fuzz::check;
namespace http = socketlab::http;
namespace detail = socketlab::http::detail;

/// What the flags byte chooses.
enum flag : std::uint8_t {
  response = 1,      ///< a response (CRLF or LF line ends), else a request (CRLF only)
  small_limits = 2,  ///< limits a short input can reach
};

/// A body decoded the plain way: where the message ends (just after the trailer section's empty
/// line) and the body; nothing when the chunks do not read that way with CRLF line ends.
struct plain_reading {
  std::size_t end = 0;  ///< offset of the first byte after the message
  std::string body;     ///< the chunks' data, joined
};

/// Reads @p in as chunks with CRLF line ends, trusting parse_chunk_header() for each size line.
std::optional<plain_reading> read_plainly(std::string_view in) {
  plain_reading r;
  std::size_t pos = 0;
  auto next_line = [&](std::string_view& line) {
    const auto crlf = in.find("\r\n", pos);
    if (crlf == std::string_view::npos) return false;
    line = in.substr(pos, crlf - pos);
    pos = crlf + 2;
    return true;
  };
  std::string_view line;
  while (true) {
    if (!next_line(line)) return std::nullopt;
    const auto header = detail::parse_chunk_header(line);
    if (!header.valid) return std::nullopt;
    if (header.size == 0) break;
    if (header.size > in.size() - pos) return std::nullopt;
    r.body.append(in.substr(pos, static_cast<std::size_t>(header.size)));
    pos += static_cast<std::size_t>(header.size);
    if (in.substr(pos, 2) != "\r\n") return std::nullopt;
    pos += 2;
  }
  do {  // trailer fields, until the empty line
    if (!next_line(line)) return std::nullopt;
  } while (!line.empty());
  r.end = pos;
  return r;
}

/// Checks parse_chunk_header() on the input's first line against its hex digits.
void check_chunk_header(std::string_view in) {
  const std::string_view line = in.substr(0, in.find("\r\n"));
  const auto header = detail::parse_chunk_header(line);
  if (!header.valid) return;
  std::size_t digits = 0;
  std::uint64_t value = 0;
  while (digits < line.size() && detail::hex_value(line[digits]) >= 0)
    value = value * 16 + static_cast<std::uint64_t>(detail::hex_value(line[digits++]));
  check(digits >= 1 && digits <= detail::max_chunk_size_digits, "a chunk size has 1 to 16 hex digits");
  check(header.size == value, "a chunk size is the value of its hex digits");
}

/// Parses @p head + @p chunks with @p parser in one feed, and checks the body it decodes.
template <typename Parser>
void check_decoded(Parser parser, std::string_view head, std::string_view chunks, const http::limits& lim,
                   bool crlf_only) {
  const std::string message = std::string(head).append(chunks);
  const auto r = parser.feed(message);
  if (r.status != http::parse_status::done) return;
  const std::string& body = parser.get().body;
  check(body.size() <= lim.max_body, "a decoded body is within max_body");
  check(body.size() <= chunks.size(), "decoding never makes the body larger than its chunks");
  if (!crlf_only) return;  // the plain reading knows CRLF line ends only
  const auto plain = read_plainly(chunks);
  check(plain.has_value(), "a body the parser accepts reads as chunks");
  check(plain->body == body, "the parser's body is the chunks' data");
  check(head.size() + plain->end == r.consumed, "the message ends after the trailer section's empty line");
}

/// Ascending offsets in @p input's range, from the increments in @p steps.
std::vector<std::size_t> cut_points(std::string_view steps, std::size_t size) {
  std::vector<std::size_t> cuts;
  std::size_t at = 0;
  for (const char step : steps) {
    at += static_cast<unsigned char>(step) + 1;
    if (at >= size) break;
    cuts.push_back(at);
  }
  return cuts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  socketlab::fuzz::input in(data, size);
  const std::uint8_t flags = in.byte();
  const std::string_view steps = in.bytes(in.byte());
  const std::string_view chunks = in.rest();
  check_chunk_header(chunks);

  http::limits lim;
  if (flags & small_limits)
    lim = {.max_start_line = 64, .max_header_bytes = 128, .max_fields = 4, .max_body = 32};
  const bool is_response = (flags & response) != 0;
  const std::string_view head = is_response
                                    ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    : "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string message = std::string(head).append(chunks);
  const auto cuts = cut_points(steps, message.size());
  std::string one_shot;
  std::string split;
  if (is_response) {
    check_decoded(http::response_parser(lim), head, chunks, lim, false);
    http::response_parser whole(lim);
    http::response_parser pieces(lim);
    one_shot = http::test::drive(whole, message, {}, true);
    split = http::test::drive(pieces, message, cuts, true);
  } else {
    check_decoded(http::request_parser(lim), head, chunks, lim, true);
    http::request_parser whole(lim);
    http::request_parser pieces(lim);
    one_shot = http::test::drive(whole, message, {});
    split = http::test::drive(pieces, message, cuts);
  }
  check(split == one_shot, "the split does not change the messages");
  return 0;
}
