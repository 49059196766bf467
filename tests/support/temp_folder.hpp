/// @file
/// A fresh folder under the system's temporary folder, removed with all it holds at the end.
#pragma once

#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace socketlab::test {

/// A new, empty folder that no other test (or run) shares, removed by the destructor.
class temp_folder {
 public:
  /// @param prefix the start of its name, such as "socketlab-static-site"
  explicit temp_folder(const std::string& prefix) {
    std::random_device random;
    do {
      path_ = std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(random()));
    } while (!std::filesystem::create_directory(path_));
  }
  ~temp_folder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_folder(const temp_folder&) = delete;
  temp_folder& operator=(const temp_folder&) = delete;

  /// @return the folder's path
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace socketlab::test
