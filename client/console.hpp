/// @file
/// Internal: the two things socketlab-client asks of the console, which differ between systems.
///
/// This is the client's one file pair allowed to test _WIN32 (as socketlab/net/platform is
/// the socket layer's).
#pragma once

namespace socketlab::client::console {

/// Whether standard error is a terminal, where a live progress line makes sense (and not a
/// file or a pipe, where it would be noise).
/// @return true for a terminal
[[nodiscard]] bool stderr_is_terminal() noexcept;

/// Makes standard output carry bytes unchanged. Windows opens it in text mode, which would
/// turn every "\n" of a downloaded file into "\r\n"; elsewhere there is nothing to do.
void use_binary_stdout() noexcept;

}  // namespace socketlab::client::console
