/// @file
/// How much a TCP socket keeps written but not yet sent: what lets a send timeout see progress.
#pragma once

#include <cstddef>

#include "socketlab/net/native_socket.hpp"

namespace socketlab::net {

/// Keeps at most about @p bytes written but not yet sent on @p socket, where the system allows it
/// (TCP_NOTSENT_LOWAT on Linux and macOS; Windows has no such option, and the call does nothing).
///
/// Without it, a writer waiting for room in a send buffer that Linux lets grow to 4 MiB is woken
/// only once a third of it has drained: a client reading 100 KB/s is then not seen to make
/// progress for ten seconds or more, and a send timeout that counts from the last write that
/// made progress (as nginx's send_timeout does) would drop a reader that never stopped. With the
/// limit, the writer wakes each time the peer has taken about @p bytes, and a slow reader's data
/// waits in the file, not in kernel memory.
/// @param socket a connected socket (an Asio socket's native_handle())
/// @param bytes the most kept unsent, such as 128 KiB
void limit_unsent(native_socket socket, std::size_t bytes) noexcept;

}  // namespace socketlab::net
