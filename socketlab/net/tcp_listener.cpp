#include "socketlab/net/tcp_listener.hpp"

#include <algorithm>

#include <asio/error.hpp>
#include <asio/ip/v6_only.hpp>

#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/platform.hpp"

namespace socketlab::net {
namespace {

/// The system's message without the trailing period and line break Windows puts after it.
std::string plain_message(const std::error_code& code) {
  auto text = code.message();
  while (!text.empty() &&
         (text.back() == '.' || text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

listen_failure::listen_failure(const listen_error& e, const asio::ip::tcp::endpoint& w)
    : std::runtime_error(describe(e, w)), error(e), where(w) {}

after_accept_error classify_accept_error(const std::error_code& ec) noexcept {
  if (ec == asio::error::operation_aborted) return after_accept_error::stop;
  if (ec == asio::error::would_block || ec == asio::error::try_again ||
      ec == asio::error::connection_aborted) {
    return after_accept_error::accept_again;
  }
  return after_accept_error::pause;
}

int max_backlog() {
  return platform::max_backlog();
}

std::string describe(const listen_error& err, const asio::ip::tcp::endpoint& where) {
  const auto port = std::to_string(where.port());
  // Linux reports a port taken by another listener at listen() rather than bind() when
  // both sockets set SO_REUSEADDR, so "in use" is recognised at either step.
  if (err.code == asio::error::address_in_use && (err.step == "bind" || err.step == "listen")) {
    return "port " + port + " is already in use (another server?)";
  }
  if (err.code == asio::error::access_denied) {
    // Below 1024 POSIX wants root (or CAP_NET_BIND_SERVICE); above it, a Windows excluded
    // port range or another program's exclusive use are the usual reasons.
    return "permission denied for port " + port +
           (where.port() < 1024 ? " (ports below 1024 need privileges)"
                                : " (the system reserves it or another program holds it)");
  }
  if (platform::is_address_not_available(err.code)) {
    return "cannot " + std::string(err.step) + " " + to_string(where) +
           ": that address is not on this machine";
  }
  return "cannot " + std::string(err.step) + " " + to_string(where) + ": " + plain_message(err.code);
}

tcp_listener::tcp_listener(const asio::any_io_executor& ex) : acceptor_(ex) {}

std::optional<listen_error> tcp_listener::listen(const asio::ip::tcp::endpoint& where, int backlog) {
  // Each step closes the socket on failure, so a failed listener is simply unopened again.
  const auto failed = [this](std::string_view step,
                             const std::error_code& ec) -> std::optional<listen_error> {
    close();
    return listen_error{step, ec};
  };
  std::error_code ec;

  //! [listen]
  // socket(AF_INET, SOCK_STREAM): a TCP socket of the endpoint's family (AF_INET6 for IPv6).
  acceptor_.open(where.protocol(), ec);
  if (ec) return failed("open", ec);
  if (where.address().is_v6()) {
    // setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1): "::" means IPv6 only everywhere, instead of
    // each system's default (dual-stack on Linux and macOS, IPv6 only on Windows). Part of
    // opening an IPv6 socket, so a failure here is reported as step "open".
    acceptor_.set_option(asio::ip::v6_only(true), ec);
    if (ec) return failed("open", ec);
  }

  // setsockopt(SOL_SOCKET, SO_REUSEADDR, 1): restart at once despite TIME_WAIT (Windows: exclusive use).
  platform::reuse_address(acceptor_, ec);
  if (ec) return failed("reuse_address", ec);

  // bind(("127.0.0.1", 8888)): claim the address and port; port 0 takes any free one.
  acceptor_.bind(where, ec);
  if (ec) return failed("bind", ec);

  // listen(5): start queueing connections. Python turns a negative backlog into 0; so do we,
  // because Linux would read it as "the maximum" instead.
  acceptor_.listen(std::max(backlog, 0), ec);
  if (ec) return failed("listen", ec);
  //! [listen]

  return std::nullopt;
}

void tcp_listener::defer_accept(std::chrono::seconds wait, std::error_code& ec) {
  platform::defer_accept(acceptor_, wait, ec);
}

asio::ip::tcp::endpoint tcp_listener::local_endpoint() const {
  // Unopened: an all-zero endpoint rather than an exception, as the interface has no error path.
  std::error_code ignored;
  return acceptor_.local_endpoint(ignored);
}

void tcp_listener::close() noexcept {
  std::error_code ignored;
  acceptor_.close(ignored);
}

}  // namespace socketlab::net
