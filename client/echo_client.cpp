// The echo clients' one exchange: a sender coroutine and a receiver coroutine on one event loop.
// The sender paces the numbered messages and waits for their echoes; the receiver takes whatever
// arrives and tells the statistics what it was. Only sending, receiving and connecting differ
// between TCP and UDP, and those are the lines a learner should compare.
#include "client/echo_client.hpp"

#include <algorithm>
#include <numeric>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include "socketlab/net/datagram.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/resolve.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::client {

const char* name(echo_transport t) noexcept {
  return t == echo_transport::tcp ? "TCP" : "UDP";
}

std::size_t delivery::received() const noexcept {
  return std::accumulate(reads.begin(), reads.end(), std::size_t{0});
}

namespace {

using clock = std::chrono::steady_clock;
constexpr std::size_t number_bytes = 8;  ///< what encode_probe() needs to number a message

class echo_run {
 public:
  echo_run(asio::io_context& io, echo_transport transport, const echo_options& options,
           const echo_observer& observer)
      : io_(io), options_(options), observer_(observer), tcp_(io), udp_(io), wake_(io) {
    result.transport = transport;
    result.size = options.size;
    result.numbered = transport == echo_transport::tcp || options.size >= number_bytes;
    result.burst.messages = options.burst;
    result.burst.message_size = options.size;
    for (const auto size : options.large)
      result.large.push_back(delivery{1, size, {}, {}});
  }

  /// Connects, runs the three phases, and closes; the receiver runs alongside from the connect on.
  asio::awaitable<void> run() {
    if (co_await connect()) {
      asio::co_spawn(io_, receive(), asio::detached);
      co_await numbered_messages();
      if (!failed()) co_await back_to_back();
      for (std::size_t i = 0; i < result.large.size() && !failed(); ++i)
        co_await one_large(i);
    }
    finished_ = true;  // the receiver's pending wait ends with operation_aborted when we close
    std::error_code ignored;
    tcp_.close(ignored);
    udp_.close(ignored);
  }

  echo_result result;

 private:
  [[nodiscard]] bool tcp() const noexcept { return result.transport == echo_transport::tcp; }
  [[nodiscard]] bool failed() const noexcept { return static_cast<bool>(result.failure); }

  void fail(const char* step, std::error_code ec) {
    if (failed() || finished_) return;
    result.failure = ec;
    result.failed_step = step;
    notify();
  }

  // --- connecting -----------------------------------------------------------------------------

  /// TCP: the three-way handshake, timed; each address of the name in turn, as curl does.
  /// UDP: connect() only records the peer; nothing is sent.
  asio::awaitable<bool> connect() {
    std::error_code ec;
    const auto addresses = net::resolve(io_.get_executor(), options_.host, options_.port, ec);
    if (ec) {
      fail("resolve", ec);
      co_return false;
    }
    result.ipv6 = net::travels_over_ipv6(addresses.front().address());
    if (!tcp()) {
      const asio::ip::udp::endpoint server(addresses.front().address(), addresses.front().port());
      result.tried.push_back(addresses.front());
      udp_.open(server.protocol(), ec);
      if (!ec) udp_.connect(server, ec);
      if (ec) {
        fail("connect", ec);
        co_return false;
      }
      result.remote = net::to_string(server);
      result.local = net::to_string(udp_.local_endpoint(ec));
      for (auto& d : result.large) {
        if (d.message_size == 0) d.message_size = net::max_udp_payload(server);
      }
      co_return true;
    }
    for (const auto& server : addresses) {
      result.tried.push_back(server);
      std::error_code ignored;
      tcp_.close(ignored);
      connecting_ = true;
      connect_timed_out_ = false;
      wake_.expires_after(options_.timeout);
      wake_.async_wait([this](const std::error_code& e) {
        if (e || !connecting_) return;  // cancelled, or the connect finished first
        connect_timed_out_ = true;
        std::error_code unused;
        tcp_.close(unused);  // ends the pending connect with operation_aborted
      });
      const auto start = clock::now();
      auto [connect_ec] = co_await tcp_.async_connect(server, net::use_nothrow);
      const auto took = clock::now() - start;
      connecting_ = false;
      wake_.cancel();
      ec = connect_timed_out_ ? std::error_code(asio::error::timed_out) : connect_ec;
      if (!ec) {
        result.setup = took;
        result.ipv6 = net::travels_over_ipv6(server.address());
        result.remote = net::to_string(server);
        result.local = net::to_string(tcp_.local_endpoint(ignored));
        co_return true;
      }
    }
    fail("connect", ec);
    co_return false;
  }

