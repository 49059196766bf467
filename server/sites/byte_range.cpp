#include "server/sites/byte_range.hpp"

#include <charconv>

#include "server/sites/conditional_get.hpp"
#include "socketlab/http/date.hpp"
#include "socketlab/http/fields.hpp"

namespace socketlab::server {
namespace {

/// @p text as a whole non-negative decimal number: digits only, no sign, no overflow.
std::optional<std::uint64_t> decimal(std::string_view text) noexcept {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// @p text without the spaces and tabs around it (OWS).
std::string_view trim(std::string_view text) noexcept {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") + 1 - first);
}

/// Whether If-Range's @p value names the version @p current describes (RFC 9110 §13.1.5): an
/// entity tag compared strongly (a weak one never matches), or an HTTP date equal to ours.
bool same_version(std::string_view value, const validators& current) {
  value = trim(value);
  if (value.starts_with('"')) return value == current.etag;
  if (value.starts_with("W/")) return false;
  const auto date = http::parse_http_date(value);
  return date && *date == current.modified;
}

}  // namespace

byte_range parse_byte_range(std::string_view value, std::uint64_t size) noexcept {
  const byte_range whole{};
  value = trim(value);
  constexpr std::string_view unit = "bytes=";
  if (value.size() < unit.size() || !http::iequals(value.substr(0, unit.size()), unit)) return whole;
  const std::string_view spec = trim(value.substr(unit.size()));
  if (spec.find(',') != std::string_view::npos) return whole;  // several ranges: not served as parts
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const auto first = decimal(spec.substr(0, dash));
  const auto last = decimal(spec.substr(dash + 1));

  if (!first) {  // "-n": the last n bytes
    if (!last || dash != 0) return whole;
    if (*last == 0 || size == 0) return {byte_range::kind::unsatisfiable};
    return {byte_range::kind::partial, *last >= size ? 0 : size - *last, size - 1};
  }
  if (dash + 1 < spec.size() && (!last || *last < *first)) return whole;  // "a-b" with b < a, or junk
  if (*first >= size) return {byte_range::kind::unsatisfiable};
  const std::uint64_t end = (!last || *last >= size) ? size - 1 : *last;
  return {byte_range::kind::partial, *first, end};
}

byte_range requested_range(const http::request& req, const validators& current, std::uint64_t size) {
  if (req.method != "GET" || req.headers.count("Range") != 1) return {};
  if (req.headers.count("If-Range") > 1) return {};
  if (const auto if_range = req.headers.get("If-Range"); if_range && !same_version(*if_range, current)) {
    return {};  // the client's part is of another version: it gets the whole new one
  }
  return parse_byte_range(*req.headers.get("Range"), size);
}

}  // namespace socketlab::server
