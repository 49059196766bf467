/// @file
/// Two ends of one TCP connection on loopback, for tests of what a socket does.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

namespace socketlab::test {

/// A listener on 127.0.0.1 (port 0), a client connected to it, and the server's end of the
/// connection, all blocking.
struct connected_pair {
  asio::io_context io;                                                          ///< their context
  asio::ip::tcp::acceptor listener{io, {asio::ip::address_v4::loopback(), 0}};  ///< the listener
  asio::ip::tcp::socket client{io};                                             ///< the connecting end
  asio::ip::tcp::socket server{io};                                             ///< the accepted end
  connected_pair() {
    client.connect(listener.local_endpoint());
    listener.accept(server);
  }
};

}  // namespace socketlab::test
