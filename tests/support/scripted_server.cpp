#include "support/scripted_server.hpp"

#include <array>

#include <asio/buffer.hpp>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

namespace socketlab::test {

scripted_server::scripted_server(script s, int backlog) : script_(std::move(s)) {
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(ep.protocol());
  acceptor_.bind(ep);
  acceptor_.listen(backlog);
  port_ = acceptor_.local_endpoint().port();
  accept_next();
  thread_ = std::thread([this] { ioc_.run(); });
}

scripted_server::~scripted_server() {
  asio::post(ioc_, [this] {
    std::error_code ignored;
    acceptor_.close(ignored);  // the pending accept completes with operation_aborted: run() returns
  });
  thread_.join();
}

std::string scripted_server::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

void scripted_server::accept_next() {
  acceptor_.async_accept([this](const std::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec) return;   // closed by the destructor
    script_(socket);  // blocking, on purpose: the next connection waits in the listen queue
    std::error_code ignored;
    socket.close(ignored);
    ++served_;
    accept_next();
  });
}

std::string scripted_server::read_head(asio::ip::tcp::socket& socket) {
  std::string head;
  std::array<char, 1> byte{};
  std::error_code ec;
  while (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) {
    if (asio::read(socket, asio::buffer(byte), ec) != 1) break;
    head += byte[0];
  }
  return head;
}

void scripted_server::write(asio::ip::tcp::socket& socket, std::string_view bytes) {
  std::error_code ignored;
  asio::write(socket, asio::buffer(bytes), ignored);
}

void scripted_server::drain_until_close(asio::ip::tcp::socket& socket) {
  std::array<char, 4096> buffer{};
  std::error_code ec;
  while (!ec)
    (void)socket.read_some(asio::buffer(buffer), ec);
}

}  // namespace socketlab::test
