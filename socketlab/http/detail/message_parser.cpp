#include "socketlab/http/detail/message_parser.hpp"

#include <algorithm>

#include "socketlab/http/detail/chunk.hpp"
#include "socketlab/http/detail/syntax.hpp"

namespace socketlab::http::detail {

namespace {

/// A body is reserved up front only up to this much: a Content-Length is a claim,
/// and a peer must not make us commit memory it never sends.
constexpr std::uint64_t max_body_reserve = 64 * 1024;

}  // namespace

parse_result message_parser::parse_some(std::string_view data, fields& headers, std::string& body) {
  std::size_t pos = 0;
  while (true) {
    switch (state_) {
      case state::start_line:
      case state::field_line:
      case state::chunk_size:
      case state::trailer_line: {
        std::string_view line;
        const line_status found = next_line(data, pos, line);
        if (found == line_status::partial) return {parse_status::need_more, pos};
        if (found == line_status::impossible) return fail(impossible_, pos);
        if (found == line_status::too_long) return fail(too_long(), pos);
        if (found == line_status::bare_lf) return fail(error::bare_lf, pos);
        const error e = on_line(line, headers, body);
        line_.clear();  // after on_line: `line` may point into it
        if (e != error{}) return fail(e, pos);
        break;
      }
      case state::body_length:
      case state::chunk_data: {
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size() - pos));
        body.append(data.substr(pos, n));
        pos += n;
        remaining_ -= n;
        if (remaining_ != 0) return {parse_status::need_more, pos};
        state_ = state_ == state::body_length ? state::done : state::chunk_data_cr;
        break;
      }
      case state::body_to_eof: {
        const std::size_t n = data.size() - pos;
        if (n > limits_.max_body - body.size()) return fail(error::body_too_large, pos);
        body.append(data.substr(pos));
        return {parse_status::need_more, data.size()};
      }
      case state::chunk_data_cr:
      case state::chunk_data_lf: {
        // Chunk data must be followed by exactly CRLF (or a lone LF, where line_ends allow it).
        if (pos == data.size()) return {parse_status::need_more, pos};
        const char c = data[pos];
        if (c == '\n') {
          if (state_ == state::chunk_data_cr && ends_ == line_ends::crlf) return fail(error::bare_lf, pos);
          state_ = state::chunk_size;
        } else if (c == '\r' && state_ == state::chunk_data_cr) {
          state_ = state::chunk_data_lf;
        } else {
          return fail(error::bad_chunk, pos);
        }
        ++pos;
        break;
      }
      case state::done:
        return {parse_status::done, pos};
      case state::failed:
        return {parse_status::error, pos};
    }
  }
}

parse_result message_parser::parse_eof() noexcept {
  if (state_ == state::body_to_eof) state_ = state::done;
  if (state_ == state::done) return {parse_status::done, 0};
  if (state_ == state::failed) return {parse_status::error, 0};
  return fail(error::unexpected_eof, 0);
}

void message_parser::restart() noexcept {
  state_ = state::start_line;
  framing_ = body_kind::none;
  header_done_ = false;
  failure_ = error{};
  header_bytes_ = 0;
  field_count_ = 0;
  remaining_ = 0;
  line_.clear();
}

bool message_parser::message_started() const noexcept {
  // A lone CR waiting for its LF may still turn out to be a skipped empty line.
  return state_ != state::start_line || (!line_.empty() && line_ != "\r");
}

bool message_parser::body_pending() const noexcept {
  switch (state_) {
    case state::body_length:
    case state::body_to_eof:
    case state::chunk_size:
    case state::chunk_data:
    case state::chunk_data_cr:
    case state::chunk_data_lf:
    case state::trailer_line:
      return true;
    default:
      return false;
  }
}

std::error_code message_parser::failure() const noexcept {
  return failure_ == error{} ? std::error_code{} : make_error_code(failure_);
}

error message_parser::too_long() const noexcept {
  if (state_ == state::start_line) return error::start_line_too_long;
  if (state_ == state::chunk_size) return error::bad_chunk;
  return error::header_too_large;
}

