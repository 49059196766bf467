// A static site: a folder's files with their types and validators, 304s, redirects and error
// pages, all without sockets.
#include "server/sites/static_site.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "server/sites/greetings.hpp"
#include "server/sites/media_type.hpp"
#include "server/sites/site.hpp"
#include "socketlab/http/date.hpp"
#include "support/catch.hpp"
#include "support/make_request.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using socketlab::http::request;
using socketlab::http::response;
using socketlab::server::static_site;
using socketlab::test::contains;
using std::chrono::system_clock;

namespace {

/// A time with a fraction of a second, to show that the validators floor it:
/// Fri, 01 Mar 2024 12:30:15.250 GMT, 0x65e1ca57 seconds after the epoch.
const system_clock::time_point modified =
    std::chrono::sys_days{std::chrono::year{2024} / 3 / 1} + 12h + 30min + 15s + 250ms;
constexpr std::string_view modified_date = "Fri, 01 Mar 2024 12:30:15 GMT";

/// A PNG signature and a NUL: bytes that a text-mode read or a C string would damage.
const std::string png_bytes("\x89PNG\r\n\x1a\n\0\r\n", 12);

/// The same instant on the file system's clock.
fs::file_time_type to_file_time(system_clock::time_point t) {
#if defined(__cpp_lib_chrono) && __cpp_lib_chrono >= 201907L
  return std::chrono::clock_cast<fs::file_time_type::clock>(t);
#else
  return fs::file_time_type::clock::from_sys(t);
#endif
}

/// Writes @p text to a new file at @p p, modified at `modified`.
void write(const fs::path& p, std::string_view text) {
  {
    std::ofstream out(p, std::ios::binary);
    out << text;
    REQUIRE(out);
  }
  fs::last_write_time(p, to_file_time(modified));
}

/// A site's folder in the temporary folder, removed at the end:
/// @code
///   base/
///     site/                       the site (canonical)
///       index.html  a.txt  app.js  data.json  logo.png  .env
///       docs/index.html  docs/.htpasswd  .git/config  empty/
///     secret.txt                  outside: never served
/// @endcode
struct site_folder {
  socketlab::test::temp_folder temp{"socketlab-static-site"};  ///< removed with all it holds at the end
  fs::path base = temp.path();                                 ///< the temporary folder holding it all
  fs::path root;                                               ///< the site's folder, canonical

  site_folder() {
    fs::create_directories(base / "site" / "docs");
    fs::create_directories(base / "site" / ".git");
    fs::create_directories(base / "site" / "empty");
    root = fs::canonical(base / "site");
    write(root / "index.html", "<h1>home</h1>\n");
    write(root / "a.txt", "a\n");
    write(root / "app.js", "console.log(1);\n");
    write(root / "data.json", "{\"a\": 1}\n");
    write(root / "logo.png", png_bytes);
    write(root / ".env", "TOKEN=secret\n");
    write(root / "docs" / "index.html", "<h1>docs</h1>\n");
    write(root / "docs" / ".htpasswd", "user:secret\n");
    write(root / ".git" / "config", "[core] secret\n");
    write(base / "secret.txt", "secret\n");
  }
  ~site_folder() {
    std::error_code ignored;
    fs::permissions(root / "a.txt", fs::perms::owner_all, ignored);  // a test may have locked it
  }
  site_folder(const site_folder&) = delete;
  site_folder& operator=(const site_folder&) = delete;
};

/// A request for @p target, with @p fields added ({name, value} pairs).
request get(std::string target, const std::vector<std::pair<std::string, std::string>>& fields = {},
            std::string method = "GET") {
  return socketlab::test::make_request(std::move(method), std::move(target), fields);
}

/// @p r as a client receives it: a file body read into `body`.
response received(socketlab::server::reply r) {
  // Its Content-Type, as the connection layer writes it (http_session::send()).
  if (!r.content_type.empty()) r.headers.add("Content-Type", r.content_type);
  if (r.file) {
    const auto length = static_cast<std::size_t>(r.file->remaining());
    REQUIRE(r.file->read(r.body, length));
    CHECK(r.file->remaining() == 0);
  }
  return r;  // the response part: the body is in it now
}

/// The ETag of a file of @p size bytes modified at `modified`.
std::string etag_for(std::size_t size) {
  std::ostringstream tag;
  tag << "\"65e1ca57-" << std::hex << size << '"';
  return tag.str();
}

}  // namespace

