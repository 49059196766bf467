// net::readable_file: one open, the stat of what was opened, reads at an offset. Files in a
// temporary folder; the same assertions on Linux and (under Wine) Windows.
#include "socketlab/net/readable_file.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "support/catch.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using socketlab::net::readable_file;

namespace {

/// Writes @p bytes to @p path.
void write(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

TEST_CASE("readable_file: the size, time and type of the file opened", "[unit][net][file]") {
  const socketlab::test::temp_folder folder("socketlab-readable-file");
  const auto path = folder.path() / "a.bin";
  write(path, std::string(1000, 'x'));
  const auto when = fs::file_time_type(
      std::chrono::floor<std::chrono::seconds>(fs::file_time_type::clock::now()) - std::chrono::hours(50));
  fs::last_write_time(path, when);

  std::error_code ec;
  const readable_file file = readable_file::open(path, ec);
  REQUIRE_FALSE(ec);
  REQUIRE(file);
  const auto facts = file.stat(ec);
  REQUIRE_FALSE(ec);
  CHECK(facts.size == 1000);
  CHECK(facts.regular);
  CHECK(facts.modified == fs::last_write_time(path));  // what std::filesystem says, to the tick
  CHECK(std::chrono::floor<std::chrono::seconds>(facts.modified) == when);

#if !defined(_WIN32)
  // A file replaced after it was opened: the facts are still those of the file opened. (POSIX:
  // the name is free at once; Windows keeps it taken while the old file is open.)
  fs::remove(path);
  write(path, "short");
  CHECK(file.stat(ec).size == 1000);
#endif
}

TEST_CASE("readable_file: reads at an offset, to the end and no further", "[unit][net][file]") {
  const socketlab::test::temp_folder folder("socketlab-readable-file");
  std::string bytes;
  for (int i = 0; i < 5000; ++i)
    bytes += static_cast<char>('a' + i % 26);
  write(folder.path() / "b.bin", bytes);
  std::error_code ec;
  const readable_file file = readable_file::open(folder.path() / "b.bin", ec);
  REQUIRE_FALSE(ec);
  std::vector<char> buffer(100);
  CHECK(file.read_at(4000, buffer, ec) == 100);
  CHECK(std::string(buffer.begin(), buffer.end()) == bytes.substr(4000, 100));
  CHECK(file.read_at(0, buffer, ec) == 100);  // no position to move back: any offset, any order
  CHECK(std::string(buffer.begin(), buffer.end()) == bytes.substr(0, 100));
  CHECK(file.read_at(4950, buffer, ec) == 50);  // the last 50
  CHECK(file.read_at(5000, buffer, ec) == 0);   // the end
  CHECK_FALSE(ec);
}

TEST_CASE("readable_file: what is no file says so", "[unit][net][file]") {
  const socketlab::test::temp_folder folder("socketlab-readable-file");
  std::error_code ec;
  const readable_file missing = readable_file::open(folder.path() / "none", ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK_FALSE(missing);
  readable_file moved = readable_file::open(folder.path(), ec);  // a folder: open()s on POSIX, not on Windows
  if (!ec) CHECK_FALSE(moved.stat(ec).regular);
  const readable_file taken = std::move(moved);
  CHECK_FALSE(moved);  // NOLINT(bugprone-use-after-move): moved from, it holds nothing
}

TEST_CASE("readable_file: open_no_follow opens a file but not a symlink to one", "[unit][net][file]") {
  const socketlab::test::temp_folder folder("socketlab-readable-file");
  fs::create_directory(folder.path() / "sub");
  write(folder.path() / "sub" / "c.bin", "ccc");
  std::error_code ec;
  const readable_file plain = readable_file::open_no_follow(folder.path() / "sub" / "c.bin", ec);
  REQUIRE_FALSE(ec);
  CHECK(plain.stat(ec).size == 3);

  const readable_file missing = readable_file::open_no_follow(folder.path() / "none", ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK_FALSE(missing);

  // Symlinks need a privilege on Windows: where one cannot be made, there is nothing to refuse.
  fs::create_symlink(folder.path() / "sub" / "c.bin", folder.path() / "link", ec);
  if (ec) return;
  const readable_file link = readable_file::open_no_follow(folder.path() / "link", ec);
  CHECK(ec == std::errc::too_many_symbolic_link_levels);
  CHECK_FALSE(link);
  CHECK(readable_file::open(folder.path() / "link", ec));  // open() follows it
  CHECK_FALSE(ec);

  // Only the last name is not followed: a symlink to a folder before it is.
  fs::create_directory_symlink(folder.path() / "sub", folder.path() / "sublink", ec);
  REQUIRE_FALSE(ec);
  const readable_file through = readable_file::open_no_follow(folder.path() / "sublink" / "c.bin", ec);
  CHECK_FALSE(ec);
  CHECK(through.stat(ec).size == 3);
}
