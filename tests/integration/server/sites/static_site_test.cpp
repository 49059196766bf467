// A static site over real loopback sockets, under every serving model: files, the index, a
// redirect, 304s on a kept-alive connection, HEAD, and every way out of the folder refused.
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "server/config.hpp"
#include "support/catch.hpp"
#include "support/each_model.hpp"
#include "support/raw_client.hpp"
#include "support/running_server.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using namespace socketlab;
using test::raw_client;
using test::running_server;

namespace {

constexpr std::string_view secret = "TOP-SECRET-42\n";
constexpr std::string_view css = "body { color: #333; }\n";

/// Writes @p text to a new file at @p p.
void write(const fs::path& p, std::string_view text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  REQUIRE(out);
}

/// A site's folder and a secret beside it, in the temporary folder, removed at the end:
/// @code
///   base/
///     site/  index.html  style.css  sub/index.html  .git/config (the secret)
///            link -> ../secret (POSIX)
///     secret
/// @endcode
struct site_folder {
  socketlab::test::temp_folder temp{"socketlab-static-wire"};  ///< removed with all it holds at the end
  fs::path base = temp.path();                                 ///< the temporary folder holding it all
  fs::path root;                                               ///< the site's folder

  site_folder() {
    root = base / "site";
    fs::create_directories(root / "sub");
    fs::create_directories(root / ".git");
    write(root / "index.html", "<h1>home</h1>\n");
    write(root / "style.css", css);
    write(root / "sub" / "index.html", "<h1>sub</h1>\n");
    write(root / ".git" / "config", secret);
    write(base / "secret", secret);
#if !defined(_WIN32)
    fs::create_symlink("../secret", root / "link");
#endif
  }
  site_folder(const site_folder&) = delete;
  site_folder& operator=(const site_folder&) = delete;
};

/// One site serving @p folder on a free port.
server::server_config serving(const site_folder& folder) {
  server::server_config config;
  config.sites.push_back({0, folder.root.string()});
  return config;
}

/// "GET <target> HTTP/1.1" with a Host and @p more header lines (each ending in CRLF).
std::string request(std::string_view method, std::string_view target, std::string_view more = "") {
  return std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: x\r\n" + std::string(more) +
         "\r\n";
}

}  // namespace

TEST_CASE("a static site over the wire: a file, the index, a redirect", "[integration][server][static]") {
  const site_folder folder;
  auto config = serving(folder);
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  raw_client client(server.port());

  client.send(request("GET", "/style.css"));
  const auto file = client.read_response();
  CHECK(file.status == 200);
  CHECK(file.body == css);
  CHECK(file.headers.get("Content-Type") == "text/css; charset=utf-8");
  CHECK(file.headers.get("Content-Length") == std::to_string(css.size()));
  CHECK(file.headers.contains("ETag"));
  CHECK(file.headers.contains("Last-Modified"));

  client.send(request("GET", "/"));
  const auto index = client.read_response();
  CHECK(index.status == 200);
  CHECK(index.body == "<h1>home</h1>\n");
  CHECK(index.headers.get("Content-Type") == "text/html; charset=utf-8");

  client.send(request("GET", "/sub?q=1"));
  const auto moved = client.read_response();
  CHECK(moved.status == 301);
  CHECK(moved.headers.get("Location") == "/sub/?q=1");

  client.send(request("GET", "/sub/?q=1"));
  CHECK(client.read_response().body == "<h1>sub</h1>\n");

  client.send(request("GET", "/missing", "Connection: close\r\n"));
  const auto missing = client.read_response();
  CHECK(missing.status == 404);
  CHECK(missing.headers.get("Content-Type") == "text/html; charset=utf-8");
  CHECK_THAT(missing.body, test::contains("<code>/missing</code>"));
  CHECK(client.read_until_close().empty());
}

TEST_CASE("a conditional GET gets 304 with no body, and the connection goes on",
          "[integration][server][static]") {
  const site_folder folder;
  auto config = serving(folder);
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  raw_client client(server.port());

  client.send(request("GET", "/style.css"));
  const auto first = client.read_response();
  REQUIRE(first.status == 200);
  const std::string etag(first.headers.get("ETag").value_or(""));
  const std::string date(first.headers.get("Last-Modified").value_or(""));
  REQUIRE_FALSE(etag.empty());

  // 304 has no body and no Content-Length: were a byte sent, the next response would not parse.
  client.send(request("GET", "/style.css", "If-None-Match: \"other\", " + etag + "\r\n"));
  const auto by_tag = client.read_response();
  CHECK(by_tag.status == 304);
  CHECK(by_tag.body.empty());
  CHECK_FALSE(by_tag.headers.contains("Content-Length"));
  CHECK(by_tag.headers.get("ETag") == etag);
  CHECK(by_tag.headers.get("Last-Modified") == date);

  client.send(request("GET", "/style.css", "If-Modified-Since: " + date + "\r\n"));
  CHECK(client.read_response().status == 304);

  client.send(
      request("GET", "/style.css", "If-None-Match: \"changed\"\r\nIf-Modified-Since: " + date + "\r\n"));
  const auto changed = client.read_response();
  CHECK(changed.status == 200);
  CHECK(changed.body == css);
  CHECK(client.pending().empty());
}

TEST_CASE("HEAD on a file: GET's headers, no body", "[integration][server][static]") {
  const site_folder folder;
  auto config = serving(folder);
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);
  raw_client client(server.port());

  client.send(request("HEAD", "/style.css") + request("GET", "/style.css"));
  const auto head = client.read_response(true);
  const auto get = client.read_response();
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.headers.get("Content-Length") == std::to_string(css.size()));
  CHECK(head.headers.get("Content-Type") == get.headers.get("Content-Type"));
  CHECK(head.headers.get("ETag") == get.headers.get("ETag"));
  CHECK(head.headers.get("Last-Modified") == get.headers.get("Last-Modified"));
  CHECK(get.body == css);  // the GET's bytes came right after HEAD's header
}

TEST_CASE("every way out of the folder is refused over the wire, and leaks nothing",
          "[integration][server][static]") {
  const site_folder folder;
  auto config = serving(folder);
  SOCKETLAB_FOR_EACH_MODEL(config);
  running_server server(config);

  std::vector<std::pair<std::string_view, int>> paths{
      {"/../secret", 400},      {"/sub/../../secret", 400},  {"/%2e%2e/secret", 400},
      {"/.%2E/secret", 400},    {"http://x/../secret", 400}, {"/a%00b", 400},
      {"/%2F..%2Fsecret", 404}, {"/sub/..%5csecret", 404},   {"/sub/..\\..\\secret", 404},
      {"/.git/config", 404},    {"/%2egit/config", 404},
  };
#if !defined(_WIN32)
  paths.emplace_back("/link", 404);
#endif
  for (const auto& [path, status] : paths) {
    INFO("GET " << path);
    // One connection at a time, closed before the next: the iterative model serves them in turn.
    raw_client client(server.port());
    client.send(request("GET", path, "Connection: close\r\n"));
    const auto res = client.read_response();
    CHECK(res.status == status);
    CHECK_THAT(res.body, !test::contains(std::string(secret)));
    CHECK_THAT(res.body, !test::contains(folder.base.string()));
  }
}
