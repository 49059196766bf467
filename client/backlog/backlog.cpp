#include "client/backlog/backlog.hpp"

#include <algorithm>
#include <array>

#include <asio/buffer.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include "client/http/response_reader.hpp"
#include "socketlab/http/serializer.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::client {
namespace {

using clock = std::chrono::steady_clock;
using asio::ip::tcp;

/// Everything the connections share.
struct lab {
  asio::io_context ioc{1};                       ///< one thread runs every connection
  const tcp::endpoint server;                    ///< where they all connect
  const std::string request;                     ///< what each sends
  const bool head;                               ///< the request is HEAD (no body comes back)
  const std::chrono::milliseconds hold;          ///< how long each lingers after its response
  const clock::time_point start = clock::now();  ///< the moment they were all started
  std::vector<tcp::socket> sockets;              ///< one per connection, so the deadline can close them all
  bool timed_out = false;                        ///< the deadline passed
};

/// One user: connect, send, read the response, linger, close. Straight-line code.
asio::awaitable<void> visit(lab& l, tcp::socket& socket, backlog_entry& e) {
  const auto since_start = [&] { return backlog_entry::duration(clock::now() - l.start); };
  const auto fail = [&](const char* step, const std::error_code& ec) {
    e.failure = l.timed_out ? std::error_code(asio::error::timed_out) : ec;
    e.error = std::string(step) + ": " + e.failure.message();
  };
  if (auto [ec] = co_await socket.async_connect(l.server, net::use_nothrow); ec)
    co_return fail("connect", ec);
  e.connected = since_start();
  std::error_code ignored;
  e.local_port = socket.local_endpoint(ignored).port();
  if (auto [ec, n] = co_await asio::async_write(socket, asio::buffer(l.request), net::use_nothrow); ec) {
    co_return fail("send", ec);
  }
  response_reader reader;
  reader.start(l.head);
  std::array<char, 16384> buffer{};
  while (true) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), net::use_nothrow);
    if (ec == asio::error::eof && reader.feed_eof().status == http::parse_status::done) break;
    if (ec) co_return fail("receive", reader.error() ? reader.error() : ec);
    if (!e.first_byte) e.first_byte = since_start();
    const auto r = reader.feed(std::string_view(buffer.data(), n));
    if (r.status == http::parse_status::done) break;
    if (r.status == http::parse_status::error) co_return fail("receive", reader.error());
  }
  e.complete = since_start();
  e.status = reader.response().status;
  if (l.hold.count() > 0) {
    asio::steady_timer linger(l.ioc, l.hold);
    co_await linger.async_wait(net::use_nothrow);
  }
  socket.close(ignored);
}

}  // namespace

std::vector<backlog_entry> run_backlog(const backlog_options& options, const tcp::endpoint& server) {
  const http::request req = make_request(options.target, options.request);
  lab l{.server = server,
        .request = http::to_string(req),
        .head = req.method == "HEAD",
        .hold = options.hold,
        .sockets = {}};
  std::vector<backlog_entry> entries(static_cast<std::size_t>(options.count));
  l.sockets.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i)
    l.sockets.emplace_back(l.ioc);

  asio::steady_timer deadline(l.ioc, std::chrono::duration_cast<clock::duration>(options.timeout));
  deadline.async_wait([&](const std::error_code& ec) {
    if (ec) return;
    l.timed_out = true;
    std::error_code ignored;
    for (auto& s : l.sockets)
      s.close(ignored);  // every pending step completes with operation_aborted
  });
  std::size_t remaining = entries.size();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    entries[i].number = static_cast<int>(i + 1);
    asio::co_spawn(l.ioc, visit(l, l.sockets[i], entries[i]), [&, i](const std::exception_ptr& failed) {
      if (failed) entries[i].error = "internal error";  // visit() reports errors as values; say if not
      if (--remaining == 0) deadline.cancel();
    });
  }
  l.ioc.run();

  std::stable_sort(entries.begin(), entries.end(), [](const backlog_entry& a, const backlog_entry& b) {
    if (a.first_byte && b.first_byte) return *a.first_byte < *b.first_byte;
    return a.first_byte.has_value() && !b.first_byte.has_value();
  });
  return entries;
}

}  // namespace socketlab::client
