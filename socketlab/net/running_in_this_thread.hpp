/// @file
/// Checking a threading contract: is the caller running on this executor (its strand, its loop)?
#pragma once

#include <asio/any_io_executor.hpp>

namespace socketlab::net {

/// Whether the calling thread is running @p executor's handlers now: inside its strand, or
/// inside the run() of its io_context. For debug assertions of the threading contracts the
/// headers write down ("on the connection's strand", "from the loop's thread"), as muduo's
/// `assertInLoopThread()`:
///
/// @code
///   assert(net::running_in_this_thread(socket.get_executor()) && "a connection is its strand's only");
/// @endcode
/// @param executor an io_context's executor, or a strand of one
/// @return false when it is certainly not; true otherwise (an executor of another kind is not checked)
[[nodiscard]] bool running_in_this_thread(const asio::any_io_executor& executor) noexcept;

}  // namespace socketlab::net
