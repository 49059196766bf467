// Fuzz target: a static site's path mapping (server/sites/static_path), which turns the path of a
// request into a file to send. The site's folder is made once per process in the system's temp
// folder: files, a folder with an index and one without, a dotfolder, and symlinks that stay
// inside or lead out (where the system lets a test make them).
//
// Input: the request path, still percent-encoded. Invariants:
// - nothing is thrown;
// - a file is a regular file inside the root, by its path and once every symlink is resolved,
//   and the file handed over open (when it is) is that one;
// - a redirect goes to a path in the site that ends in '/' and cannot name another server
//   ("//host") or split a header (no control byte);
// - a refusal is a 400 or a 404 with a reason.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <system_error>

#include "fuzz/fuzz_check.hpp"
#include "server/sites/static_path.hpp"

namespace {

using socketlab::fuzz::check;
namespace fs = std::filesystem;
namespace server = socketlab::server;

/// A site's folder beside a file that must never be served, removed when the process ends.
class site_folder {
 public:
  site_folder() {
    std::random_device random;
    base_ = fs::temp_directory_path() / ("socketlab-fuzz-static-" + std::to_string(random()));
    fs::create_directories(base_ / "site" / "docs");
    fs::create_directories(base_ / "site" / "empty");
    fs::create_directories(base_ / "site" / ".git");
    write(base_ / "outside.txt");
    write(base_ / "site" / "index.html");
    write(base_ / "site" / "a.txt");
    write(base_ / "site" / fs::path(u8"caf\u00e9.txt"));  // a UTF-8 name on every platform
    write(base_ / "site" / "docs" / "index.html");
    write(base_ / "site" / "docs" / "page.html");
    write(base_ / "site" / ".git" / "config");
    // Symlinks need a privilege on Windows: without them, the rest is still fuzzed.
    std::error_code ignored;
    fs::create_symlink("a.txt", base_ / "site" / "inside", ignored);
    fs::create_symlink(base_ / "outside.txt", base_ / "site" / "out", ignored);
    fs::create_directory_symlink("..", base_ / "site" / "up", ignored);
    fs::create_directory_symlink("docs", base_ / "site" / "docs-link", ignored);
    fs::create_symlink("loop", base_ / "site" / "loop", ignored);
    fs::create_symlink("missing", base_ / "site" / "dangling", ignored);
    root_ = fs::canonical(base_ / "site");
  }
  site_folder(const site_folder&) = delete;
  site_folder& operator=(const site_folder&) = delete;
  ~site_folder() {
    std::error_code ignored;
    fs::remove_all(base_, ignored);
  }

  /// @return the site's folder, canonical
  [[nodiscard]] const fs::path& root() const noexcept { return root_; }

 private:
  static void write(const fs::path& file) { std::ofstream(file) << "x\n"; }

  fs::path base_;  ///< the temp folder holding the site and outside.txt
  fs::path root_;  ///< base_/site, canonical
};

/// Whether @p p is @p root or below it, by its components (no "..", no other folder).
bool is_inside(const fs::path& p, const fs::path& root) {
  const fs::path relative = p.lexically_normal().lexically_relative(root);
  return !relative.empty() && *relative.begin() != "..";
}

/// The invariants of a file answer.
void check_file(const server::static_target& t, const fs::path& root) {
  check(t.status == 200, "a file is a 200");
  check(t.file.is_absolute() && is_inside(t.file, root), "a file's path is inside the root");
  std::error_code ec;
  const fs::path real = fs::canonical(t.file, ec);
  check(!ec && is_inside(real, root), "a file is inside the root once its symlinks are resolved");
  check(fs::is_regular_file(real, ec), "a file is a regular file");
  if (t.opened) {
    check(t.facts.regular && t.facts.size == fs::file_size(real, ec), "an open file is the one named");
  }
}

/// The invariants of a redirect.
void check_redirect(const server::static_target& t) {
  check(t.status == 301, "a redirect is a 301");
  const std::string_view location = t.location;
  check(location.size() >= 2 && location.starts_with('/') && location.ends_with('/'),
        "a redirect goes to a folder's path, with its '/'");
  check(!location.starts_with("//"), "a redirect cannot name another server");
  for (const char c : location)
    check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f, "a redirect holds no control byte");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const site_folder folder;
  const socketlab::fuzz::input in(data, size);
  const auto t = server::map_target(folder.root(), in.rest());
  switch (t.what) {
    case server::static_target::kind::file:
      check_file(t, folder.root());
      break;
    case server::static_target::kind::redirect:
      check_redirect(t);
      break;
    case server::static_target::kind::refused:
      check((t.status == 400 || t.status == 404) && !t.reason.empty(),
            "a refusal is a 400 or 404, with a reason");
      break;
  }
  return 0;
}
