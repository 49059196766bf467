// Which file a request path names in a static site's folder, and every way out of it refused.
#include "server/sites/static_path.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#if !defined(_WIN32)
#include <sys/stat.h>  // mkfifo, for a file that is neither regular nor a folder
#endif

#include "support/catch.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using socketlab::server::map_target;
using socketlab::server::static_target;
using kind = static_target::kind;

namespace {

/// A path from UTF-8 text, on every platform.
fs::path utf8_path(std::string_view text) {
  std::u8string u8;
  for (const char c : text)
    u8.push_back(static_cast<char8_t>(c));
  return fs::path(u8);
}

/// Writes @p text to a new file at @p p.
void write(const fs::path& p, std::string_view text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  REQUIRE(out);
}

/// A site's folder and what lies around it, in the temporary folder, removed at the end:
/// @code
///   base/
///     root/                  the site (canonical)
///       index.html  a.txt  été.txt  sub/index.html  sub/b.css  empty-dir/
///       .git/config  .env  sub/.htpasswd          refused: dotfiles
///       (POSIX only)
///       link-in      -> sub/b.css               served: it stays inside
///       sublink      -> sub                     served: it stays inside
///       link-out     -> ../outside/secret.txt   refused
///       dirlink      -> ../outside              refused
///       link-sibling -> ../root2/secret.txt     refused: "root2" starts with "root" but is not in it
///       leaky/index.html -> ../../outside/secret.txt   refused
///       dangling     -> ../outside/none         missing
///       loop         -> loop                    cannot be resolved
///       fifo                                    neither a file nor a folder
///     root2/secret.txt
///     outside/secret.txt
/// @endcode
struct site_tree {
  socketlab::test::temp_folder temp{"socketlab-static"};  ///< removed with all it holds at the end
  fs::path base = temp.path();                            ///< the temporary folder holding it all
  fs::path root;  ///< the site's folder, canonical as the server makes it at start-up

