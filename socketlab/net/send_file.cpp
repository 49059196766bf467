#include "socketlab/net/send_file.hpp"

#include "socketlab/net/platform.hpp"

namespace socketlab::net {

std::size_t send_file(native_socket socket, const readable_file& file, std::uint64_t offset,
                      std::uint64_t count, std::error_code& ec) {
  return platform::send_file(socket, file.native_handle(), offset, count, ec);
}

}  // namespace socketlab::net
