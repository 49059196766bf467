/// @file
/// One connection of the C10k lab: opening it (connect, request, whole response), looking at it
/// while it is idle without waiting, and saying why it could not be held.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>
#include <system_error>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include "client/hold/hold.hpp"

namespace socketlab::client {

/// How opening one connection went.
struct exchange_result {
  std::error_code error;    ///< empty when the response came whole (with no request: when connected)
  bool connected = false;   ///< the handshake completed
  std::uint64_t bytes = 0;  ///< bytes of the response that arrived
  int status = 0;           ///< the response's status; 0 when there was none
  bool keep_alive = false;  ///< the server keeps the connection open after the response
};

/// Connects @p socket to @p server, sends @p request and reads its response whole through a
/// response_reader (as get, bench and backlog do). Reads wait until the socket is readable and
/// then read what is there into @p buffer, which every connection of the event loop shares: an
/// idle connection then holds no buffer of its own. Leaves the socket non-blocking, for
/// read_idle(). Closing the socket meanwhile (a deadline) ends it with an error.
/// @param socket a closed socket (async_connect opens it)
/// @param server where to connect
/// @param request the request's bytes; empty to connect only
/// @param head the request is HEAD (its response has no body)
/// @param buffer where reads go; used only between two suspensions, so it may be shared
/// @return how it went
asio::awaitable<exchange_result> exchange(asio::ip::tcp::socket& socket,
                                          const asio::ip::tcp::endpoint& server, std::string_view request,
                                          bool head, std::span<char> buffer);

/// What an idle connection has received, read without waiting.
struct idle_check {
  bool closed = false;  ///< the server closed the connection (end of stream) or reset it
  int status = 0;       ///< the status of a response that arrived meanwhile (a 408); 0 when none
};

/// Reads all that an idle, non-blocking socket has received, without waiting: nothing at all
/// while the server keeps the connection open; the end of the stream once the server has
/// closed it (its idle or header timeout), perhaps after a last response.
/// @param socket a connection that exchange() opened
/// @param buffer where reads go
/// @return what was found
[[nodiscard]] idle_check read_idle(asio::ip::tcp::socket& socket, std::span<char> buffer);

/// Why a connection could not be held (or a fresh request got no answer), in a few words for
/// the report: the client's open-file limit, the local ports used up, refused, reset, timed
/// out, closed before or during the response, a malformed response, a response that closed the
/// connection (a 503 past the server's --max-connections); with the exit status curl uses for it.
/// @param r how the connection went (an error, or a response without keep-alive)
/// @param timeout --timeout, named when it passed
/// @return the reason, counted once
[[nodiscard]] hold_failure why_not_held(const exchange_result& r, std::chrono::duration<double> timeout);

/// Counts @p f in @p tally: in the entry with the same reason, or in a new one at the end.
/// @param tally the failures so far
/// @param f one more (its count is ignored: it counts as one)
void count_failure(std::vector<hold_failure>& tally, const hold_failure& f);

}  // namespace socketlab::client
