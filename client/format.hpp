/// @file
/// printf-style formatting into a std::string, for the aligned columns of reports.
#pragma once

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

}  // namespace socketlab::client
