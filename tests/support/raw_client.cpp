#include "support/raw_client.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <asio/connect.hpp>
#include <asio/write.hpp>

namespace socketlab::test {

raw_client::raw_client(std::uint16_t port, const std::string& host, int receive_buffer) : socket_(io_) {
  const asio::ip::tcp::endpoint server(asio::ip::make_address(host), port);
  socket_.open(server.protocol());
  if (receive_buffer > 0) socket_.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
  socket_.connect(server);
}

void raw_client::send(std::string_view bytes) {
  asio::write(socket_, asio::buffer(bytes.data(), bytes.size()));
}

bool raw_client::read_some(std::chrono::steady_clock::time_point deadline) {
  std::array<char, 16 * 1024> buffer{};
  if (pace_pause_.count() > 0) std::this_thread::sleep_for(pace_pause_);  // a slow reader's pace
  std::error_code result = asio::error::would_block;
  std::size_t n = 0;
  socket_.async_read_some(asio::buffer(buffer.data(), std::min(buffer.size(), pace_bytes_)),
                          [&](std::error_code ec, std::size_t got) {
                            result = ec;
                            n = got;
                          });
  io_.restart();
  io_.run_until(deadline);
  if (result == asio::error::would_block) {
    socket_.cancel();
    io_.restart();
    io_.run();  // let the cancelled read finish before `buffer` goes away
    // It may have finished as it was cancelled: what it read, or the end it saw, counts.
    if (result == asio::error::operation_aborted)
      throw std::runtime_error("timed out waiting for the server");
  }
  if (result == asio::error::eof || result == asio::error::connection_reset) return false;
  if (result) throw std::system_error(result, "read");
  pending_.append(buffer.data(), n);
  return true;
}

http::response raw_client::read_response(bool head, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  http::response_parser parser;
  parser.set_head_request(head);
  for (;;) {
    if (!pending_.empty()) {
      const auto r = parser.feed(pending_);
      pending_.erase(0, r.consumed);
      if (r.status == http::parse_status::done) return std::move(parser.get());
      if (r.status == http::parse_status::error) {
        throw std::runtime_error("malformed response: " + parser.error().message());
      }
    }
    if (!read_some(deadline)) {
      const auto r = parser.feed_eof();
      if (r.status == http::parse_status::done) return std::move(parser.get());
      throw std::runtime_error("connection closed before a whole response arrived");
    }
  }
}

void raw_client::read_at_least(std::size_t n, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pending_.size() < n) {
    if (!read_some(deadline)) throw std::runtime_error("connection closed before enough bytes arrived");
  }
}

std::string raw_client::read_until_close(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (read_some(deadline)) {
  }
  return std::exchange(pending_, {});
}

bool raw_client::closed_within(std::chrono::milliseconds timeout) {
  try {
    read_until_close(timeout);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

void raw_client::shutdown_send() {
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send);
}

http::response round_trip(std::uint16_t port, std::string_view request) {
  raw_client client(port);
  client.send(request);
  return client.read_response(request.starts_with("HEAD "));
}

}  // namespace socketlab::test
