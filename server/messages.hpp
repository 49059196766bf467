/// @file
/// What socketlab-server says on its console, said once for every command: its name, a failure
/// on a network path, the line for a stop signal, and the way out of a port that cannot be used.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>

#include "server/log_sink.hpp"
#include "socketlab/net/tcp_listener.hpp"

namespace socketlab::server {

/// The program's name, which begins each of its lines.
inline constexpr std::string_view program_name = "socketlab-server";

/// Reports a failure on a network path, as Boost.Beast's examples do with `fail(ec, "accept")`:
/// "socketlab-server: accept: Too many open files". The server goes on.
/// @param console where the line goes (nothing when empty)
/// @param step what was being done: "accept", "connection", "waiting for connections"
/// @param ec what the system said
void fail(const log_sink& console, std::string_view step, const std::error_code& ec);

/// The same for an exception (out of memory, a bug) that ended one connection or loop.
/// @param console where the line goes (nothing when empty)
/// @param step what was being done
/// @param e what was thrown
void fail(const log_sink& console, std::string_view step, const std::exception& e);

/// A completion handler for asio::co_spawn that reports an exception escaping the coroutine
/// with fail(), instead of letting it end io_context::run() and the whole server. The handler
/// never throws: if the console fails as well, the exception is dropped.
/// @param console where the line goes (referenced: it must outlive the coroutine)
/// @param step what the coroutine does: "connection", "accept loop"
/// @return the handler
[[nodiscard]] std::function<void(std::exception_ptr)> fail_on_exception(const log_sink& console,
                                                                        std::string step);

/// The line a stop signal gets: "socketlab-server: SIGINT received; stopping", the signal named
/// by net::signal_name() from its number (SIGBREAK on Windows is not reported as SIGTERM).
/// @param signal the number a net::shutdown_signal was called with: SIGINT, SIGTERM, SIGBREAK
/// @param then what the server does now
/// @return the line, with its line end
[[nodiscard]] std::string stop_signal_line(int signal, std::string_view then);

/// One line for a port that could not be listened on, with a way out: "port 8888 is already
/// in use (another server?); choose another with --site 8889=en".
/// @param failure what failed, and where
/// @param usual_port a port to suggest when the failed one is privileged (and after 65535)
/// @param option how this command takes a port: 8889 -> "--site 8889=en", or "--port 8889"
/// @return the line, without a line end
[[nodiscard]] std::string explain(const net::listen_failure& failure, std::uint16_t usual_port,
                                  const std::function<std::string(std::uint16_t port)>& option);

}  // namespace socketlab::server