TEST_CASE("mime_type: by extension, in any case; unknown is octet-stream", "[unit][server][static]") {
  using socketlab::server::mime_type;
  const auto [name, type] = GENERATE(values<std::pair<std::string_view, std::string_view>>({
      {"index.html", "text/html; charset=utf-8"},
      {"INDEX.HTM", "text/html; charset=utf-8"},
      {"site.Css", "text/css; charset=utf-8"},
      {"app.js", "text/javascript; charset=utf-8"},
      {"module.mjs", "text/javascript; charset=utf-8"},
      {"data.json", "application/json"},
      {"notes.txt", "text/plain; charset=utf-8"},
      {"README.md", "text/markdown; charset=utf-8"},
      {"feed.xml", "application/xml"},
      {"icon.svg", "image/svg+xml"},
      {"logo.png", "image/png"},
      {"photo.JPG", "image/jpeg"},
      {"photo.jpeg", "image/jpeg"},
      {"anim.gif", "image/gif"},
      {"a.webp", "image/webp"},
      {"favicon.ico", "image/x-icon"},
      {"a.avif", "image/avif"},
      {"f.woff", "font/woff"},
      {"f.woff2", "font/woff2"},
      {"f.ttf", "font/ttf"},
      {"f.otf", "font/otf"},
      {"app.wasm", "application/wasm"},
      {"paper.pdf", "application/pdf"},
      {"clip.mp4", "video/mp4"},
      {"clip.webm", "video/webm"},
      {"song.mp3", "audio/mpeg"},
      {"song.ogg", "audio/ogg"},
      {"beep.wav", "audio/wav"},
      {"a.zip", "application/zip"},
      {"a.tar.gz", "application/gzip"},  // the last extension decides
      {"a.tar", "application/x-tar"},
      {"sub/dir/page.html", "text/html; charset=utf-8"},
      {"no-extension", "application/octet-stream"},
      {"program.exe", "application/octet-stream"},
      {".html", "application/octet-stream"},  // a dotfile's name, not an extension
      {"dir.d/file", "application/octet-stream"},
      {"ends-in-dot.", "application/octet-stream"},
      {"a.htmlx", "application/octet-stream"},
      {"a.averyveryverylongextension", "application/octet-stream"},
      {"a.h\xC3\xA9ml", "application/octet-stream"},
  }));
  CAPTURE(name);
  CHECK(mime_type(fs::path(std::u8string(name.begin(), name.end()))) == type);
}

TEST_CASE("a static site serves a file's exact bytes, its type and its validators",
          "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  CHECK(site.describe() == "files from " + folder.root.string());
  CHECK(site.root() == folder.root);

  const auto [target, body, type] = GENERATE(values<std::tuple<std::string, std::string, std::string_view>>({
      {"/logo.png", png_bytes, "image/png"},
      {"/a.txt", "a\n", "text/plain; charset=utf-8"},
      {"/app.js", "console.log(1);\n", "text/javascript; charset=utf-8"},
      {"/data.json", "{\"a\": 1}\n", "application/json"},
      {"/a.txt?v=2", "a\n", "text/plain; charset=utf-8"},  // the query does not choose the file
      {"/%61.txt", "a\n", "text/plain; charset=utf-8"},
  }));
  CAPTURE(target);
  const response res = received(socketlab::server::respond(site, get(target)));
  CHECK(res.status == 200);
  CHECK(res.body == body);
  CHECK(res.headers.get("Content-Type") == type);
  CHECK(res.headers.get("Last-Modified") == modified_date);  // the .250 is floored away
  CHECK(res.headers.get("ETag") == etag_for(body.size()));
  CHECK(res.headers.get("Accept-Ranges") == "bytes");
  CHECK(res.headers.size() == 4);  // the connection layer adds the rest
}

