/// @file
/// `--max-connections`: the rule every serving model applies to a connection it has accepted.
#pragma once

#include <cstddef>

namespace socketlab::server {

/// What becomes of a connection just accepted.
enum class admission {
  serve,   ///< fewer than max_connections are served: this one is too
  refuse,  ///< the server is full: answer 503 with Retry-After (http_session::on_overload()),
           ///< then close gracefully, letting the client's request arrive unread
  drop     ///< a flood: max_refusing 503s are being closed already, so close this one at once
};

/// 503s being closed gracefully at once, at most; past that, a connection is closed unanswered,
/// so that a flood of clients costs the server no more than this many sockets beyond its limit.
inline constexpr std::size_t max_refusing = 64;

/// The rule, the same for every model: serve while fewer than @p max_connections are served,
/// refuse with a 503 while fewer than max_refusing refusals are being closed, drop after that.
/// The caller counts (under its own lock, or on its one accepting thread).
/// @param served connections being served now (refused ones not counted)
/// @param refusing refused connections still being closed
/// @param max_connections the limit (`--max-connections`)
/// @return what to do with the new connection
[[nodiscard]] admission admit(std::size_t served, std::size_t refusing, int max_connections) noexcept;

}  // namespace socketlab::server
