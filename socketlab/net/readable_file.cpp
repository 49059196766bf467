#include "socketlab/net/readable_file.hpp"

#include "socketlab/net/platform.hpp"

namespace socketlab::net {

readable_file readable_file::open(const std::filesystem::path& path, std::error_code& ec) {
  return readable_file(platform::open_file(path, true, ec));
}

readable_file readable_file::open_no_follow(const std::filesystem::path& path, std::error_code& ec) {
  return readable_file(platform::open_file(path, false, ec));
}

file_facts readable_file::stat(std::error_code& ec) const {
  return platform::stat_file(handle_.get(), ec);
}

std::size_t readable_file::read_at(std::uint64_t offset, std::span<char> into, std::error_code& ec) const {
  return platform::read_file_at(handle_.get(), offset, into, ec);
}

}  // namespace socketlab::net
