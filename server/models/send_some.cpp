#include "server/models/send_some.hpp"

#include <span>

#include "socketlab/net/send_file.hpp"
#include "socketlab/net/unsent_limit.hpp"

namespace socketlab::server {

namespace {

/// Turns Nagle's algorithm off on @p socket, once (see send_some()).
void no_delay(net::native_socket socket, send_tuning& tuning) {
  if (tuning.no_delay) return;
  std::error_code ignored;  // on failure, the response is only slower
  net::set_no_delay(socket, ignored);
  tuning.no_delay = true;
}

}  // namespace

std::error_code send_some(net::native_socket socket, http_session& session, send_tuning& tuning,
                          http_session::clock::time_point now) {
  std::error_code ec;
  std::size_t n = 0;
  if (const auto bytes = session.output(); !bytes.empty()) {
    n = net::write_now(socket, std::span<const char>(bytes.data(), bytes.size()), ec);
    if (!ec && n < bytes.size()) no_delay(socket, tuning);  // the rest goes in another write
  } else if (const auto* body = session.file_output()) {
    no_delay(socket, tuning);  // the header went in a write of its own
    n = net::send_file(socket, body->file(), body->offset(), body->remaining(), ec);
    if (!ec && n == 0) {
      session.on_file_short();
      return ec;
    }
  } else {
    return ec;  // nothing to send
  }
  if (!ec) {
    session.on_written(n, now);
  } else if (ec == asio::error::would_block && !tuning.unsent_limited) {
    net::limit_unsent(socket, http_session::unsent_limit);  // before the first wait for room
    tuning.unsent_limited = true;
  }
  return ec;
}

}  // namespace socketlab::server
