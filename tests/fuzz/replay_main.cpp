// The corpus replay: when a fuzz target is built without libFuzzer (GCC, MinGW under Wine, MSVC),
// this main feeds it each file of the folders (or the files) named on the command line, so the
// inputs that once found a bug are tried again by every build. libFuzzer's own main does the same
// with `-runs=0`.
#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include "fuzz/fuzz_check.hpp"

namespace {

namespace fs = std::filesystem;

/// The files @p arg names: itself, or the regular files in it (not recursive), sorted so that a
/// run is the same everywhere.
std::vector<fs::path> files_of(const fs::path& arg) {
  std::vector<fs::path> files;
  if (!fs::is_directory(arg)) {
    files.push_back(arg);
    return files;
  }
  for (const auto& entry : fs::directory_iterator(arg)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// The bytes of @p file, or false when it cannot be read.
bool read_file(const fs::path& file, std::string& bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " CORPUS_FOLDER_OR_FILE...: feeds each file to the fuzz target\n";
    return 2;
  }
  std::size_t replayed = 0;
  std::string bytes;
  for (int i = 1; i < argc; ++i) {
    if (!fs::exists(argv[i])) {
      std::cerr << argv[i] << ": no such file or folder; give a corpus folder or an input file\n";
      return 2;
    }
    for (const auto& file : files_of(argv[i])) {
      if (!read_file(file, bytes)) {
        std::cerr << file.string() << ": cannot be read\n";
        return 1;
      }
      // A failed invariant aborts inside; the file's name is printed first so it is known.
      std::cerr << "replaying " << file.string() << std::endl;
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++replayed;
    }
  }
  std::cout << "replayed " << replayed << " inputs\n";
  return replayed > 0 ? 0 : 1;  // an empty corpus is a mistake: nothing was tested
} catch (const std::exception& e) {
  std::cerr << "replay failed: " << e.what() << "\n";
  return 1;
}