TEST_CASE("a static site gives each file its own Last-Modified, asked for in any order",
          "[unit][server][static]") {
  // The text of a time is kept while the same time is asked for again: files of other times,
  // in turn, must each still get theirs.
  const site_folder folder;
  const static_site site(folder.root);
  fs::last_write_time(folder.root / "app.js", to_file_time(modified + std::chrono::hours(49)));
  for (const auto& [target, date] :
       std::vector<std::pair<std::string, std::string_view>>{{"/a.txt", modified_date},
                                                             {"/app.js", "Sun, 03 Mar 2024 13:30:15 GMT"},
                                                             {"/a.txt", modified_date},
                                                             {"/data.json", modified_date},
                                                             {"/app.js", "Sun, 03 Mar 2024 13:30:15 GMT"}}) {
    CAPTURE(target);
    CHECK(received(socketlab::server::respond(site, get(target))).headers.get("Last-Modified") == date);
  }
}

TEST_CASE("a static site serves index.html for a folder asked with its '/'", "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  const auto [target, body] = GENERATE(values<std::pair<std::string, std::string>>({
      {"/", "<h1>home</h1>\n"},
      {"/?lang=fr", "<h1>home</h1>\n"},
      {"http://localhost:8080/", "<h1>home</h1>\n"},
      {"/docs/", "<h1>docs</h1>\n"},
      {"/docs/?q=1", "<h1>docs</h1>\n"},
  }));
  CAPTURE(target);
  const response res = received(site.handle(get(target)));
  CHECK(res.status == 200);
  CHECK(res.body == body);
  CHECK(res.headers.get("Content-Type") == "text/html; charset=utf-8");
  CHECK(res.headers.get("ETag") == etag_for(body.size()));
}

TEST_CASE("a static site redirects a folder asked without its '/', keeping the query",
          "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  const auto [target, location] = GENERATE(values<std::pair<std::string, std::string>>({
      {"/docs", "/docs/"},
      {"/docs?q=1", "/docs/?q=1"},
      {"/docs?q=1&r=%20", "/docs/?q=1&r=%20"},
      {"/docs?", "/docs/"},  // an empty query is no query
      {"/%64ocs?x", "/%64ocs/?x"},
      {"http://localhost/docs?q=1", "/docs/?q=1"},
      {"/empty", "/empty/"},
  }));
  CAPTURE(target);
  const response res = received(site.handle(get(target)));
  CHECK(res.status == 301);
  CHECK(res.headers.get("Location") == location);
  CHECK(res.headers.get("Content-Type") == "text/plain; charset=utf-8");
  CHECK(res.body == "Moved Permanently: " + location + "\n");
}

TEST_CASE("a static site's 404 is an HTML page that names the path, escaped, and no folder",
          "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);

  SECTION("built in") {
    const auto [target, shown] = GENERATE(values<std::pair<std::string, std::string>>({
        {"/missing", "/missing"},
        {"/missing?<b>=1", "/missing"},  // the query is not quoted
        {"/empty/", "/empty/"},          // no listings
        {"/<script>alert(1)</script>", "/&lt;script&gt;alert(1)&lt;/script&gt;"},
        {"/a&b'\"", "/a&amp;b&#39;&quot;"},
        {"/secret.txt", "/secret.txt"},  // the file outside is not there
    }));
    CAPTURE(target);
    const response res = received(site.handle(get(target)));
    CHECK(res.status == 404);
    CHECK(res.headers.get("Content-Type") == "text/html; charset=utf-8");
    CHECK(res.body ==
          "<!DOCTYPE html>\n"
          "<html lang=\"en\">\n"
          "<head><meta charset=\"utf-8\"><title>404 Not Found</title></head>\n"
          "<body>\n"
          "<h1>Not Found</h1>\n"
          "<p>Nothing is served at <code>" +
              shown +
              "</code>.</p>\n"
              "</body>\n"
              "</html>\n");
    CHECK_THAT(res.body, !contains(folder.base.string()));
  }

  SECTION("the folder's own 404.html") {
    write(folder.root / "404.html", "<h1>lost?</h1>\n");
    for (const char* target : {"/missing", "/.env", "/docs/nothing.css"}) {
      CAPTURE(target);
      const response res = received(site.handle(get(target)));
      CHECK(res.status == 404);
      CHECK(res.headers.get("Content-Type") == "text/html; charset=utf-8");
      CHECK(res.body == "<h1>lost?</h1>\n");
    }
    CHECK(received(site.handle(get("/404.html"))).status == 200);  // like nginx: it is a file like any other
  }

#if !defined(_WIN32)
  SECTION("a 404.html that is a symlink out of the folder is not followed") {
    fs::create_symlink(folder.base / "secret.txt", folder.root / "404.html");
    const response res = received(site.handle(get("/missing")));
    CHECK(res.status == 404);
    CHECK_THAT(res.body, contains("<h1>Not Found</h1>"));
    CHECK_THAT(res.body, !contains("secret"));
  }
#endif
}

