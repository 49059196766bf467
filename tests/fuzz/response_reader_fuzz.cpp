// Fuzz target: the client's response reader (client/http/response_reader), which get, bench and
// backlog read every server's bytes through.
//
// Input: a flags byte, a count k, k piece lengths, then the bytes a server sends. The reader reads
// responses one after the other (pipelined) from the pieces, then from the whole stream at once.
// Invariants:
// - need_more consumes everything it was given; done and error consume no more than that;
// - a final response is 2xx-9xx or 101, interim ones are other 1xx; HEAD's has no body;
// - bytes() counts what was consumed, and an error's offset lies within it;
// - the responses, where each ends and how the stream ends do not depend on the split.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "client/http/response_reader.hpp"
#include "fuzz/fuzz_check.hpp"
#include "unit/http/grind.hpp"

namespace {

using socketlab::fuzz::check;
namespace http = socketlab::http;

/// What the flags byte chooses.
enum flag : std::uint8_t {
  head = 1,        ///< the requests were HEAD
  eof_at_end = 2,  ///< the server closes after the last byte
};

/// Checks one final response and what came before it; describes them for the comparison.
std::string finish(const socketlab::client::response_reader& reader, bool head_request, std::size_t end) {
  const auto& res = reader.response();
  check(res.status >= 200 || res.status == 101, "a final response is not 1xx, but 101");
  check(res.status <= 999, "a status has three digits");
  check(!head_request || res.body.empty(), "the answer to HEAD has no body");
  std::string text;
  for (const auto& interim : reader.interim()) {
    check(interim.status >= 100 && interim.status < 200 && interim.status != 101,
          "interim responses are 1xx");
    check(interim.body.empty(), "an interim response has no body");
    text += "interim " + socketlab::http::test::describe(interim) + "\n";
  }
  return text + socketlab::http::test::describe(res) + "\n@" + std::to_string(end) + "\n";
}

/// Reads every response in @p stream cut in pieces of @p cuts (cycled, 0 counts as 1; none: in
/// one piece); describes them and how the stream ended.
std::string read_all(std::string_view stream, std::string_view cuts, std::uint8_t flags) {
  const bool head_request = (flags & head) != 0;
  socketlab::client::response_reader reader;
  reader.start(head_request);
  std::string out;
  std::size_t offset = 0;            // of the next piece in the stream
  std::uint64_t exchange_bytes = 0;  // consumed since start()
  for (std::size_t i = 0; offset < stream.size(); ++i) {
    const std::size_t n = cuts.empty() ? stream.size() : static_cast<unsigned char>(cuts[i % cuts.size()]);
    std::string_view piece = stream.substr(offset, std::max<std::size_t>(n, 1));
    offset += piece.size();
    while (true) {
      const auto r = reader.feed(piece);
      check(r.consumed <= piece.size(), "a feed consumes no more than it was given");
      exchange_bytes += r.consumed;
      check(reader.bytes() == exchange_bytes, "bytes() counts what was consumed");
      if (r.status == http::parse_status::error) {
        check(reader.error_offset() <= reader.bytes(), "an error's offset is within what was read");
        return out + "error " + reader.error().message();
      }
      if (r.status == http::parse_status::need_more) {
        check(r.consumed == piece.size(), "need_more consumes everything");
        break;
      }
      if (reader.close_delimited()) check(!reader.keep_alive(), "a close-delimited body ends the connection");
      out += finish(reader, head_request, offset - piece.size() + r.consumed);
      piece.remove_prefix(r.consumed);
      reader.start(head_request);
      exchange_bytes = 0;
      if (piece.empty()) break;
    }
  }
  if ((flags & eof_at_end) == 0) return out + (reader.bytes() > 0 ? "need_more(started)" : "end");
  const auto r = reader.feed_eof();
  if (r.status == http::parse_status::done) return out + finish(reader, head_request, stream.size()) + "eof";
  check(r.status == http::parse_status::error, "feed_eof says done or error");
  return out + "eof error " + reader.error().message();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  socketlab::fuzz::input in(data, size);
  const std::uint8_t flags = in.byte();
  const std::string_view cuts = in.bytes(in.byte());
  const std::string_view stream = in.rest();
  const std::string split = read_all(stream, cuts, flags);
  if (!cuts.empty()) check(read_all(stream, {}, flags) == split, "the split does not change what is read");
  return 0;
}