message_parser::line_status message_parser::next_line(std::string_view data, std::size_t& pos,
                                                      std::string_view& line) {
  // Field lines share one budget, line ends included (limits::max_header_bytes); a start
  // line or chunk-size line is limited on its own, line end excluded.
  const bool in_fields = state_ == state::field_line || state_ == state::trailer_line;
  const std::size_t max = in_fields ? limits_.max_header_bytes - header_bytes_ : limits_.max_start_line;
  const std::string_view rest = data.substr(pos);
  if (rest.empty()) return line_status::partial;
  const std::size_t lf = rest.find('\n');
  const bool ended = lf != std::string_view::npos;
  const std::string_view part = rest.substr(0, lf);  // this feed's bytes of the line, LF excluded
  const std::size_t before = line_.size();
  if (before == 0 && ended) {
    line = part;  // the whole line is in this feed: parsed in place
  } else {
    // A line that has not ended is kept to one byte past its limit (with a final CR that may
    // begin its line end): enough to tell it is too long. Kept lines are never longer.
    line_.append(ended ? part : part.substr(0, max + 1 - before));
    line = line_;
  }
  if (state_ == state::start_line) {
    // The same bytes are checked whether the line has ended or not, so the first impossible
    // byte wins however the input was cut. The bytes before this feed's were valid.
    const std::string_view probe = line.substr(0, max + 1);
    const auto prefix = check_partial_start_line(probe);
    if (prefix.valid < probe.size()) {
      pos += prefix.valid - before;
      impossible_ = prefix.why;
      return line_status::impossible;
    }
  }
  if (!ended) {
    // Too long already? Then say so now rather than wait for the line end. A final CR may be
    // the start of the line end, which only the field budget counts.
    const std::size_t have = before + part.size() - (!in_fields && part.back() == '\r' ? 1 : 0);
    if (have > max) return line_status::too_long;
    pos = data.size();
    return line_status::partial;
  }
  const bool crlf = !line.empty() && line.back() == '\r';
  if (crlf) line.remove_suffix(1);
  const std::size_t with_end = before + lf + 1;
  if ((in_fields ? with_end : line.size()) > max) return line_status::too_long;
  // RFC 9112 §2.2 lets a recipient take a lone LF as a line end; ends_ says whether we do.
  if (!crlf && ends_ == line_ends::crlf) return line_status::bare_lf;
  if (in_fields) header_bytes_ += with_end;
  pos += lf + 1;
  return line_status::complete;
}

error message_parser::on_line(std::string_view line, fields& headers, std::string& body) {
  if (state_ == state::chunk_size) return on_chunk_size(line, body);
  // The line end was CRLF (or LF, where allowed); any CR left is a bare CR, which RFC 9112
  // §2.2 lets us reject and which must not be passed on (response splitting).
  if (line.find('\r') != std::string_view::npos) return error::bare_cr;
  switch (state_) {
    case state::start_line: {
      if (line.empty()) return error{};  // RFC 9112 §2.2: ignore empty lines before it
      const error e = on_start_line(line);
      if (e == error{}) state_ = state::field_line;
      return e;
    }
    case state::field_line:
      return line.empty() ? finish_header(headers, body) : add_field(line, &headers);
    default:  // state::trailer_line: trailers are checked, counted, and dropped
      if (!line.empty()) return add_field(line, nullptr);
      state_ = state::done;
      return error{};
  }
}

error message_parser::add_field(std::string_view line, fields* headers) {
  // A line starting with whitespace continues the previous one (obs-fold, RFC 9112 §5.2).
  if (is_ows(line.front())) return error::obs_fold;
  const auto name_end = std::find_if_not(line.begin(), line.end(), is_tchar);
  const std::size_t colon = static_cast<std::size_t>(name_end - line.begin());
  if (colon == line.size()) return error::bad_field_name;
  if (line[colon] != ':') {
    // "Name : value" is rejected (RFC 9112 §5.1): proxies have disagreed on what it names.
    const std::size_t after_ws = line.find_first_not_of(" \t", colon);
    const bool ws_then_colon =
        colon > 0 && is_ows(line[colon]) && after_ws != std::string_view::npos && line[after_ws] == ':';
    return ws_then_colon ? error::whitespace_before_colon : error::bad_field_name;
  }
  if (colon == 0) return error::bad_field_name;
  const std::string_view value = trim_ows(line.substr(colon + 1));
  if (!is_field_text(value)) return error::bad_field_value;
  if (++field_count_ > limits_.max_fields) return error::too_many_fields;
  if (headers != nullptr) headers->add(line.substr(0, colon), value);
  return error{};
}

error message_parser::finish_header(const fields& headers, std::string& body) {
  const body_plan plan = on_header_done(headers);
  if (plan.failure != error{}) return plan.failure;
  header_done_ = true;
  framing_ = plan.kind;
  switch (plan.kind) {
    case body_kind::none:
      state_ = state::done;
      break;
    case body_kind::length:
      // Refused now, before any body byte, so a server can answer 413 instead of 100 Continue.
      if (plan.length > limits_.max_body) return error::body_too_large;
      body.reserve(static_cast<std::size_t>(std::min(plan.length, max_body_reserve)));
      remaining_ = plan.length;
      state_ = plan.length == 0 ? state::done : state::body_length;
      break;
    case body_kind::chunked:
      state_ = state::chunk_size;
      break;
    case body_kind::until_eof:
      state_ = state::body_to_eof;
      break;
  }
  return error{};
}

error message_parser::on_chunk_size(std::string_view line, const std::string& body) {
  const chunk_header chunk = parse_chunk_header(line);
  if (!chunk.valid) return error::bad_chunk;
  if (chunk.size == 0) {
    state_ = state::trailer_line;
  } else {
    // Refused when announced, before its bytes arrive.
    if (chunk.size > limits_.max_body - body.size()) return error::body_too_large;
    remaining_ = chunk.size;
    state_ = state::chunk_data;
  }
  return error{};
}

parse_result message_parser::fail(error e, std::size_t consumed) noexcept {
  state_ = state::failed;
  failure_ = e;
  return {parse_status::error, consumed};
}

}  // namespace socketlab::http::detail
