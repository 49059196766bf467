/// @file
/// A listener on loopback and a client, for tests of net::accept_ready() and net::accepted_socket.
#pragma once

#include <chrono>
#include <string>
#include <system_error>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>

#include "socketlab/net/accepted_socket.hpp"
#include "socketlab/net/tcp_listener.hpp"
#include "socketlab/net/wait.hpp"
#include "support/catch.hpp"

/// Each concurrency hint a loop may have, for GENERATE: one thread (Asio's I/O unlocked, as
/// socketlab-server's with one thread), one thread, or any number.
#define ANY_HINT GENERATE(ASIO_CONCURRENCY_HINT_UNSAFE_IO, 1, ASIO_CONCURRENCY_HINT_DEFAULT)

namespace socketlab::test {

/// Waits until @p handle is readable (a listener: a connection is waiting), for at most @p within.
/// @return whether it became readable in time
inline bool readable(net::native_socket handle, std::chrono::milliseconds within = std::chrono::seconds(10)) {
  std::error_code ec;
  const net::wait_entry entries[] = {{handle}};
  const bool ready = net::wait_any(entries, std::chrono::steady_clock::now() + within, ec) == 0;
  REQUIRE_FALSE(ec);
  return ready;
}

/// A listener on 127.0.0.1 (port 0), non-blocking as accept_ready() wants it, and a client.
struct accepting {
  asio::io_context io;
  net::tcp_listener listener{io.get_executor()};
  asio::ip::tcp::socket client{io};
  /// @param concurrency_hint the event loop's, as a server gives it (1 thread, or several)
  explicit accepting(int concurrency_hint = ASIO_CONCURRENCY_HINT_DEFAULT) : io(concurrency_hint) {
    REQUIRE_FALSE(listener.listen({asio::ip::address_v4::loopback(), 0}, 16));
    listener.acceptor().non_blocking(true);
  }
  /// Connects the client and accepts it with accept_ready().
  net::accepted_socket accept() {
    client.connect(listener.local_endpoint());
    REQUIRE(readable(listener.acceptor().native_handle()));
    asio::ip::tcp::endpoint peer;
    std::error_code ec;
    const auto handle = net::accept_ready(listener.acceptor(), peer, ec);
    REQUIRE_FALSE(ec);
    CHECK(peer == client.local_endpoint());  // the client's address, filled in by accept itself
    return net::accepted_socket(io.get_executor(), peer.protocol(), handle);
  }
  /// What the client reads until the server's end closes.
  std::string read_to_end() {
    std::string got;
    std::error_code ec;
    asio::read(client, asio::dynamic_buffer(got), ec);
    CHECK(ec == asio::error::eof);
    return got;
  }
};

}  // namespace socketlab::test
