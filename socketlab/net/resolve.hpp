/// @file
/// Names to addresses.
#pragma once

#include <cstdint>
#include <string_view>
#include <system_error>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/ip/tcp.hpp>

namespace socketlab::net {

/// Resolves @p host for connecting: address literals without a lookup, names with the
/// system resolver (getaddrinfo). Order is the resolver's (try them in turn).
/// @param ex executor for the resolver
/// @param host name or address literal
/// @param port port to put in each endpoint
/// @param ec set on failure (e.g. host not found); the result is then empty
/// @return the endpoints
[[nodiscard]] std::vector<asio::ip::tcp::endpoint> resolve(const asio::any_io_executor& ex,
                                                           std::string_view host, std::uint16_t port,
                                                           std::error_code& ec);

/// Resolves @p host for listening (AI_PASSIVE): "127.0.0.1", "::", "0.0.0.0" or a name such as
/// "localhost" (its first address).
/// @param ex executor for the resolver
/// @param host name or address literal
/// @param port port to listen on (0: any free port)
/// @param ec set on failure
/// @return the endpoint to bind
[[nodiscard]] asio::ip::tcp::endpoint resolve_listen(const asio::any_io_executor& ex, std::string_view host,
                                                     std::uint16_t port, std::error_code& ec);

}  // namespace socketlab::net
