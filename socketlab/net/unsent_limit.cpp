#include "socketlab/net/unsent_limit.hpp"

#include "socketlab/net/platform.hpp"

namespace socketlab::net {

void limit_unsent(native_socket socket, std::size_t bytes) noexcept {
  platform::limit_unsent(socket, bytes);
}

}  // namespace socketlab::net
