#include "server/sites/conditional_get.hpp"

#include <array>
#include <charconv>
#include <string_view>

#include "socketlab/http/date.hpp"
#include "socketlab/http/fields.hpp"

namespace socketlab::server {
namespace {

namespace fs = std::filesystem;
using std::chrono::system_clock;

/// A file's modification time on the system clock, floored to seconds: HTTP dates carry no
/// more, and a finer time would never compare equal to the If-Modified-Since it came back as.
system_clock::time_point modified_time(fs::file_time_type t) {
#if defined(__cpp_lib_chrono) && __cpp_lib_chrono >= 201907L
  const auto on_system = std::chrono::clock_cast<system_clock>(t);
#else
  const auto on_system = fs::file_time_type::clock::to_sys(t);  // libstdc++ before clock_cast
#endif
  return std::chrono::floor<std::chrono::seconds>(on_system);
}

/// Appends @p value in lower-case hex.
template <typename Integer>
void append_hex(std::string& out, Integer value) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value, 16).ptr;
  out.append(digits.data(), end);
}

/// A strong entity tag the way nginx makes it, `"<mtime hex>-<size hex>"`: it changes when the
/// file is rewritten, without reading the file to hash it.
std::string entity_tag(std::uintmax_t size, system_clock::time_point modified) {
  std::string tag = "\"";
  append_hex(tag, std::chrono::duration_cast<std::chrono::seconds>(modified.time_since_epoch()).count());
  tag += '-';
  append_hex(tag, size);
  tag += '"';
  return tag;
}

/// Whether an If-None-Match list holds `*` or a tag equal to @p etag under the weak comparison
/// (RFC 9110 §8.8.3.2: the `W/` prefixes are ignored, the quoted parts compared).
/// @param list e.g. `"a", W/"b"`
/// @param etag our tag, quoted, e.g. `"5f3a-1c"`
bool list_matches(std::string_view list, std::string_view etag) {
  for (std::size_t i = 0; i < list.size();) {
    if (list[i] == ' ' || list[i] == '\t' || list[i] == ',') {
      ++i;
      continue;
    }
    if (list[i] == '*') return true;
    if (list.substr(i).starts_with("W/")) i += 2;
    // A tag is a quoted string, and may hold a ',': after a malformed one, no boundary can be trusted.
    if (i >= list.size() || list[i] != '"') return false;
    const auto close = list.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    if (list.substr(i, close + 1 - i) == etag) return true;
    i = close + 1;
  }
  return false;
}

}  // namespace

validators validators_of(std::uintmax_t size, fs::file_time_type written) {
  const auto modified = modified_time(written);
  return {entity_tag(size, modified), modified};
}

bool not_modified(const http::request& req, const validators& current) {
  const auto& etag = current.etag;
  const auto modified = current.modified;
  // If-None-Match decides when it is there: an ETag tells a change within the same second,
  // which a date cannot.
  bool asked_by_tag = false;
  for (const auto& f : req.headers) {
    if (!http::iequals(f.name, "If-None-Match")) continue;
    asked_by_tag = true;
    if (list_matches(f.value, etag)) return true;
  }
  if (asked_by_tag) return false;
  // Two dates would be a list (§13.1.3): ignored, like a date that does not parse.
  if (req.headers.count("If-Modified-Since") != 1) return false;
  const auto since = http::parse_http_date(*req.headers.get("If-Modified-Since"));
  return since && modified <= *since;
}

}  // namespace socketlab::server
