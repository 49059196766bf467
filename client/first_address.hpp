/// @file
/// Where backlog and hold open every connection: the first address of the URL's host, and the
/// one line said when it cannot be had, the same for both labs.
#pragma once

#include <chrono>
#include <ostream>
#include <system_error>
#include <variant>

#include <asio/ip/tcp.hpp>

#include "client/http/url.hpp"

namespace socketlab::client {

/// Resolves @p target's host as the labs do: all their connections go to its first address.
/// @param target the URL
/// @param timeout the time allowed, named in a failure's line
/// @param err where that line goes
/// @return the address; or, when the host cannot be resolved, the exit status, the reason said
[[nodiscard]] std::variant<asio::ip::tcp::endpoint, int> first_address(const url& target,
                                                                       std::chrono::duration<double> timeout,
                                                                       std::ostream& err);

/// Says why no connection to @p server could be opened ("nothing is listening...").
/// @param target the URL, its host as the user wrote it
/// @param server the address every connection went to
/// @param ec the first connection's error
/// @param timeout the time allowed
/// @param err where the line goes
/// @return the exit status (curl's number)
int report_unreachable(const url& target, const asio::ip::tcp::endpoint& server, std::error_code ec,
                       std::chrono::duration<double> timeout, std::ostream& err);

}  // namespace socketlab::client
