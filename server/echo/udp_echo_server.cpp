#include "server/echo/udp_echo_server.hpp"

#include <cassert>
#include <memory>
#include <system_error>
#include <vector>

#include <asio/buffer.hpp>
#include <asio/co_spawn.hpp>
#include <asio/ip/v6_only.hpp>
#include <asio/steady_timer.hpp>

#include "server/messages.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/resolve.hpp"
#include "socketlab/net/tcp_listener.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::server {
namespace {

using clock = std::chrono::steady_clock;

/// How long a datagram held back for --reorder waits for a successor before it goes anyway.
constexpr std::chrono::milliseconds hold_limit{200};

/// Senders remembered for --rate-limit; beyond this the table starts over (a flood from many
/// spoofed addresses must not grow the server's memory without bound).
constexpr std::size_t max_buckets = 4096;

}  // namespace

bool is_loop_prone_port(std::uint16_t port) noexcept {
  switch (port) {
    case 0:    // nobody can receive there
    case 7:    // echo
    case 13:   // daytime
    case 19:   // chargen
    case 37:   // time
    case 53:   // DNS
    case 123:  // NTP
      return true;
    default:
      return false;
  }
}

udp_echo_server::udp_echo_server(asio::io_context& io, udp_echo_config config)
    : io_(io), config_(std::move(config)), socket_(io), impair_(config_.impair) {
  const asio::ip::udp::endpoint where(net::parse_address(config_.host), config_.port);
  std::error_code ec;
  socket_.open(where.protocol(), ec);
  if (!ec && where.address().is_v6()) socket_.set_option(asio::ip::v6_only(true), ec);
  if (!ec) socket_.bind(where, ec);
  if (ec) throw net::listen_failure({"bind", ec}, asio::ip::tcp::endpoint(where.address(), where.port()));
}

asio::ip::udp::endpoint udp_echo_server::local_endpoint() const {
  return socket_.local_endpoint();
}

void udp_echo_server::start() {
  asio::co_spawn(io_, serve(), fail_on_exception(config_.console, "udp-echo"));
}

void udp_echo_server::stop() {
  assert(io_.get_executor().running_in_this_thread() && "stop() runs on the server's loop (post it there)");
  std::error_code ignored;
  socket_.close(ignored);
}

void udp_echo_server::log(const std::string& line) const {
  if (config_.verbose && config_.console) config_.console(line + "\n");
}

bool udp_echo_server::within_rate(const asio::ip::udp::endpoint& from) {
  if (config_.rate_limit <= 0) return true;
  if (buckets_.size() >= max_buckets && !buckets_.contains(from)) buckets_.clear();
  const auto now = clock::now();
  auto [it, fresh] = buckets_.try_emplace(from, config_.rate_limit, now);
  auto& [tokens, refilled] = it->second;
  if (!fresh) {  // refill at rate_limit per second, up to one second's worth
    const std::chrono::duration<double> elapsed = now - refilled;
    tokens = std::min(config_.rate_limit, tokens + elapsed.count() * config_.rate_limit);
    refilled = now;
  }
  if (tokens < 1.0) return false;
  tokens -= 1.0;
  return true;
}

void udp_echo_server::send_later(std::string data, asio::ip::udp::endpoint to, int copies,
                                 std::chrono::milliseconds delay) {
  auto timer = std::make_shared<asio::steady_timer>(io_, delay);
  auto bytes = std::make_shared<std::string>(std::move(data));
  timer->async_wait([this, timer, bytes, to, copies](const std::error_code& ec) {
    if (ec || !socket_.is_open()) return;
    for (int i = 0; i < copies; ++i) {
      std::error_code ignored;  // a lost echo is what UDP allows; the client counts it
      socket_.send_to(asio::buffer(*bytes), to, 0, ignored);
      ++stats_.echoed;
    }
  });
}

void udp_echo_server::hold_back(std::string data, const asio::ip::udp::endpoint& sender) {
  held_.emplace(sender, std::move(data));
  ++stats_.held_back;
  // Sent anyway after hold_limit, if no later datagram from the sender comes to overtake it.
  auto timer = std::make_shared<asio::steady_timer>(io_, hold_limit);
  timer->async_wait([this, timer, sender](const std::error_code& e) {
    const auto it = held_.find(sender);
    if (e || it == held_.end()) return;
    send_later(std::move(it->second), sender, 1, {});
    held_.erase(it);
  });
}

asio::awaitable<void> udp_echo_server::serve() {
  std::vector<char> buffer(buffer_size);
  asio::ip::udp::endpoint sender;
  while (socket_.is_open()) {
    // One whole datagram and its sender's address: the socket() / recvfrom() of the lesson.
    auto [ec, n] = co_await socket_.async_receive_from(asio::buffer(buffer), sender, net::use_nothrow);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) continue;  // Windows reports an earlier echo's ICMP "port unreachable" here; go on
    ++stats_.received;
    const std::string from = config_.verbose ? net::to_string(sender) : std::string();  // for -v only
    if (is_loop_prone_port(sender.port())) {
      ++stats_.refused;
      log(from + ": " + std::to_string(n) + " bytes from a service port, not answered (echo loop guard)");
      continue;
    }
    if (!within_rate(sender)) {
      ++stats_.rate_limited;
      log(from + ": " + std::to_string(n) + " bytes over --rate-limit, not answered");
      continue;
    }
    const echo_plan plan = config_.impair.active() ? impair_.decide() : echo_plan{};
    if (plan.drop) {
      ++stats_.dropped;
      log(from + ": " + std::to_string(n) + " bytes dropped (simulated loss)");
      continue;
    }
    std::string data(buffer.data(), n);
    if (plan.hold && !held_.contains(sender)) {
      log(from + ": " + std::to_string(n) +
          " bytes held back to arrive after the next (simulated reordering)");
      hold_back(std::move(data), sender);
      continue;
    }
    log(from + ": " + std::to_string(n) + " bytes echoed" +
        (plan.copies > 1 ? " twice (simulated duplicate)" : "") +
        (plan.delay.count() > 0 ? " after " + std::to_string(plan.delay.count()) + " ms (simulated delay)"
                                : ""));
    if (plan.copies > 1) ++stats_.duplicated;
    if (plan.delay.count() == 0) {
      // The plain echo: the same bytes back to the address and port they came from.
      for (int i = 0; i < plan.copies; ++i) {
        auto [send_ec, sent] = co_await socket_.async_send_to(asio::buffer(data), sender, net::use_nothrow);
        if (!send_ec) ++stats_.echoed;
      }
    } else {
      send_later(data, sender, plan.copies, plan.delay);
    }
    if (const auto it = held_.find(sender); it != held_.end()) {
      send_later(std::move(it->second), sender, 1, plan.delay);  // the held one, now out of order
      held_.erase(it);
    }
  }
}

}  // namespace socketlab::server