TEST_CASE("a static site answers a malformed path with 400 and the reason", "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  const auto [target, body] = GENERATE(values<std::pair<std::string, std::string>>({
      {"/../secret.txt", "Bad Request: a '..' segment\n"},
      {"/%2e%2e/secret.txt", "Bad Request: a '..' segment\n"},
      {"/%zz", "Bad Request: a malformed percent-escape ('%' not followed by two hex digits)\n"},
      {"/a%00b", "Bad Request: a NUL byte\n"},
  }));
  CAPTURE(target);
  const response res = received(site.handle(get(target)));
  CHECK(res.status == 400);
  CHECK(res.headers.get("Content-Type") == "text/plain; charset=utf-8");
  CHECK(res.body == body);
}

TEST_CASE("a static site never serves dotfiles", "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  for (const char* target :
       {"/.env", "/%2eenv", "/.git/config", "/%2Egit/config", "/docs/.htpasswd", "/.git/"}) {
    CAPTURE(target);
    const response res = received(site.handle(get(target)));
    CHECK(res.status == 404);
    CHECK_THAT(res.body, !contains("secret"));
  }
}

TEST_CASE("If-None-Match: a matching tag or '*' gives 304 with the validators and no body",
          "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  const std::string etag = etag_for(2);  // a.txt
  const auto [value, status] = GENERATE_COPY(values<std::pair<std::string, int>>({
      {etag, 304},
      {"W/" + etag, 304},  // the weak comparison ignores W/
      {"\"x\", " + etag, 304},
      {"\"x\",W/" + etag + ",\"y\"", 304},
      {"\"a,b\", " + etag, 304},  // a ',' inside a tag is not a separator
      {"*", 304},
      {"\"x\"", 200},
      {"W/\"65e1ca57-3\"", 200},               // another size
      {etag.substr(1, etag.size() - 2), 200},  // unquoted: not a tag
      {"", 200},
  }));
  CAPTURE(value);
  for (const char* method : {"GET", "HEAD"}) {
    CAPTURE(method);
    const response res = received(site.handle(get("/a.txt", {{"If-None-Match", value}}, method)));
    CHECK(res.status == status);
    CHECK(res.headers.get("ETag") == etag);
    CHECK(res.headers.get("Last-Modified") == modified_date);
    if (status == 304) {
      CHECK(res.body.empty());
      CHECK_FALSE(res.headers.contains("Content-Type"));
    } else {
      CHECK(res.body == "a\n");
    }
  }
}

TEST_CASE("If-None-Match: every field of the list counts", "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  const auto res =
      received(site.handle(get("/a.txt", {{"If-None-Match", "\"x\""}, {"if-none-match", etag_for(2)}})));
  CHECK(res.status == 304);
}

TEST_CASE("If-Modified-Since: not modified since that date gives 304; If-None-Match takes precedence",
          "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  using fields = std::vector<std::pair<std::string, std::string>>;
  const auto [name, headers, status] = GENERATE_COPY(values<std::tuple<std::string_view, fields, int>>({
      {"the same second", {{"If-Modified-Since", std::string(modified_date)}}, 304},
      {"later", {{"If-Modified-Since", "Sat, 02 Mar 2024 00:00:00 GMT"}}, 304},
      {"one second earlier", {{"If-Modified-Since", "Fri, 01 Mar 2024 12:30:14 GMT"}}, 200},
      {"not a date", {{"If-Modified-Since", "yesterday"}}, 200},
      {"the obsolete RFC 850 form", {{"If-Modified-Since", "Friday, 01-Mar-24 12:30:15 GMT"}}, 200},
      {"two dates",
       {{"If-Modified-Since", std::string(modified_date)}, {"If-Modified-Since", std::string(modified_date)}},
       200},
      {"a tag that does not match",
       {{"If-None-Match", "\"nope\""}, {"If-Modified-Since", "Sat, 02 Mar 2024 00:00:00 GMT"}},
       200},
      {"a tag that matches",
       {{"If-None-Match", etag_for(2)}, {"If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"}},
       304},
  }));
  CAPTURE(name);
  const response res = received(site.handle(get("/a.txt", headers)));
  CHECK(res.status == status);
  CHECK(res.body == (status == 304 ? "" : "a\n"));
  CHECK(res.headers.get("Last-Modified") == modified_date);
}

