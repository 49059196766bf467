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

}  // namespace socketlab::client
