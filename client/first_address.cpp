#include "client/first_address.hpp"

#include <asio/io_context.hpp>

#include "client/failure.hpp"
#include "socketlab/net/resolve.hpp"

namespace socketlab::client {

std::variant<asio::ip::tcp::endpoint, int> first_address(const url& target,
                                                         std::chrono::duration<double> timeout,
                                                         std::ostream& err) {
  asio::io_context io;
  std::error_code ec;
  const auto addresses = net::resolve(io.get_executor(), target.host, target.port, ec);
  if (ec) return report_failure(explain_open(target.host, target.port, {}, ec, timeout), err);
  return addresses.front();
}

int report_unreachable(const url& target, const asio::ip::tcp::endpoint& server, std::error_code ec,
                       std::chrono::duration<double> timeout, std::ostream& err) {
  return report_failure(explain_open(target.host, target.port, {server}, ec, timeout), err);
}

}  // namespace socketlab::client
