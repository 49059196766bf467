/// @file
/// Text for reports: printf-style formatting for aligned columns, counts with their thousands
/// grouped or with their noun, milliseconds, and a host with its port.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace socketlab::client {

#if defined(__GNUC__)
#define SOCKETLAB_PRINTF_LIKE __attribute__((format(printf, 1, 2)))
#else
#define SOCKETLAB_PRINTF_LIKE
#endif

/// Formats like std::printf and returns the text (GCC and Clang check the arguments against
/// the pattern). Reports use it for wrk-style columns, which iostreams make verbose.
/// @param pattern a printf pattern
/// @return the formatted text
[[nodiscard]] std::string format(const char* pattern, ...) SOCKETLAB_PRINTF_LIKE;

#undef SOCKETLAB_PRINTF_LIKE

/// A count with its thousands grouped, as the kit's messages write sizes: "65,507".
/// @param n the count
/// @return the text
[[nodiscard]] std::string grouped(unsigned long long n);

/// A count and its noun, plural when it is not 1: "1 read", "2 receives", "3 echoes".
/// @param n the count (grouped, as grouped() writes it)
/// @param noun the noun in the singular; one ending in 'o' takes "es"
/// @return the text
[[nodiscard]] std::string counted(std::size_t n, const std::string& noun);

/// A duration in milliseconds, for a "%.3f ms" column.
/// @param d the duration
/// @return the milliseconds, fractional
[[nodiscard]] double milliseconds(std::chrono::nanoseconds d) noexcept;

/// A host and port as URLs write them: "127.0.0.1:7007", "localhost:80", "[::1]:7007" (an IPv6
/// literal in brackets, so its colons stay apart from the port's).
/// @param host a name or an address literal, without brackets
/// @param port the port
/// @return the text
[[nodiscard]] std::string host_and_port(const std::string& host, std::uint16_t port);

}  // namespace socketlab::client
