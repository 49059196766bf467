// Lesson 10: the event loop, with callbacks. An echo server: every byte a client sends comes
// back. One thread serves every connection: it never waits on one socket; io.run() waits on all
// of them at once and runs a small function, a handler, when one of them is ready.
//
// coroutines.cpp is the same server written with C++20 coroutines: diff the two files.
//
// Usage: lesson10-callbacks [PORT]    (default 7007)
#include <array>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <system_error>

#include <asio.hpp>

using asio::ip::tcp;

namespace {

int open_connections = 0;  // one thread runs every handler: no lock needed

//! [session]
/// One connection. It lives as long as a handler of it is waiting: each lambda holds a
/// shared_ptr to it, and the last one to finish frees it.
class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, tcp::endpoint peer) : socket_(std::move(socket)), peer_(peer) {}
  void start() { read(); }

 private:
  void read() {
    socket_.async_read_some(asio::buffer(buffer_),  // conn.recv(1024), without waiting for it
                            [self = shared_from_this()](std::error_code ec, std::size_t n) {
                              if (ec) return self->close(ec);  // the client closed, or failed
                              self->write(n);                  // n bytes arrived: echo them
                            });
  }  // returns at once: the handler runs later, from io.run()

  void write(std::size_t n) {
    asio::async_write(socket_, asio::buffer(buffer_, n),  // conn.sendall(data)
                      [self = shared_from_this()](std::error_code ec, std::size_t written) {
                        if (ec) return self->close(ec);
                        self->echoed_ += written;
                        self->read();  // and around again: the next read
                      });
  }
//! [session]

  void close(std::error_code why) {
    --open_connections;
    std::cout << peer_ << " closed after " << echoed_ << " bytes: " << why.message() << " (" << open_connections
              << " open)" << std::endl;
  }  // no handler holds the session any more: it is freed, and its socket closed

  tcp::socket socket_;
  tcp::endpoint peer_;
  std::array<char, 1024> buffer_;
  std::size_t echoed_ = 0;
};

//! [accept]
void accept(tcp::acceptor& acceptor) {
  acceptor.async_accept([&acceptor](std::error_code ec, tcp::socket socket) {
    if (!ec) {
      const tcp::endpoint peer = socket.remote_endpoint(ec);
      ++open_connections;
      std::cout << peer << " connected (" << open_connections << " open)" << std::endl;
      std::make_shared<session>(std::move(socket), peer)->start();
    }
    accept(acceptor);  // wait for the next client, while this one is served
  });
}
//! [accept]

}  // namespace

int main(int argc, char* argv[]) {
  const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 7007);
  try {
    //! [main]
    asio::io_context io;  // the event loop
    tcp::acceptor acceptor(io, {asio::ip::address_v4::loopback(), port});  // socket, bind, listen
    std::cout << "echo server on " << acceptor.local_endpoint() << ", one thread" << std::endl;
    accept(acceptor);  // the first operation: an accept, waiting in the loop
    io.run();          // wait for a ready socket, run its handler, wait again... (until Ctrl+C)
    //! [main]
  } catch (const std::system_error& e) {
    std::cerr << "lesson10-callbacks: " << e.what() << std::endl;
    return 1;
  }
}