  // --- sending ---------------------------------------------------------------------------------

  /// Sends one message and lets the sender go on at once; the receiver sees the echo.
  asio::awaitable<std::error_code> send(const std::string& message) {
    if (tcp()) {
      auto [ec, n] = co_await asio::async_write(tcp_, asio::buffer(message), net::use_nothrow);
      co_return ec;
    }
    auto [ec, n] = co_await udp_.async_send(asio::buffer(message), net::use_nothrow);
    co_return ec;
  }

  /// Sends without giving the receiver a turn: the burst's writes leave one after another.
  std::error_code send_now(const std::string& message) {
    std::error_code ec;
    if (tcp()) {
      asio::write(tcp_, asio::buffer(message), ec);
    } else {
      udp_.send(asio::buffer(message), 0, ec);
    }
    return ec;
  }

  /// Suspends until @p done() is true, the run failed, or @p deadline.
  template <typename Done>
  asio::awaitable<void> wait_until(Done done, clock::time_point deadline) {
    if (done() || failed()) co_return;
    waiting_for_ = done;
    wake_.expires_at(deadline);
    co_await wake_.async_wait(net::use_nothrow);
    waiting_for_ = nullptr;
  }

  /// Wakes the sender when what it waits for has happened.
  void notify() {
    if (!waiting_for_ || failed() || waiting_for_()) wake_.cancel();
  }

  /// Phase 1: the numbered messages, paced by --interval or one at a time.
  asio::awaitable<void> numbered_messages() {
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
    result.elapsed = (result.stats.received() > 0 ? last_echo_ : clock::now()) - start;
    // A byte stream cannot lose a message and go on: a missing echo is a server that stopped.
    if (tcp() && result.stats.lost() > 0) fail("receive", asio::error::timed_out);
  }

  /// Phase 2: the burst, written before a single echo is read.
  asio::awaitable<void> back_to_back() {
    phase_ = phase::burst;
    if (options_.burst == 0) co_return;
    for (std::size_t j = 0; j < options_.burst; ++j) {
      if (const auto ec = send_now(encode_probe(options_.count + j, options_.size))) {
        fail("send", ec);
        co_return;
      }
    }
    co_await wait_until([this] { return result.burst.complete(); }, clock::now() + options_.timeout);
    if (tcp() && !result.burst.complete()) fail("receive", asio::error::timed_out);
  }

  /// Phase 3: one large message on its own. UDP may refuse to send it (message_size), which is
  /// a finding, not a failure.
  asio::awaitable<void> one_large(std::size_t i) {
    phase_ = phase::large;
    large_index_ = i;
    delivery& d = result.large[i];
    const auto message = encode_probe(options_.count + options_.burst + i, d.message_size);
    if (tcp()) {
      d.send_error = co_await send(message);  // (not in a ?: : GCC 12 would evaluate both branches)
    } else {
      d.send_error = send_now(message);
    }
    if (d.send_error) {
      if (tcp()) fail("send", d.send_error);
      co_return;
    }
    co_await wait_until([&d] { return d.complete(); }, clock::now() + options_.timeout);
    if (tcp() && !d.complete()) fail("receive", asio::error::timed_out);
  }

  // --- receiving -------------------------------------------------------------------------------

  asio::awaitable<void> receive() {
    std::vector<char> buffer(options_.buffer);
    while (!finished_) {
      if (tcp()) {
        auto [ec, n] = co_await tcp_.async_read_some(asio::buffer(buffer), net::use_nothrow);
        if (finished_) co_return;
        if (ec) {
          fail("receive", ec);  // eof: the server closed the connection
          co_return;
        }
        on_stream(std::string_view(buffer.data(), n));
        continue;
      }
      auto [wait_ec] = co_await udp_.async_wait(asio::ip::udp::socket::wait_read, net::use_nothrow);
      if (finished_) co_return;
      if (wait_ec) {
        fail("receive", wait_ec);
        co_return;
      }
      for (;;) {  // every datagram waiting, one receive each
        std::error_code ec;
        const auto got = net::receive_datagram(udp_, buffer, ec);
        if (ec == asio::error::would_block) break;
        if (ec) {
          fail("receive", ec);
          co_return;
        }
        on_datagram(std::string_view(buffer.data(), got.bytes), got);
      }
    }
  }

