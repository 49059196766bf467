/// @file
/// A completion token for coroutines that gives errors back as values.
#pragma once

#include <asio/use_awaitable.hpp>
#include <asio/version.hpp>

// Asio 1.24 moved as_tuple out of experimental; Debian 12 ships 1.22.
#if ASIO_VERSION >= 102400
#include <asio/as_tuple.hpp>
#else
#include <asio/experimental/as_tuple.hpp>
#endif

namespace socketlab::net {

/// `co_await op(..., use_nothrow)` yields a tuple `(error_code, results...)` instead of throwing:
///
/// @code
///   auto [ec, n] = co_await socket.async_read_some(buffer, net::use_nothrow);
///   if (ec == asio::error::eof) ...   // the peer closed: an everyday event, not an exception
/// @endcode
#if ASIO_VERSION >= 102400
inline constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);
#else
inline constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);
#endif

}  // namespace socketlab::net
