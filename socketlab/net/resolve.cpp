#include "socketlab/net/resolve.hpp"

#include <string>

#include <asio/error.hpp>

#include "socketlab/net/address_literal.hpp"

namespace socketlab::net {
namespace {

/// Asks the system resolver (getaddrinfo) for @p host's addresses, each with @p port.
std::vector<asio::ip::tcp::endpoint> lookup(const asio::any_io_executor& ex, std::string_view host,
                                            std::uint16_t port, asio::ip::tcp::resolver::flags flags,
                                            std::error_code& ec) {
  if (host.empty()) {
    // getaddrinfo() would quietly answer with loopback (or, passive, the wildcard that
    // exposes the server); an empty host is more likely a mistake, so say it is not found.
    ec = asio::error::host_not_found;
    return {};
  }
  asio::ip::tcp::resolver resolver(ex);
  // numeric_service: the port is a number, so no /etc/services lookup. No address_configured
  // (AI_ADDRCONFIG): on a machine whose only addresses are loopback it hides "localhost".
  const auto results =
      resolver.resolve(host, std::to_string(port), flags | asio::ip::tcp::resolver::numeric_service, ec);
  std::vector<asio::ip::tcp::endpoint> endpoints;
  if (ec) return endpoints;
  for (const auto& entry : results)
    endpoints.push_back(entry.endpoint());
  if (endpoints.empty()) ec = asio::error::host_not_found;
  return endpoints;
}

}  // namespace

//! [resolve]
std::vector<asio::ip::tcp::endpoint> resolve(const asio::any_io_executor& ex, std::string_view host,
                                             std::uint16_t port, std::error_code& ec) {
  ec.clear();
  // A literal needs no lookup, and asking DNS about one can only add delay.
  if (const auto address = detail::parse_address_literal(host)) return {{*address, port}};
  return lookup(ex, host, port, asio::ip::tcp::resolver::flags{}, ec);
}
//! [resolve]

asio::ip::tcp::endpoint resolve_listen(const asio::any_io_executor& ex, std::string_view host,
                                       std::uint16_t port, std::error_code& ec) {
  ec.clear();
  if (const auto address = detail::parse_address_literal(host)) return {*address, port};
  // passive (AI_PASSIVE): addresses meant for bind() rather than connect().
  const auto endpoints = lookup(ex, host, port, asio::ip::tcp::resolver::passive, ec);
  return endpoints.empty() ? asio::ip::tcp::endpoint{} : endpoints.front();
}

}  // namespace socketlab::net
