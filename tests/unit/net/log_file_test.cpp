// net::log_file: lines appended at the end of a file, from several threads at once, never mixed.
// Files in a temporary folder; the same assertions on Linux and (under Wine) Windows.
#include "socketlab/net/log_file.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "support/catch.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using socketlab::net::log_file;

namespace {

/// The lines of the file at @p path.
std::vector<std::string> lines_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

/// @p path opened for appending (the test stops if it cannot be).
log_file opened(const fs::path& path) {
  std::error_code ec;
  log_file log = log_file::open(path, ec);
  REQUIRE_FALSE(ec);
  REQUIRE(log);
  return log;
}

}  // namespace

TEST_CASE("log_file: creates the file, or appends to what it holds", "[unit][net][file]") {
  const socketlab::test::temp_folder folder("socketlab-log-file");
  const auto path = folder.path() / "access.log";
  std::error_code ec;
  opened(path).write("one\n", ec);
  CHECK_FALSE(ec);
  {
    const log_file again = opened(path);                               // a restarted server: nothing is lost
    std::ofstream(path, std::ios::binary | std::ios::app) << "two\n";  // another writer meanwhile
    again.write("three\n", ec);  // goes after it, not over it: the end is found at each write
    CHECK_FALSE(ec);
  }
  CHECK(lines_of(path) == std::vector<std::string>{"one", "two", "three"});
}

TEST_CASE("log_file: lines written from several threads at once stay whole", "[unit][net][file]") {
  const socketlab::test::temp_folder folder("socketlab-log-file");
  const auto path = folder.path() / "access.log";
  const log_file log = opened(path);
  constexpr int threads = 4;
  constexpr int per_thread = 2000;
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&log, t] {
      // Long enough that a line written in pieces, or two writes at one place, would show.
      const std::string padding(200, static_cast<char>('a' + t));
      std::error_code failed;
      for (int i = 0; i < per_thread && !failed; ++i)
        log.write(std::to_string(t) + " " + std::to_string(i) + " " + padding + "\n", failed);
    });
  }
  for (auto& w : writers)
    w.join();
  const auto lines = lines_of(path);
  REQUIRE(lines.size() == threads * per_thread);
  std::set<std::string> seen;
  for (const auto& line : lines) {
    const auto t = line.front() - '0';
    REQUIRE((t >= 0 && t < threads));
    REQUIRE(line.size() > 200);
    CHECK(line.substr(line.size() - 200) == std::string(200, static_cast<char>('a' + t)));
    seen.insert(line.substr(0, line.size() - 201));
  }
  CHECK(seen.size() == static_cast<std::size_t>(threads * per_thread));  // each line once
}

TEST_CASE("log_file: what cannot be opened or written says so", "[unit][net][file]") {
  const socketlab::test::temp_folder folder("socketlab-log-file");
  std::error_code ec;
  const log_file missing = log_file::open(folder.path() / "no-folder" / "a.log", ec);
  CHECK(ec);
  CHECK_FALSE(missing);
  missing.write("x\n", ec);
  CHECK(ec == std::errc::bad_file_descriptor);
}
