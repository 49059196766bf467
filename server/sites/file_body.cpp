#include "server/sites/file_body.hpp"

#include <algorithm>
#include <span>
#include <system_error>
#include <utility>

namespace socketlab::server {

file_body::file_body(net::readable_file file, std::uint64_t offset, std::uint64_t length)
    : file_(std::move(file)), offset_(offset), remaining_(length) {}

bool file_body::read(std::string& out, std::size_t max) {
  const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(max, remaining_));
  if (want == 0) return true;
  const std::size_t before = out.size();
  out.resize(before + want);
  std::size_t got = 0;
  std::error_code ec;
  while (got < want) {  // the system may give fewer bytes than asked: ask again, until the end
    const std::size_t n = file_.read_at(offset_ + got, std::span(out).subspan(before + got), ec);
    if (ec || n == 0) break;
    got += n;
  }
  if (got != want) {  // the file shrank since its length was promised, or cannot be read
    out.resize(before);
    remaining_ = 0;
    return false;
  }
  advance(want);
  return true;
}

}  // namespace socketlab::server
