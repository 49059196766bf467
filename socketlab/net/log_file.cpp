#include "socketlab/net/log_file.hpp"

#include "socketlab/net/platform.hpp"

namespace socketlab::net {

log_file log_file::open(const std::filesystem::path& path, std::error_code& ec) {
  return log_file(platform::open_file_to_append(path, ec));
}

void log_file::write(std::string_view text, std::error_code& ec) const {
  ec.clear();
  if (!handle_) {
    ec = std::make_error_code(std::errc::bad_file_descriptor);
    return;
  }
  const std::lock_guard lock(mutex_);
  while (!text.empty() && !ec)
    text.remove_prefix(platform::append_to_file(handle_.get(), text, ec));
}

}  // namespace socketlab::net