  site_tree() {
    fs::create_directories(base / "root" / "sub");
    fs::create_directories(base / "root" / "empty-dir");
    fs::create_directories(base / "root2");
    fs::create_directories(base / "outside");
    root = fs::canonical(base / "root");
    write(root / "index.html", "<h1>home</h1>\n");
    write(root / "a.txt", "a\n");
    write(root / utf8_path("\xC3\xA9t\xC3\xA9.txt"), "summer\n");  // été.txt
    write(root / "sub" / "index.html", "<h1>sub</h1>\n");
    write(root / "sub" / "b.css", "b {}\n");
    fs::create_directory(root / ".git");
    write(root / ".git" / "config", "[core]\n");
    write(root / ".env", "TOKEN=secret\n");
    write(root / "sub" / ".htpasswd", "user:secret\n");
    write(base / "root2" / "secret.txt", "secret next door\n");
    write(base / "outside" / "secret.txt", "secret\n");
#if !defined(_WIN32)
    fs::create_symlink("sub/b.css", root / "link-in");
    fs::create_directory_symlink("sub", root / "sublink");
    fs::create_symlink("../outside/secret.txt", root / "link-out");
    fs::create_directory_symlink("../outside", root / "dirlink");
    fs::create_symlink("../root2/secret.txt", root / "link-sibling");
    fs::create_directory(root / "leaky");
    fs::create_symlink("../../outside/secret.txt", root / "leaky" / "index.html");
    fs::create_symlink("../outside/none", root / "dangling");
    fs::create_symlink("loop", root / "loop");
    REQUIRE(::mkfifo((root / "fifo").c_str(), 0600) == 0);
#endif
  }
  site_tree(const site_tree&) = delete;
  site_tree& operator=(const site_tree&) = delete;
};

/// One request path and what map_target() must make of it.
struct row {
  std::string_view path;    ///< as received: percent-encoded, no query
  kind what;                ///< the expected answer
  int status;               ///< 200, 301, 400 or 404
  std::string_view expect;  ///< file: the file relative to root; redirect: the location;
                            ///< refused: a part of the reason (which rule refused it)
};

/// Checks that the file @p t holds open is the one it names, and its facts are that file's.
void check_opened(const static_target& t) {
  std::error_code ec;
  const auto size = fs::file_size(t.file, ec);
  REQUIRE_FALSE(ec);
  CHECK(t.facts.regular);
  CHECK(t.facts.size == size);
  std::string bytes(size + 1, '?');
  CHECK(t.opened.read_at(0, bytes, ec) == size);
  bytes.resize(size);
  std::ifstream in(t.file, std::ios::binary);
  const std::string expected{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  CHECK(bytes == expected);
}

/// Maps @p r.path in @p tree and checks every field of the answer.
void check(const site_tree& tree, const row& r) {
  CAPTURE(r.path);
  const static_target t = map_target(tree.root, r.path);
  CAPTURE(t.reason, t.file, t.location);
  REQUIRE(t.what == r.what);
  CHECK(t.status == r.status);
  switch (r.what) {
    case kind::file:
      CHECK(t.file == fs::canonical(tree.root / utf8_path(r.expect)));
      CHECK(t.location.empty());
      CHECK(t.reason.empty());
      if (t.opened) check_opened(t);
      break;
    case kind::redirect:
      CHECK(t.location == r.expect);
      CHECK(t.file.empty());
      break;
    case kind::refused:
      CHECK_THAT(t.reason, socketlab::test::contains(std::string(r.expect)));
      CHECK(t.file.empty());
      CHECK(t.location.empty());
      break;
  }
}

}  // namespace

namespace Catch {
/// Failures say "refused", not "2".
template <>
struct StringMaker<kind> {
  static std::string convert(kind k) {
    switch (k) {
      case kind::file:
        return "file";
      case kind::redirect:
        return "redirect";
      case kind::refused:
        return "refused";
    }
    return "?";
  }
};
}  // namespace Catch

TEST_CASE("map_target serves files, indexes and redirects, and refuses every way out",
          "[unit][server][static]") {
  const site_tree tree;
  const auto r = GENERATE(values<row>({
      // what a site serves
      {"/", kind::file, 200, "index.html"},
      {"/a.txt", kind::file, 200, "a.txt"},
      {"/sub/", kind::file, 200, "sub/index.html"},
      {"/sub/b.css", kind::file, 200, "sub/b.css"},
      {"/%61.txt", kind::file, 200, "a.txt"},
      {"/%C3%A9t%C3%A9.txt", kind::file, 200, "\xC3\xA9t\xC3\xA9.txt"},  // été.txt
      // empty and "." segments are ignored
      {"//a.txt", kind::file, 200, "a.txt"},
      {"/./a.txt", kind::file, 200, "a.txt"},
      {"/sub//./b.css", kind::file, 200, "sub/b.css"},
      {"/%2e/a.txt", kind::file, 200, "a.txt"},
      {"/.", kind::file, 200, "index.html"},
      {"/sub/.", kind::file, 200, "sub/index.html"},
      // a folder without its '/': to the same path with one, as the client encoded it
      {"/sub", kind::redirect, 301, "/sub/"},
      {"/%73ub", kind::redirect, 301, "/%73ub/"},
      {"/empty-dir", kind::redirect, 301, "/empty-dir/"},
      {"//sub", kind::redirect, 301, "/sub/"},  // never "//sub/": that would be the host "sub"
      {"/./sub", kind::redirect, 301, "/sub/"},
      // no listings, nothing missing
      {"/empty-dir/", kind::refused, 404, "without index.html"},
      {"/missing", kind::refused, 404, "no such file"},
      {"/sub/missing.css", kind::refused, 404, "no such file"},
      {"/a.txt/x", kind::refused, 404, "no such file"},
      {"/a.txt/", kind::refused, 404, "asked for as a folder"},
      // 1. the path starts with '/'
      {"a.txt", kind::refused, 400, "does not start with '/'"},
      {"", kind::refused, 400, "does not start with '/'"},
      {"*", kind::refused, 400, "does not start with '/'"},
      // 2. decoded once; malformed escapes and NUL are bad requests; separators stay names
      {"/%", kind::refused, 400, "malformed percent-escape"},
      {"/%4", kind::refused, 400, "malformed percent-escape"},
      {"/%zz", kind::refused, 400, "malformed percent-escape"},
      {"/a%4g.txt", kind::refused, 400, "malformed percent-escape"},
      {"/a.txt%", kind::refused, 400, "malformed percent-escape"},
      {"/a.txt%00.html", kind::refused, 400, "NUL"},
      {std::string_view("/a.txt\0.html", 12), kind::refused, 400, "NUL"},
      {"/sub%2Fb.css", kind::refused, 404, "encoded '/'"},
      {"/sub%2fb.css", kind::refused, 404, "encoded '/'"},
      {"/sub%5Cb.css", kind::refused, 404, "encoded '/'"},
      {"/sub%5cb.css", kind::refused, 404, "encoded '/'"},
      {"/sub\\b.css", kind::refused, 404, "a '\\'"},
      {"/%2E%2E%2Fx", kind::refused, 404, "encoded '/'"},         // the encoded '/' comes first
      {"/%252e%252e/a.txt", kind::refused, 404, "no such file"},  // "%2e%2e" is just a name
      {"/%252e%252e", kind::refused, 404, "no such file"},
      {"/%2561.txt", kind::refused, 404, "no such file"},  // "%61.txt", not "a.txt"
      // 3. every '..' is refused, even one that would stay inside, encoded or not
      {"/..", kind::refused, 400, "'..' segment"},
      {"/../root2/secret.txt", kind::refused, 400, "'..' segment"},
      {"/sub/../a.txt", kind::refused, 400, "'..' segment"},
      {"/sub/..", kind::refused, 400, "'..' segment"},
      {"/%2e%2e/x", kind::refused, 400, "'..' segment"},
      {"/%2E%2E/a.txt", kind::refused, 400, "'..' segment"},
      {"/.%2e/a.txt", kind::refused, 400, "'..' segment"},
      // 4. names Windows would read as something else, refused everywhere
      {"/%ff.txt", kind::refused, 404, "not UTF-8"},
      {"/%c0%ae%c0%ae/a.txt", kind::refused, 404, "not UTF-8"},  // an overlong '.' (IIS, 2000)
      {"/%ed%a0%80.txt", kind::refused, 404, "not UTF-8"},       // a UTF-16 surrogate
      {"/%C3", kind::refused, 404, "not UTF-8"},                 // cut short
      {"/a.txt.", kind::refused, 404, "ending in '.' or ' '"},
      {"/a.txt%20", kind::refused, 404, "ending in '.' or ' '"},
      {"/a.txt%2e", kind::refused, 404, "ending in '.' or ' '"},
      {"/index.html...", kind::refused, 404, "ending in '.' or ' '"},
      {"/sub./b.css", kind::refused, 404, "ending in '.' or ' '"},
      {"/...", kind::refused, 404, "ending in '.' or ' '"},
      {"/CON", kind::refused, 404, "device name"},
      {"/con.txt", kind::refused, 404, "device name"},
      {"/LPT1.log", kind::refused, 404, "device name"},
      {"/nul", kind::refused, 404, "device name"},
      {"/Nul.tar.gz", kind::refused, 404, "device name"},
      {"/aux/a.txt", kind::refused, 404, "device name"},
      {"/com9", kind::refused, 404, "device name"},
      {"/prn", kind::refused, 404, "device name"},
      {"/con%20.txt", kind::refused, 404, "device name"},
      {"/COM%C2%B9", kind::refused, 404, "device name"},     // COM¹
      {"/console.txt", kind::refused, 404, "no such file"},  // only the exact names are devices
      {"/com10", kind::refused, 404, "no such file"},
      {"/lpt", kind::refused, 404, "no such file"},
      {"/a.txt::$DATA", kind::refused, 404, "':'"},
      {"/a.txt:stream", kind::refused, 404, "':'"},
      {"/c:/a.txt", kind::refused, 404, "':'"},
      {"/a%3Cb", kind::refused, 404, "Windows forbids"},
      {"/a*.txt", kind::refused, 404, "Windows forbids"},
      {"/a%3F.txt", kind::refused, 404, "Windows forbids"},
      {"/a%22.txt", kind::refused, 404, "Windows forbids"},
      {"/a%01.txt", kind::refused, 404, "Windows forbids"},
      // 5. dotfiles and dotfolders are never served, however the '.' is written
      {"/.git/config", kind::refused, 404, "beginning with '.'"},
      {"/%2egit/config", kind::refused, 404, "beginning with '.'"},
      {"/%2Egit", kind::refused, 404, "beginning with '.'"},
      {"/.env", kind::refused, 404, "beginning with '.'"},
      {"/a/.hidden/x", kind::refused, 404, "beginning with '.'"},
      {"/sub/.htpasswd", kind::refused, 404, "beginning with '.'"},
      {"/a.txt/.", kind::refused, 404, "asked for as a folder"},  // "." is still a segment, not a name
  }));
  check(tree, r);
}

#if !defined(_WIN32)
TEST_CASE("map_target resolves symlinks and refuses what they lead out of the folder",
          "[unit][server][static]") {
  const site_tree tree;
  const auto r = GENERATE(values<row>({
      {"/link-in", kind::file, 200, "sub/b.css"},
      {"/sublink/b.css", kind::file, 200, "sub/b.css"},
      {"/sublink/", kind::file, 200, "sub/index.html"},
      {"/sublink", kind::redirect, 301, "/sublink/"},
      {"/link-out", kind::refused, 404, "outside the folder"},
      {"/dirlink", kind::refused, 404, "outside the folder"},
      {"/dirlink/", kind::refused, 404, "outside the folder"},
      {"/dirlink/secret.txt", kind::refused, 404, "outside the folder"},
      {"/dirlink/none", kind::refused, 404, "outside the folder"},
      {"/link-sibling", kind::refused, 404, "outside the folder"},  // not a string prefix check
      {"/leaky", kind::redirect, 301, "/leaky/"},
      {"/leaky/", kind::refused, 404, "outside the folder"},  // the index is checked too
      {"/dangling", kind::refused, 404, "no such file"},
      {"/loop", kind::refused, 404, "cannot be resolved"},
      {"/loop/a.txt", kind::refused, 404, "cannot be resolved"},
      {"/fifo", kind::refused, 404, "neither a regular file nor a folder"},
  }));
  check(tree, r);
}
#endif

TEST_CASE("map_target opens the file it finds, and hands it over open", "[unit][server][static]") {
  // The last name is opened without following a symlink: a regular file found that way is the
  // answer, open, and the server needs no second look at its name.
  const site_tree tree;
  for (const std::string_view path : {"/a.txt", "/sub/b.css", "/", "/sub/", "/%C3%A9t%C3%A9.txt"}) {
    CAPTURE(path);
    const static_target t = map_target(tree.root, path);
    REQUIRE(t.what == kind::file);
    REQUIRE(t.opened);
    check_opened(t);
  }
#if !defined(_WIN32)
  // Through a symlink, the link is resolved (and checked to stay inside) before the file is
  // looked at: whether it was opened then or not, an open file is the one the link names.
  for (const std::string_view path : {"/link-in", "/sublink/b.css", "/sublink/"}) {
    CAPTURE(path);
    const static_target t = map_target(tree.root, path);
    REQUIRE(t.what == kind::file);
    if (t.opened) check_opened(t);
  }
#endif
}

TEST_CASE("map_target: the root's own index, and a root written with a trailing separator",
          "[unit][server][static]") {
  const site_tree tree;
  const auto empty = map_target(tree.root / "empty-dir", "/");
  CHECK(empty.what == kind::refused);
  CHECK(empty.status == 404);

  const auto slashed = map_target(tree.root / "", "/sub/b.css");
  REQUIRE(slashed.what == kind::file);
  CHECK(slashed.file == tree.root / "sub" / "b.css");
}

TEST_CASE("map_target gives every rule its own reason", "[unit][server][static]") {
  const site_tree tree;
  // One path per rule, in the order map_target() checks them.
  std::vector<std::string_view> paths{
      "a.txt", "/%zz", "/%00", "/%2F",  "/a\\b",    "/..",     "/%ff",        "/a.",
      "/con",  "/a:b", "/a*",  "/.env", "/missing", "/a.txt/", "/empty-dir/",
  };
#if !defined(_WIN32)
  paths.insert(paths.end(), {"/loop", "/link-out", "/fifo"});
#endif
  std::set<std::string> reasons;
  for (const auto path : paths) {
    CAPTURE(path);
    const auto t = map_target(tree.root, path);
    REQUIRE(t.what == kind::refused);
    CHECK((t.status == 400 || t.status == 404));
    CHECK_FALSE(t.reason.empty());
    CHECK(reasons.insert(t.reason).second);
  }
  CHECK(reasons.size() == paths.size());
}