TEST_CASE("HEAD gets GET's status and headers", "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  for (const char* target : {"/logo.png", "/", "/docs", "/missing", "/%zz"}) {
    CAPTURE(target);
    const response got = received(socketlab::server::respond(site, get(target)));
    const response head = received(socketlab::server::respond(site, get(target, {}, "HEAD")));
    CHECK(head.status == got.status);
    CHECK(head.body == got.body);  // the connection layer drops it, and counts it for Content-Length
    REQUIRE(head.headers.size() == got.headers.size());
    for (auto g = got.headers.begin(), h = head.headers.begin(); g != got.headers.end(); ++g, ++h) {
      CHECK(h->name == g->name);
      CHECK(h->value == g->value);
    }
  }
}

TEST_CASE("a static site answers a file of any size with the open file, not its bytes",
          "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  const auto big = folder.root / "big.bin";
  write(big, "");
  constexpr std::uint64_t five_gib = 5ULL << 30;  // more than any 32-bit length
  fs::resize_file(big, five_gib);                 // sparse: costs no disk
  auto res = site.handle(get("/big.bin"));
  CHECK(res.status == 200);
  CHECK(res.body.empty());
  REQUIRE(res.file);
  CHECK(res.file->remaining() == five_gib);
  CHECK(res.headers.get("Accept-Ranges") == "bytes");
  std::string piece;
  REQUIRE(res.file->read(piece, 4096));
  CHECK(piece == std::string(4096, '\0'));
  CHECK(res.file->remaining() == five_gib - 4096);
}

TEST_CASE("a file body that shrank since it was opened fails its read instead of inventing bytes",
          "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  write(folder.root / "grow.txt", "0123456789");
  auto res = site.handle(get("/grow.txt"));
  REQUIRE(res.file);
  fs::resize_file(folder.root / "grow.txt", 4);
  std::string bytes = "kept";
  CHECK_FALSE(res.file->read(bytes, 100));
  CHECK(bytes == "kept");  // nothing half-read is appended
}

TEST_CASE("Range: one range of a file is 206 with Content-Range; past the end is 416",
          "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  write(folder.root / "digits.txt", "0123456789");
  const auto [range, status, body, content_range] =
      GENERATE(values<std::tuple<std::string, int, std::string, std::string>>({
          {"bytes=0-3", 206, "0123", "bytes 0-3/10"},
          {"bytes=7-", 206, "789", "bytes 7-9/10"},
          {"bytes=-3", 206, "789", "bytes 7-9/10"},
          {"bytes=-20", 206, "0123456789", "bytes 0-9/10"},  // more than the file: all of it
          {"bytes=5-100", 206, "56789", "bytes 5-9/10"},     // past the end: cut to the end
          {"bytes=9-9", 206, "9", "bytes 9-9/10"},
          {"BYTES=2-2", 206, "2", "bytes 2-2/10"},  // the unit is case-insensitive
          {"bytes = 2-2", 200, "0123456789", ""},   // no space around "=" (RFC 9110 §14.1.1)
          {"bytes=10-", 416, "", "bytes */10"},     // begins past the end
          {"bytes=-0", 416, "", "bytes */10"},
          {"bytes=3-2", 200, "0123456789", ""},      // invalid: ignored, the whole file
          {"bytes=0-1,4-5", 200, "0123456789", ""},  // several: ignored (no multipart answers)
          {"items=0-1", 200, "0123456789", ""},      // another unit
          {"bytes=a-b", 200, "0123456789", ""},
          {"bytes=+1-2", 200, "0123456789", ""},
          {"bytes=1-2-3", 200, "0123456789", ""},
          {"bytes=99999999999999999999-", 200, "0123456789", ""},  // overflows: not a number
      }));
  CAPTURE(range);
  const response res = received(site.handle(get("/digits.txt", {{"Range", range}})));
  CHECK(res.status == status);
  if (status != 416) CHECK(res.body == body);
  CHECK(res.headers.get("Content-Range").value_or("") == content_range);
}

