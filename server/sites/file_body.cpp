#include "server/sites/file_body.hpp"

#include <algorithm>
#include <utility>

namespace socketlab::server {

file_body::file_body(std::ifstream file, std::uint64_t offset, std::uint64_t length)
    : file_(std::move(file)), remaining_(length) {
  file_.seekg(static_cast<std::streamoff>(offset));
}

bool file_body::read(std::string& out, std::size_t max) {
  const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(max, remaining_));
  if (want == 0) return true;
  const std::size_t before = out.size();
  out.resize(before + want);
  file_.read(out.data() + before, static_cast<std::streamsize>(want));
  const auto got = static_cast<std::size_t>(file_.gcount());
  if (got != want) {
    out.resize(before);
    remaining_ = 0;
    return false;
  }
  remaining_ -= want;
  return true;
}

}  // namespace socketlab::server
