#include "server/models/send_some.hpp"

#include <asio/buffer.hpp>

#include "socketlab/net/send_file.hpp"
#include "socketlab/net/unsent_limit.hpp"

namespace socketlab::server {

std::error_code send_some(asio::ip::tcp::socket& socket, http_session& session, bool& unsent_limited) {
  std::error_code ec;
  std::size_t n = 0;
  if (const auto bytes = session.output(); !bytes.empty()) {
    n = socket.write_some(asio::buffer(bytes), ec);
  } else if (const auto* body = session.file_output()) {
    n = net::send_file(socket, body->file(), body->offset(), body->remaining(), ec);
    if (!ec && n == 0) {
      session.on_file_short();
      return ec;
    }
  } else {
    return ec;  // nothing to send
  }
  if (!ec) {
    session.on_written(n, http_session::clock::now());
  } else if (ec == asio::error::would_block && !unsent_limited) {
    net::limit_unsent(socket, http_session::unsent_limit);  // before the first wait for room
    unsent_limited = true;
  }
  return ec;
}

}  // namespace socketlab::server