TEST_CASE("Range: HEAD, If-Range naming another version, and 304 all ignore the range",
          "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  write(folder.root / "digits.txt", "0123456789");
  const std::string etag = etag_for(10);
  const auto [method, if_range, if_none_match, status] =
      GENERATE_COPY(values<std::tuple<std::string, std::string, std::string, int>>({
          {"GET", "", "", 206},
          {"HEAD", "", "", 200},  // Range is defined for GET only (RFC 9110 §14.2)
          {"GET", etag, "", 206},
          {"GET", "\"other\"", "", 200},  // the client's part is of another version
          {"GET", "W/" + etag, "", 200},  // a weak tag never matches If-Range
          {"GET", std::string(modified_date), "", 206},
          {"GET", "Fri, 01 Mar 2024 12:30:16 GMT", "", 200},
          {"GET", "", etag, 304},  // the client's copy is current: 304 first
      }));
  CAPTURE(method, if_range, if_none_match);
  std::vector<std::pair<std::string, std::string>> fields{{"Range", "bytes=2-4"}};
  if (!if_range.empty()) fields.emplace_back("If-Range", if_range);
  if (!if_none_match.empty()) fields.emplace_back("If-None-Match", if_none_match);
  const response res = received(site.handle(get("/digits.txt", fields, method)));
  CHECK(res.status == status);
  if (status == 206) CHECK(res.body == "234");
  if (status == 200) CHECK(res.body == "0123456789");
}

TEST_CASE("a file the server may not read is 403", "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  fs::permissions(folder.root / "a.txt", fs::perms::none);
  // Windows keeps only a read-only bit, and root reads any file: there the case cannot arise.
  const bool unreadable = fs::status(folder.root / "a.txt").permissions() == fs::perms::none &&
                          !std::ifstream(folder.root / "a.txt");
  if (!unreadable) {
    WARN("skipped: this user reads files whatever their permissions (root, or Windows)");
    return;
  }
  const response res = received(site.handle(get("/a.txt")));
  CHECK(res.status == 403);
  CHECK(res.body == "Forbidden: the file cannot be read\n");
}

#if !defined(_WIN32)
TEST_CASE("a symlink out of the folder is 404 and leaks nothing", "[unit][server][static]") {
  const site_folder folder;
  const static_site site(folder.root);
  fs::create_symlink(folder.base / "secret.txt", folder.root / "link");
  const response res = received(site.handle(get("/link")));
  CHECK(res.status == 404);
  CHECK_THAT(res.body, !contains("secret"));
}
#endif

TEST_CASE("make_site: a language, else a folder, else a sentence naming both", "[unit][server][static]") {
  const site_folder folder;
  CHECK(socketlab::server::make_site("fr")->describe() == "French (fr)");
  CHECK(socketlab::server::make_site(folder.root.string())->describe() ==
        "files from " + folder.root.string());
  CHECK(socketlab::server::make_site((folder.root / "docs" / "..").string())->describe() ==
        "files from " + folder.root.string());

  std::string languages;
  for (const auto& g : socketlab::server::greetings())
    languages += (languages.empty() ? "" : ", ") + std::string(g.code);
  REQUIRE_THAT(languages, contains("en, fr, es"));
  CHECK_THROWS_WITH(socketlab::server::make_site("xx"),
                    "unknown language 'xx' and no folder 'xx'; use one of " + languages +
                        " (a greeting), echo (each request sent back) or the path of a folder of files");
  const std::string file = (folder.root / "a.txt").string();
  CHECK_THROWS_WITH(socketlab::server::make_site(file),
                    "unknown language '" + file + "' and no folder '" + file + "'; use one of " + languages +
                        " (a greeting), echo (each request sent back) or the path of a folder of files");
  CHECK_THROWS_AS(socketlab::server::make_site(""), std::invalid_argument);
}

TEST_CASE("static_site: a folder that is missing or is a file is refused with a sentence",
          "[unit][server][static]") {
  const site_folder folder;
  const auto missing = folder.base / "nope";
  CHECK_THROWS_WITH(static_site(missing), "no folder '" + missing.string() + "' to serve");
  CHECK_THROWS_WITH(static_site(fs::path("no-such-folder-here")),
                    contains("no folder 'no-such-folder-here' to serve (a relative path starts from "));
  const auto file = folder.root / "a.txt";
  CHECK_THROWS_WITH(static_site(file), "cannot serve '" + file.string() +
                                           "': it is not a folder; give the folder that holds it");
}
