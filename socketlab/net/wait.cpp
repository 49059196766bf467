#include "socketlab/net/wait.hpp"

#include "socketlab/net/platform.hpp"

namespace socketlab::net {

std::size_t wait_any(std::span<const wait_entry> entries, std::chrono::steady_clock::time_point deadline,
                     std::error_code& ec) {
  return platform::wait_any(entries, deadline, ec);
}

}  // namespace socketlab::net
