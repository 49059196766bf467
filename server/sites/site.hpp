/// @file
/// A site: what one port serves. Pure functions from request to response, no sockets.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "server/sites/file_body.hpp"
#include "socketlab/http/request.hpp"
#include "socketlab/http/response.hpp"

namespace socketlab::server {

/// A site's answer: a response whose body is either in memory (`body`) or the bytes of a file
/// (`file`), which the connection sends a piece at a time.
struct reply : http::response {
  reply() = default;
  /// An answer whose body, if any, is in @p res (implicit: a site returns a response as is).
  reply(http::response res) : http::response(std::move(res)) {}  // NOLINT(google-explicit-constructor)

  std::optional<file_body> file;  ///< when set, the body: `body` is then empty
};

/// What one port serves. A site only turns requests into responses; the connection
/// layer adds Date, Server, Content-Length and Connection, drops the body for HEAD, and sends a
/// file body a piece at a time.
///
/// Threading: handle() is const and may be called from several threads at once.
class site {
 public:
  virtual ~site() = default;

  /// The response to a request whose method this site allows (see respond()).
  /// @param req the request (method is GET or HEAD)
  /// @return the response
  [[nodiscard]] virtual reply handle(const http::request& req) const = 0;

  /// One line for the start-up banner, such as "English (en)".
  /// @return the line, without a newline
  [[nodiscard]] virtual std::string describe() const = 0;
};

/// Builds the site a `--site PORT=SPEC` names: a language code gives a greeting_site
/// (server/sites/greeting_site.hpp), the path of a folder a static_site (server/sites/static_site.hpp)
/// serving its files. A language code wins: a folder named "fr" is served as "./fr".
/// @param spec e.g. "fr", "./public", "/srv/www"
/// @return the site
/// @throws std::invalid_argument naming the known languages when SPEC is neither a language nor
///         a folder
[[nodiscard]] std::unique_ptr<site> make_site(std::string_view spec);

/// A response with a plain-text body ("text/plain; charset=utf-8").
/// @param status the status code
/// @param body the text, a line end included
/// @return the response
[[nodiscard]] http::response text_response(int status, std::string body);

/// The rules every site shares, then the site: an unknown method gets 501, a method the
/// site does not allow gets 405 with `Allow: GET, HEAD`, anything else goes to site::handle().
/// @param s the site
/// @param req the request
/// @return the response
[[nodiscard]] reply respond(const site& s, const http::request& req);

/// The path of a request target without its query: "/a?b" -> "/a";
/// for the absolute form "http://host/a" -> "/a".
/// @param target the request-target
/// @return the path part
[[nodiscard]] std::string_view target_path(std::string_view target) noexcept;

}  // namespace socketlab::server
