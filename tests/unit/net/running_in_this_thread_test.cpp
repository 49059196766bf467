// net::running_in_this_thread: the check behind the threading contracts' debug assertions.
#include "socketlab/net/running_in_this_thread.hpp"

#include <thread>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/strand.hpp>

#include "support/catch.hpp"

using socketlab::net::running_in_this_thread;

TEST_CASE("running_in_this_thread: inside the loop's run(), not outside it", "[unit][net][threads]") {
  asio::io_context io;
  asio::io_context other;
  const asio::any_io_executor loop = io.get_executor();
  CHECK_FALSE(running_in_this_thread(loop));
  bool inside = false;
  bool in_other = true;
  asio::post(io, [&] {
    inside = running_in_this_thread(loop);
    in_other = running_in_this_thread(other.get_executor());
  });
  io.run();
  CHECK(inside);
  CHECK_FALSE(in_other);
}

TEST_CASE("running_in_this_thread: inside a strand's handler, not in another strand's",
          "[unit][net][threads]") {
  asio::io_context io;
  const asio::any_io_executor mine = asio::make_strand(io);
  const asio::any_io_executor theirs = asio::make_strand(io);
  bool in_mine = false;
  bool in_theirs = true;
  asio::post(mine, [&] {
    in_mine = running_in_this_thread(mine);
    in_theirs = running_in_this_thread(theirs);
  });
  io.run();
  CHECK(in_mine);
  CHECK_FALSE(in_theirs);
}

TEST_CASE("running_in_this_thread: another thread running the same loop is not this one",
          "[unit][net][threads]") {
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  std::thread runner([&] { io.run(); });
  const asio::any_io_executor loop = io.get_executor();
  CHECK_FALSE(running_in_this_thread(loop));
  guard.reset();
  runner.join();
}
