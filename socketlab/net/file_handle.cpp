#include "socketlab/net/file_handle.hpp"

#include "socketlab/net/platform.hpp"

namespace socketlab::net {

file_handle::~file_handle() {
  if (handle_ != -1) platform::close_file(handle_);
}

}  // namespace socketlab::net
