// net::exact_allocator: blocks of exactly the size asked for, a freed one kept for the next
// allocation of that very size on the same thread, and a wait that Asio allocates with it.
#include "socketlab/net/exact_allocator.hpp"

#include <system_error>

#include <asio/bind_allocator.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include "support/catch.hpp"

namespace net = socketlab::net;

TEST_CASE("exact_allocator: a freed block serves the next allocation of its size only",
          "[unit][net][allocator]") {
  net::exact_allocator<char> alloc;
  char* first = alloc.allocate(152);
  alloc.deallocate(first, 152);
  char* other_size = alloc.allocate(200);  // not the kept 152-byte block
  CHECK(other_size != first);
  char* same_size = alloc.allocate(152);  // the kept one
  CHECK(same_size == first);
  alloc.deallocate(same_size, 152);
  alloc.deallocate(other_size, 200);
  // Many at once: those past the few kept are freed, and allocating again still works.
  char* blocks[16];
  for (auto& b : blocks)
    b = alloc.allocate(64);
  for (auto* b : blocks)
    alloc.deallocate(b, 64);
  for (auto& b : blocks)
    b = alloc.allocate(64);
  for (auto* b : blocks)
    alloc.deallocate(b, 64);
  CHECK(net::exact_allocator<int>() == net::exact_allocator<char>());
}

TEST_CASE("exact_allocator: a wait bound to it runs as any other", "[unit][net][allocator]") {
  // Asio rebinds it to its operation's type (the allocator's rebinding constructor and equality,
  // compiled and run here on every compiler, MinGW under Wine too).
  asio::io_context io;
  asio::steady_timer timer(io, std::chrono::milliseconds(1));
  bool done = false;
  timer.async_wait(asio::bind_allocator(net::exact_allocator<void>(), [&done](const std::error_code& ec) {
    CHECK_FALSE(ec);
    done = true;
  }));
  io.run();
  CHECK(done);
}
