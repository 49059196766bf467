#include "client/http/response_reader.hpp"

namespace socketlab::client {

response_reader::response_reader() = default;

void response_reader::start(bool head_request) {
  parser_.set_head_request(head_request);
  parser_.reset();
  interim_.clear();
  bytes_ = 0;
  error_offset_ = 0;
}

http::parse_result response_reader::feed(std::string_view data) {
  std::size_t used = 0;
  while (true) {
    const auto r = parser_.feed(data.substr(used));
    used += r.consumed;
    bytes_ += r.consumed;
    if (r.status == http::parse_status::error) {
      error_offset_ = bytes_;
      return {r.status, used};
    }
    if (r.status == http::parse_status::need_more) return {r.status, used};
    const int status = parser_.get().status;
    if (status >= 200 || status == 101) return {http::parse_status::done, used};
    // An interim response (RFC 9110 §15.2): note it, and parse on for the final one.
    interim_.push_back(std::move(parser_.get()));
    parser_.reset();
  }
}

http::parse_result response_reader::feed_eof() {
  const auto r = parser_.feed_eof();
  if (r.status == http::parse_status::error) error_offset_ = bytes_;
  return r;
}

}  // namespace socketlab::client
