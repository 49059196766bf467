#include "socketlab/net/readable_file.hpp"

#include <utility>

#include "socketlab/net/platform.hpp"

namespace socketlab::net {

readable_file readable_file::open(const std::filesystem::path& path, std::error_code& ec) {
  return readable_file(platform::open_file(path, true, ec));
}

readable_file readable_file::open_no_follow(const std::filesystem::path& path, std::error_code& ec) {
  return readable_file(platform::open_file(path, false, ec));
}

readable_file::~readable_file() {
  if (handle_ != -1) platform::close_file(handle_);
}

readable_file::readable_file(readable_file&& other) noexcept : handle_(std::exchange(other.handle_, -1)) {}

readable_file& readable_file::operator=(readable_file&& other) noexcept {
  std::swap(handle_, other.handle_);
  return *this;
}

readable_file::operator bool() const noexcept {
  return handle_ != -1;
}

file_facts readable_file::stat(std::error_code& ec) const {
  return platform::stat_file(handle_, ec);
}

std::size_t readable_file::read_at(std::uint64_t offset, std::span<char> into, std::error_code& ec) const {
  return platform::read_file_at(handle_, offset, into, ec);
}

}  // namespace socketlab::net
