// What a session takes from its thread and gives back: the parser while a request is being
// received, the output buffer while a response is being sent (server/thread_spares.hpp).
#include <memory>
#include <string>
#include <utility>

#include "server/http_session.hpp"
#include "server/thread_spares.hpp"

namespace socketlab::server {
namespace {

/// Parsers and output buffers not in use on this thread, each with its memory (thread_spares.hpp).
using spare_parsers = thread_spares<std::unique_ptr<http::request_parser>>;
using spare_buffers = thread_spares<std::string>;

/// A parser whose last request had a larger body, or an output buffer larger than this, is freed
/// rather than kept spare: a thread keeps little, whatever its connections once received.
constexpr std::size_t max_spare_bytes = http_session::max_kept_buffer;

}  // namespace

void http_session::parser_return::operator()(http::request_parser* p) const noexcept {
  std::unique_ptr<http::request_parser> parser(p);  // freed here unless kept
  if (parser->get().body.capacity() > max_spare_bytes) return;
  parser->reset();
  (void)spare_parsers::give(std::move(parser));
}

http::request_parser& http_session::parser() {
  if (!parser_) {
    std::unique_ptr<http::request_parser> spare;
    if (spare_parsers::take(spare)) {
      spare->reset(config_.limits);
    } else {
      spare = std::make_unique<http::request_parser>(config_.limits);
    }
    parser_.reset(spare.release());
  }
  return *parser_;
}

void http_session::take_output_buffer() noexcept {
  if (output_.empty()) (void)spare_buffers::take(output_);
}

void http_session::give_back_output() noexcept {
  output_.clear();
  if (output_.capacity() <= max_spare_bytes) (void)spare_buffers::give(std::move(output_));
  std::string().swap(output_);  // a buffer too large to keep is freed; none is kept here
}

}  // namespace socketlab::server
