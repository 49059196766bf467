/// @file
/// Where the servers' log text goes: one type for the HTTP server's and the echo servers' logs.
#pragma once

#include <functional>
#include <string_view>

namespace socketlab::server {

/// Where a kind of log text goes. Called from the server's threads, so it must be thread
/// safe; the text ends with a line end. Empty: that text is dropped.
using log_sink = std::function<void(std::string_view text)>;

}  // namespace socketlab::server