  /// A datagram is one message: its number says which (or, unnumbered, the phase does).
  void on_datagram(std::string_view bytes, const net::datagram_receipt& got) {
    const auto number = result.numbered ? decode_probe(bytes) : std::nullopt;
    const std::uint64_t first_burst = options_.count;
    const std::uint64_t first_large = first_burst + options_.burst;
    if (number ? *number < first_burst : phase_ == phase::numbered) {
      const std::uint64_t sequence = number ? *number : result.stats.sent() - 1;
      on_echo(sequence, bytes, got.size, got.truncated);
    } else if (number ? *number < first_large : phase_ == phase::burst) {
      result.burst.reads.push_back(bytes.size());
    } else {
      const auto i = number ? static_cast<std::size_t>(*number - first_large) : large_index_;
      if (i < result.large.size()) result.large[i].reads.push_back(bytes.size());
    }
    notify();
  }

  /// A read brings a piece of the stream: whole messages, parts of them, or the burst's bytes
  /// run together. Offsets in the stream tell which phase each byte belongs to.
  void on_stream(std::string_view bytes) {
    const std::uint64_t numbered_end = options_.count * options_.size;
    const std::uint64_t burst_end = numbered_end + options_.burst * options_.size;
    while (!bytes.empty()) {
      std::size_t take = bytes.size();
      if (offset_ < numbered_end) {
        take = static_cast<std::size_t>(std::min<std::uint64_t>(take, numbered_end - offset_));
        pending_.append(bytes.substr(0, take));
        while (pending_.size() >= options_.size && next_echo_ < result.stats.sent()) {
          on_echo(next_echo_, std::string_view(pending_).substr(0, options_.size), options_.size, false);
          pending_.erase(0, options_.size);
          ++next_echo_;
        }
      } else if (offset_ < burst_end) {
        take = static_cast<std::size_t>(std::min<std::uint64_t>(take, burst_end - offset_));
        result.burst.reads.push_back(take);
      } else {
        std::uint64_t region_end = burst_end;
        for (auto& d : result.large) {  // find the large message this offset is in
          region_end += d.message_size;
          if (offset_ < region_end) {
            take = static_cast<std::size_t>(std::min<std::uint64_t>(take, region_end - offset_));
            d.reads.push_back(take);
            break;
          }
        }
      }
      offset_ += take;
      bytes.remove_prefix(take);
    }
    notify();
  }

  /// The echo of numbered message @p sequence.
  void on_echo(std::uint64_t sequence, std::string_view bytes, std::size_t size, bool truncated) {
    const auto now = clock::now();
    echo_event e;
    e.sequence = sequence;
    e.kind = result.stats.on_received(sequence, now);
    e.bytes = bytes.size();
    e.size = size;
    e.truncated = truncated;
    e.mismatched = !truncated && bytes != encode_probe(sequence, options_.size);
    if (e.kind != echo_stats::arrival::unknown) e.rtt = now - result.stats.sent_at(sequence);
    if (e.kind == echo_stats::arrival::first || e.kind == echo_stats::arrival::reordered) last_echo_ = now;
    result.truncated += truncated ? 1 : 0;
    result.mismatched += e.mismatched ? 1 : 0;
    if (observer_) observer_(e);
  }

  enum class phase { numbered, burst, large };

  asio::io_context& io_;
  const echo_options& options_;
  const echo_observer& observer_;
  asio::ip::tcp::socket tcp_;
  asio::ip::udp::socket udp_;
  asio::steady_timer wake_;            ///< the sender sleeps on it (and connect's deadline)
  std::function<bool()> waiting_for_;  ///< what the sender waits for, if it waits
  bool connecting_ = false;            ///< TCP: a connect is under way
  bool connect_timed_out_ = false;     ///< TCP: the timer closed the socket to end it
  bool finished_ = false;              ///< the sender is done and has closed the socket
  phase phase_ = phase::numbered;      ///< what the sender is doing
  std::size_t large_index_ = 0;        ///< the large message under way
  clock::time_point last_echo_{};      ///< when the last first echo arrived
  std::uint64_t offset_ = 0;           ///< TCP: bytes of the stream received so far
  std::uint64_t next_echo_ = 0;        ///< TCP: the message the next whole one in pending_ is
  std::string pending_;                ///< TCP: a numbered message's bytes, not yet whole
};

}  // namespace

echo_result run_echo(echo_transport transport, const echo_options& options, const echo_observer& observer) {
  asio::io_context io{1};
  echo_run run(io, transport, options, observer);
  asio::co_spawn(io, run.run(), asio::detached);
  io.run();
  return std::move(run.result);
}

}  // namespace socketlab::client
