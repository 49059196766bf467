/// @file
/// Internal: the two things socketlab-client asks of the console, which differ between systems.
///
/// With platform.hpp (the process calls hold needs), the client's only file pairs allowed to
/// test _WIN32 (as socketlab/net/platform is the socket layer's).
#pragma once

namespace socketlab::client::console {

/// Whether standard error is a terminal, where a live progress line makes sense (and not a
/// file or a pipe, where it would be noise).
/// @return true for a terminal
[[nodiscard]] bool stderr_is_terminal() noexcept;

/// Gets the standard streams ready, which only Windows needs: standard output in binary mode
/// (text mode would turn every "\n" of a downloaded file into "\r\n"), the console's code page
/// set to UTF-8 (messages and greetings are UTF-8), and escape sequences enabled on standard
/// error (the progress line erases itself with one). Elsewhere there is nothing to do.
void prepare_streams() noexcept;

}  // namespace socketlab::client::console
