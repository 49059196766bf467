// Fuzz target: the Range header (server/sites/byte_range), which decides which bytes of a file a
// static site sends.
//
// Input: a byte choosing how the file size is given, the size (1 or 8 bytes), then the Range
// value, and after a '\n' an If-Range value. Invariants:
// - a partial answer is a range inside the file: first <= last < size;
// - whitespace around the value and the case of "bytes" change nothing;
// - a request's range is the value's range, or the whole file (If-Range of another version, a
//   method other than GET).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "server/sites/byte_range.hpp"
#include "server/sites/conditional_get.hpp"
#include "socketlab/http/request.hpp"

namespace {

using socketlab::fuzz::check;
namespace server = socketlab::server;

/// Whether @p a and @p b give the same answer.
bool same(const server::byte_range& a, const server::byte_range& b) {
  return a.what == b.what && a.first == b.first && a.last == b.last;
}

/// Aborts unless @p r is an answer a file of @p size bytes can be sent with.
void check_range(const server::byte_range& r, std::uint64_t size) {
  switch (r.what) {
    case server::byte_range::kind::partial:
      check(r.first <= r.last && r.last < size, "a partial range is inside the file");
      break;
    case server::byte_range::kind::whole:
    case server::byte_range::kind::unsatisfiable:
      check(r.first == 0 && r.last == 0, "only a partial answer has bounds");
      break;
  }
}

/// @p value with "bytes=" spelled "BYTES=", when it begins with it in any case.
std::string upper_unit(std::string_view value) {
  std::string text(value);
  const auto at = text.find_first_not_of(" \t");
  if (at == std::string::npos || text.size() - at < 6) return text;
  for (std::size_t i = at; i < at + 5; ++i) {
    if (text[i] >= 'a' && text[i] <= 'z') text[i] = static_cast<char>(text[i] - 'a' + 'A');
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  socketlab::fuzz::input in(data, size);
  const std::uint64_t file_size = (in.byte() & 1) ? in.u64() : in.byte();
  const std::string_view rest = in.rest();
  const std::string_view value = rest.substr(0, rest.find('\n'));
  const std::string_view if_range = value.size() < rest.size() ? rest.substr(value.size() + 1) : "";

  const auto r = server::parse_byte_range(value, file_size);
  check_range(r, file_size);
  check(same(server::parse_byte_range(" \t" + std::string(value) + "\t ", file_size), r),
        "whitespace around the value changes nothing");
  check(same(server::parse_byte_range(upper_unit(value), file_size), r), "the unit's case changes nothing");

  const server::validators current{
      "\"5f3a-10\"", std::chrono::system_clock::time_point{std::chrono::seconds{1'600'000'000}}};
  socketlab::http::request req;
  req.method = if_range.starts_with('H') ? "HEAD" : "GET";
  req.headers.add("Range", value);
  if (!if_range.empty()) req.headers.add("If-Range", if_range);
  const auto asked = server::requested_range(req, current, file_size);
  check_range(asked, file_size);
  check(same(asked, r) || same(asked, server::byte_range{}),
        "a request's range is the value's, or the whole file");
  if (req.method != "GET") check(same(asked, server::byte_range{}), "only GET has ranges");
  return 0;
}
