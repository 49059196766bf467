// The sender's side of an echo run. The phases are the same over TCP and UDP; where the transports
// behave differently (a byte stream cannot lose a message and go on), tcp() says so.
#include "client/echo/echo_run.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/error.hpp>

#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/resolve.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::client {

echo_run::echo_run(asio::io_context& io, echo_transport transport, const echo_options& options,
                   const echo_observer& observer)
    : io_(io), options_(options), wake_(io), tally_(options, observer, result) {
  result.transport = transport;
  result.size = options.size;
  result.numbered = carries_numbers(transport, options.size);
  result.burst.messages = options.burst;
  result.burst.message_size = options.size;
  for (const auto size : options.large)
    result.large.push_back(delivery{1, size, {}, {}});
}

echo_run::~echo_run() = default;

asio::awaitable<void> echo_run::run() {
  if (co_await resolve_and_connect()) {
    asio::co_spawn(io_, receive(), asio::detached);
    co_await numbered_messages();
    if (!failed()) co_await back_to_back();
    for (std::size_t i = 0; i < result.large.size() && !failed(); ++i)
      co_await one_large(i);
  }
  finished_ = true;  // the receiver's pending wait ends with operation_aborted when we close
  close();
}

void echo_run::fail(const char* step, std::error_code ec) {
  if (failed() || finished_) return;
  result.failure = ec;
  result.failed_step = step;
  notify();
}

void echo_run::notify() {
  if (!waiting_for_ || failed() || waiting_for_()) wake_.cancel();
}

asio::awaitable<bool> echo_run::resolve_and_connect() {
  std::error_code ec;
  const auto addresses = net::resolve(io_.get_executor(), options_.host, options_.port, ec);
  if (ec) {
    fail("resolve", ec);
    co_return false;
  }
  result.ipv6 = net::travels_over_ipv6(addresses.front().address());
  co_return co_await connect(addresses);
}

template <typename Done>
asio::awaitable<void> echo_run::wait_until(Done done, clock::time_point deadline) {
  if (done() || failed()) co_return;
  waiting_for_ = done;
  wake_.expires_at(deadline);
  co_await wake_.async_wait(net::use_nothrow);
  waiting_for_ = nullptr;
}

asio::awaitable<void> echo_run::await_delivery(const delivery& d) {
  co_await wait_until([&d] { return d.complete(); }, clock::now() + options_.timeout);
  // TCP cannot lose a part and go on: a part still missing is a server that stopped.
  if (tcp() && !d.complete()) fail("receive", asio::error::timed_out);
}

asio::awaitable<void> echo_run::numbered_messages() {
  const auto start = clock::now();
  auto last_sent = start;
  for (std::uint64_t i = 0; i < options_.count && !failed(); ++i) {
    if (options_.interval.count() > 0 && result.numbered) {
      co_await wait_until([] { return false; }, start + i * options_.interval);
      if (failed()) break;
    }
    last_sent = clock::now();
    result.stats.on_sent(last_sent);
    if (const auto ec = co_await send(encode_probe(i, options_.size))) {
      fail("send", ec);
      break;
    }
    if (options_.interval.count() == 0 || !result.numbered) {
      co_await wait_until([this, i] { return result.stats.answered(i); }, last_sent + options_.timeout);
    }
  }
  co_await wait_until([this] { return result.stats.received() == result.stats.sent(); },
                      last_sent + options_.timeout);
  result.elapsed = (result.stats.received() > 0 ? tally_.last_echo() : clock::now()) - start;
  // A byte stream cannot lose a message and go on: a missing echo is a server that stopped.
  if (tcp() && result.stats.lost() > 0) fail("receive", asio::error::timed_out);
}

asio::awaitable<void> echo_run::back_to_back() {
  tally_.enter(echo_phase::burst);
  if (options_.burst == 0) co_return;
  for (std::size_t j = 0; j < options_.burst; ++j) {
    if (const auto ec = co_await send_back_to_back(encode_probe(options_.count + j, options_.size))) {
      fail("send", ec);
      co_return;
    }
  }
  co_await await_delivery(result.burst);
}

// UDP may refuse to send a large message (message_size), which is a finding, not a failure.
asio::awaitable<void> echo_run::one_large(std::size_t i) {
  tally_.enter(echo_phase::large, i);
  delivery& d = result.large[i];
  const auto message = encode_probe(options_.count + options_.burst + i, d.message_size);
  if (tcp()) {
    d.send_error = co_await send(message);  // (not in a ?: : GCC 12 would evaluate both branches)
  } else {
    d.send_error = co_await send_back_to_back(message);  // a datagram too long is refused at once
  }
  if (d.send_error) {
    if (tcp()) fail("send", d.send_error);
    co_return;
  }
  co_await await_delivery(d);
}

}  // namespace socketlab::client
